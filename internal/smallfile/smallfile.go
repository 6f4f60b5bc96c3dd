// Package smallfile reads files that must be small (consent documents,
// certificates, CRLs) without trusting their size: at most max bytes are
// read, and a larger file is an error, not a truncated read.
package smallfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is wrapped by Read's error for a file over the limit.
var ErrTooLarge = errors.New("file too large")

// Read returns the content of path, or an error when it holds more than
// max bytes.
func Read(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A file that says it is too large is refused before any read; the
	// others are read into a buffer of their size (io.ReadAll alone grows
	// its buffer by doubling: twice the limit for a file near it).
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > max {
			return nil, fmt.Errorf("%s: larger than %d bytes: %w", path, max, ErrTooLarge)
		}
		b := make([]byte, 0, st.Size()+1)
		for {
			n, err := f.Read(b[len(b):cap(b)])
			b = b[:len(b)+n]
			if int64(len(b)) > max {
				return nil, fmt.Errorf("%s: larger than %d bytes: %w", path, max, ErrTooLarge)
			}
			if err == io.EOF {
				return b, nil
			}
			if err != nil {
				return nil, err
			}
			if len(b) == cap(b) {
				b = append(b, 0)[:len(b)] // the file grew: room for more
			}
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes: %w", path, max, ErrTooLarge)
	}
	return b, nil
}
