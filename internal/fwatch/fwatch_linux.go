// Package fwatch notices writes to a file while it is being read.
package fwatch

import (
	"encoding/binary"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// Watch notices writes to a file while it is being read (signed,
// verified): an inotify watch for modifications, set before the file is
// read, and the file's size and change times, compared at the end (a write
// through a shared mapping raises no inotify event but moves the times).
type Watch struct {
	wd     int    // watch descriptor in the shared instance, -1 when none
	events uint64 // the watch's event count when it was set
	stat   syscall.Stat_t
}

// notify is one inotify instance for the process: closing an instance
// waits for the kernel's grace period (milliseconds), which a batch of a
// thousand small PDFs would pay a thousand times. Watches are added and
// removed; events are counted per watch descriptor.
var notify struct {
	sync.Mutex
	fd     int // 0: not made yet, -1: unavailable
	refs   map[int]int
	events map[int]uint64
}

// drain reads the pending events into the counts (notify held).
func drainEvents() {
	buf := make([]byte, 16<<10)
	for {
		n, err := unix.Read(notify.fd, buf)
		if n <= 0 || err != nil {
			return
		}
		for p := buf[:n]; len(p) >= unix.SizeofInotifyEvent; {
			wd := int(int32(binary.NativeEndian.Uint32(p[0:4])))
			l := int(binary.NativeEndian.Uint32(p[12:16]))
			switch {
			case wd == -1: // the queue overflowed: events were lost
				for w := range notify.refs {
					notify.events[w]++
				}
			case notify.refs[wd] > 0:
				notify.events[wd]++
			}
			if len(p) < unix.SizeofInotifyEvent+l {
				break
			}
			p = p[unix.SizeofInotifyEvent+l:]
		}
	}
}

// New starts watching the file at path, open as f.
func New(path string, f *os.File) *Watch {
	w := &Watch{wd: -1}
	notify.Lock()
	if notify.fd == 0 {
		notify.fd = -1
		if fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC); err == nil {
			notify.fd, notify.refs, notify.events = fd, map[int]int{}, map[int]uint64{}
		}
	}
	if notify.fd > 0 {
		if wd, err := unix.InotifyAddWatch(notify.fd, path, unix.IN_MODIFY); err == nil {
			drainEvents()
			w.wd, w.events = wd, notify.events[wd]
			notify.refs[wd]++
		}
	}
	notify.Unlock()
	syscall.Fstat(int(f.Fd()), &w.stat)
	return w
}

// Changed reports whether f was written to since New.
func (w *Watch) Changed(f *os.File) bool {
	if w.wd >= 0 {
		notify.Lock()
		drainEvents()
		n := notify.events[w.wd]
		notify.Unlock()
		if n != w.events {
			return true
		}
	}
	var now syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &now); err != nil {
		return true
	}
	return now.Size != w.stat.Size || now.Mtim != w.stat.Mtim || now.Ctim != w.stat.Ctim || now.Ino != w.stat.Ino
}

// Close ends the watch.
func (w *Watch) Close() {
	if w.wd < 0 {
		return
	}
	notify.Lock()
	if notify.refs[w.wd]--; notify.refs[w.wd] <= 0 {
		unix.InotifyRmWatch(notify.fd, uint32(w.wd))
		delete(notify.refs, w.wd)
		delete(notify.events, w.wd)
	}
	notify.Unlock()
	w.wd = -1
}
