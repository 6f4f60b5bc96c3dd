//go:build !linux

package pades

import (
	"os"
	"time"
)

// watch notices writes to the original while it is being signed, by its
// size and modification time.
type watch struct {
	size int64
	mod  time.Time
}

func newWatch(_ string, f *os.File) *watch {
	w := &watch{}
	if st, err := f.Stat(); err == nil {
		w.size, w.mod = st.Size(), st.ModTime()
	}
	return w
}

func (w *watch) changed(f *os.File) bool {
	st, err := f.Stat()
	return err != nil || st.Size() != w.size || !st.ModTime().Equal(w.mod)
}

func (w *watch) close() {}
