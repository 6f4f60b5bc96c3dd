package pades

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// copyFile copies [0, size) of src to the same offsets of dst with
// copy_file_range: the bytes never enter this process, and a file system
// that shares blocks (btrfs, XFS) makes it a reflink. After each chunk the
// kernel is told to start writing it out (sync_file_range), so the one
// fsync at the end finds little left to do. Where the kernel cannot copy
// between these files, read and write take over.
func copyFile(src, dst *os.File, size, chunk int64, stop <-chan struct{}, done func(int64)) error {
	if !kernelCopy {
		return copyPlain(src, dst, 0, size, chunk, stop, done)
	}
	sfd, dfd := int(src.Fd()), int(dst.Fd())
	var off int64
	for off < size {
		select {
		case <-stop:
			return errors.New("copy stopped")
		default:
		}
		start, end := off, min(size, off+chunk)
		for off < end {
			roff, woff := off, off
			n, err := unix.CopyFileRange(sfd, &roff, dfd, &woff, int(end-off), 0)
			if err != nil {
				if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
					continue
				}
				if errors.Is(err, unix.EXDEV) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EINVAL) {
					return copyPlain(src, dst, off, size, chunk, stop, done)
				}
				return err
			}
			if n == 0 {
				return ErrChanged // the file is shorter than when it was opened
			}
			off += int64(n)
		}
		// Start the write-out of this chunk; errors here only cost speed.
		_ = unix.SyncFileRange(dfd, start, end-start, unix.SYNC_FILE_RANGE_WRITE)
		done(off)
	}
	return nil
}
