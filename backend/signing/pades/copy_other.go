//go:build !linux

package pades

import "os"

// copyFile copies [0, size) of src to the same offsets of dst.
func copyFile(src, dst *os.File, size, chunk int64, stop <-chan struct{}, done func(int64)) error {
	return copyPlain(src, dst, 0, size, chunk, stop, done)
}
