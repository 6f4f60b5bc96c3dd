package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/signing"
)

// Uploads keeps the files a browser sent, each in a folder of its own
// under Dir, with the signatures made of them beside it. A reference is
// "FOLDER/NAME": the browser never names a path on the machine.
type Uploads struct {
	Dir string
}

var errBadName = errors.New("bad file name")

// cleanName accepts a plain, printable file name (no folder part).
func cleanName(name string) (string, error) {
	if strings.ContainsAny(name, "/\\") || name == "" || name == "." || name == ".." || name == "/" || strings.HasPrefix(name, ".") || len(name) > 200 || !utf8.ValidString(name) {
		return "", errBadName
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '/' {
			return "", errBadName
		}
	}
	return name, nil
}

// Save writes r as a new upload named name (atomically) and describes it.
func (u *Uploads) Save(name string, r io.Reader) (*uiservice.FileInfo, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	var id [12]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	folder := hex.EncodeToString(id[:])
	dir := filepath.Join(u.Dir, folder)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var n int64
	err = signing.WriteAtomic(filepath.Join(dir, name), false, func(w io.Writer) error {
		var err error
		n, err = io.Copy(w, r)
		return err
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ref := folder + "/" + name
	return &uiservice.FileInfo{Ref: ref, Name: name, Size: n, PDF: strings.EqualFold(filepath.Ext(name), ".pdf")}, nil
}

// NewOutput makes a new folder for a file the service is about to write.
func (u *Uploads) NewOutput(name string) (string, error) {
	name, err := cleanName(name)
	if err != nil {
		return "", err
	}
	var id [12]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", err
	}
	dir := filepath.Join(u.Dir, hex.EncodeToString(id[:]))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// Input resolves a reference to a regular file inside Dir.
func (u *Uploads) Input(ref string) (string, error) {
	folder, name, ok := strings.Cut(ref, "/")
	if !ok || len(folder) != 24 || strings.Contains(name, "/") {
		return "", fmt.Errorf("bad reference %q", ref)
	}
	if _, err := hex.DecodeString(folder); err != nil {
		return "", fmt.Errorf("bad reference %q", ref)
	}
	if n, err := cleanName(name); err != nil || n != name {
		return "", fmt.Errorf("bad reference %q", ref)
	}
	p := filepath.Join(u.Dir, folder, name)
	fi, err := os.Lstat(p)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file: %q", ref)
	}
	return p, nil
}

// Ref is the reference of a file written inside Dir ("" outside it).
func (u *Uploads) Ref(path string) string {
	rel, err := filepath.Rel(u.Dir, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}
