package application

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shomei-app/shomei/backend/signing/cms"
)

// maxFields is how many values of one document the summary shows.
const maxFields = 40

// Collect reads the inputs: files, or folders whose regular files are all
// taken. Every file is hashed; JSON and XML files must be well formed and
// get a preview of their values.
func Collect(inputs []string) (*Application, error) {
	a := &Application{}
	names := map[string]bool{}
	add := func(p, name string) error {
		if len(a.Files) >= MaxFiles {
			return ErrTooMany
		}
		if names[name] {
			return &PathError{p, ErrSameName}
		}
		names[name] = true
		f, err := readFile(p, name)
		if err != nil {
			return &PathError{p, err}
		}
		a.Files = append(a.Files, *f)
		return nil
	}
	for _, in := range inputs {
		st, err := os.Lstat(in)
		if err != nil {
			return nil, &PathError{in, err}
		}
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			return nil, &PathError{in, ErrSymlink}
		case st.Mode().IsRegular():
			if err := add(in, filepath.Base(in)); err != nil {
				return nil, err
			}
		case st.IsDir():
			base := filepath.Base(filepath.Clean(in))
			err := filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				switch {
				case d.IsDir():
					return nil
				case d.Type()&fs.ModeSymlink != 0:
					return &PathError{p, ErrSymlink}
				case !d.Type().IsRegular():
					return &PathError{p, ErrSpecial}
				}
				rel, err := filepath.Rel(in, p)
				if err != nil {
					return err
				}
				return add(p, path.Join(base, filepath.ToSlash(rel)))
			})
			if err != nil {
				return nil, err
			}
		default:
			return nil, &PathError{in, ErrSpecial}
		}
	}
	if len(a.Files) == 0 {
		return nil, ErrEmpty
	}
	sort.Slice(a.Files, func(i, j int) bool { return a.Files[i].Name < a.Files[j].Name })
	return a, nil
}

// mediaTypes by extension: a fixed table, so the manifest does not depend
// on the machine's MIME database.
var mediaTypes = map[string]string{
	".json": "application/json",
	".xml":  "application/xml",
	".pdf":  "application/pdf",
	".txt":  "text/plain",
	".csv":  "text/csv",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
}

func mediaType(name string) string {
	if t, ok := mediaTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	d, n, err := cms.Digest(f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(d), n, nil
}

func readFile(p, name string) (*File, error) {
	sum, n, err := hashFile(p)
	if err != nil {
		return nil, err
	}
	f := &File{Entry: Entry{Name: name, Size: n, SHA256: sum, MediaType: mediaType(name)}, Path: p}
	if f.MediaType != "application/json" && f.MediaType != "application/xml" {
		return f, nil
	}
	var data []byte
	if n <= MaxPreview {
		if data, err = os.ReadFile(p); err != nil {
			return nil, err
		}
	} else {
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		r := io.Reader(fh)
		if f.MediaType == "application/json" {
			if err := jsonFields(r, nil); err != nil {
				return nil, err
			}
		} else if err := xmlFields(r, nil); err != nil {
			return nil, err
		}
		return f, nil
	}
	// The preview stops at maxFields values; whether there are more is all
	// it says after that.
	keep := func(fl Field) bool {
		if len(f.Preview) < maxFields {
			f.Preview = append(f.Preview, fl)
			return true
		}
		f.More = true
		return false
	}
	if f.MediaType == "application/json" {
		if !json.Valid(data) { // fast check of the whole file; the preview walk may stop early
			return nil, ErrJSON
		}
		err = jsonFields(bytes.NewReader(data), keep)
	} else {
		err = xmlFields(bytes.NewReader(data), keep)
	}
	if err != nil && err != errEnough {
		return nil, err
	}
	return f, nil
}
