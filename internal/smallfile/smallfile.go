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
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes: %w", path, max, ErrTooLarge)
	}
	return b, nil
}
