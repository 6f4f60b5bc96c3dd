package signing

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// WriteAtomic writes path through a temporary file in the same directory:
// write, sync, then rename over path (overwrite) or link it into place only
// if path does not exist yet. On any failure the temporary file is removed
// and path is untouched.
func WriteAtomic(path string, overwrite bool, write func(io.Writer) error) (err error) {
	return writeAtomicFile(path, overwrite, func(f *os.File) error { return write(f) })
}

// writeAtomicFile is WriteAtomic for a writer that needs the file itself
// (the kernel-side copy of a PDF signature).
func writeAtomicFile(path string, overwrite bool, write func(*os.File) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if overwrite {
		err = os.Rename(tmp.Name(), path)
	} else {
		// link fails if path exists: no race with another writer.
		if err = os.Link(tmp.Name(), path); err == nil {
			os.Remove(tmp.Name())
		} else if errors.Is(err, os.ErrExist) {
			err = &FileError{Code: CodeExists, Path: path}
		}
	}
	if err != nil {
		return err
	}
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
