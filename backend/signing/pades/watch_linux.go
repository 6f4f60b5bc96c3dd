package pades

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// watch notices writes to the original while it is being signed: an
// inotify watch for modifications, set before the structure is read, and
// the file's size and change times, compared at the end (a write through
// a shared mapping raises no inotify event but moves the times).
type watch struct {
	fd   int // inotify instance, -1 when none could be made
	stat syscall.Stat_t
}

func newWatch(path string, f *os.File) *watch {
	w := &watch{fd: -1}
	if fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC); err == nil {
		if _, err := unix.InotifyAddWatch(fd, path, unix.IN_MODIFY); err == nil {
			w.fd = fd
		} else {
			unix.Close(fd)
		}
	}
	syscall.Fstat(int(f.Fd()), &w.stat)
	return w
}

// changed reports whether f was written to since newWatch.
func (w *watch) changed(f *os.File) bool {
	if w.fd >= 0 {
		buf := make([]byte, 4096)
		if n, _ := unix.Read(w.fd, buf); n > 0 {
			return true
		}
	}
	var now syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &now); err != nil {
		return true
	}
	return now.Size != w.stat.Size || now.Mtim != w.stat.Mtim || now.Ctim != w.stat.Ctim || now.Ino != w.stat.Ino
}

func (w *watch) close() {
	if w.fd >= 0 {
		unix.Close(w.fd)
		w.fd = -1
	}
}
