package egov

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/shomei-app/shomei/internal/errs"
)

// ErrZip marks a zip that is not an e-Gov application folder Shomei can
// open: unreadable, nested folders, links, too many or too large files.
var ErrZip = errs.New(errs.EgovZip)

// maxZipTotal bounds what an application zip may expand to.
const maxZipTotal = 1 << 30

// Unzip extracts an application zip (the folder inside it, or the files at
// its top) into a new folder under into and returns that folder, named as
// the application folder was. Nothing outside it is written; on any
// refusal nothing is left behind.
func Unzip(zipPath, into string) (dir string, err error) {
	z, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrZip, err)
	}
	defer z.Close()
	if len(z.File) == 0 || len(z.File) > maxFiles+2 {
		return "", fmt.Errorf("%w: %d entries", ErrZip, len(z.File))
	}
	// Every entry is "NAME" or "FOLDER/NAME" with one FOLDER for all.
	top := ""
	type entry struct {
		f    *zip.File
		name string
	}
	var entries []entry
	var total uint64
	for i, f := range z.File {
		n := f.Name
		if !utf8.ValidString(n) || strings.Contains(n, "\\") || path.IsAbs(n) {
			return "", fmt.Errorf("%w: entry name %q", ErrZip, Printable(n))
		}
		if f.FileInfo().IsDir() {
			if d := strings.TrimSuffix(n, "/"); !strings.Contains(d, "/") && plainName(d) && (top == "" || top == d) && i == 0 {
				top = d
				continue
			}
			return "", fmt.Errorf("%w: folder %q", ErrZip, Printable(n))
		}
		if !f.Mode().IsRegular() {
			return "", fmt.Errorf("%w: %q is not a plain file", ErrZip, Printable(n))
		}
		folder, name := "", n
		if i := strings.IndexByte(n, '/'); i >= 0 {
			folder, name = n[:i], n[i+1:]
		}
		if folder != "" && !plainName(folder) {
			return "", fmt.Errorf("%w: folder %q", ErrZip, Printable(folder))
		}
		if (top != "" || len(entries) > 0) && folder != top {
			return "", fmt.Errorf("%w: more than one folder", ErrZip)
		}
		top = folder
		if !plainName(name) && name != KouseiName {
			return "", fmt.Errorf("%w: entry name %q", ErrZip, Printable(n))
		}
		total += f.UncompressedSize64
		if f.UncompressedSize64 > maxFile || total > maxZipTotal {
			return "", fmt.Errorf("%w: too large", ErrZip)
		}
		entries = append(entries, entry{f, name})
	}
	base := top
	if base == "" {
		base = strings.TrimSuffix(filepath.Base(zipPath), filepath.Ext(zipPath))
	}
	if !plainName(base) {
		base = "application"
	}
	parent, err := os.MkdirTemp(into, ".egov-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(parent)
		}
	}()
	dir = filepath.Join(parent, base)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", err
	}
	for _, e := range entries {
		if err := extract(e.f, filepath.Join(dir, e.name)); err != nil {
			return "", err
		}
	}
	return dir, nil
}

func extract(f *zip.File, to string) error {
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrZip, err)
	}
	defer r.Close()
	w, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrZip, err) // a name given twice
	}
	n, err := io.Copy(w, io.LimitReader(r, int64(f.UncompressedSize64)+1))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if uint64(n) != f.UncompressedSize64 {
		return fmt.Errorf("%w: %s is not the size its entry says", ErrZip, Printable(f.Name))
	}
	return nil
}
