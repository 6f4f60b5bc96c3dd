package pades

import (
	"os"

	"golang.org/x/sys/unix"
)

// errDirectRefused is the error of a direct write the file system does not
// take (an alignment it needs that dioAlign does not meet).
var errDirectRefused = unix.EINVAL

// setDirect turns on direct I/O for dst's writes (O_DIRECT): the copy goes
// from the hashed buffer to the disk, without a second copy in the page
// cache and a write-back competing with the hash for the processor. False
// where the file system does not do direct I/O (tmpfs, some FUSE).
func setDirect(dst *os.File) bool {
	fl, err := unix.FcntlInt(dst.Fd(), unix.F_GETFL, 0)
	if err != nil {
		return false
	}
	_, err = unix.FcntlInt(dst.Fd(), unix.F_SETFL, fl|unix.O_DIRECT)
	return err == nil
}

// clearDirect turns direct I/O off again.
func clearDirect(dst *os.File) {
	if fl, err := unix.FcntlInt(dst.Fd(), unix.F_GETFL, 0); err == nil {
		unix.FcntlInt(dst.Fd(), unix.F_SETFL, fl&^unix.O_DIRECT)
	}
}

// startWriteback starts writing out [off, off+n) of dst written through the
// page cache (sync_file_range), so the fsync at the end finds little left
// to do; errors only cost speed.
func startWriteback(dst *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(dst.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
