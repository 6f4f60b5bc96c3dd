package egov

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Output is where a signed package went.
type Output struct {
	Dir string `json:"dir"` // the signed folder
	Zip string `json:"zip"` // the same, zipped for submission
}

// OutputFor is the default output of dir: "<dir>.signed" beside it.
func OutputFor(dir string) string {
	return filepath.Clean(dir) + ".signed"
}

// CheckOutput refuses, before the card, an output that is the input, lies
// inside it, or exists (unless overwrite).
func CheckOutput(dir, out string, overwrite bool) error {
	a, _ := filepath.Abs(dir)
	b, _ := filepath.Abs(out)
	if a == b || strings.HasPrefix(b, a+string(filepath.Separator)) || strings.HasPrefix(a, b+string(filepath.Separator)) {
		return ErrInPlace
	}
	if overwrite {
		return nil
	}
	for _, p := range []string{out, out + ".zip"} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%w: %s", ErrExists, p)
		}
	}
	return nil
}

// Write puts the signed package at out: a folder with the signed
// kousei.xml and a copy of every file it names (each checked against the
// digest that was signed), and out.zip with the folder inside under the
// input folder's name. Both are built beside out under temporary names and
// renamed into place at the end: an interruption leaves no half package.
func (p *Package) Write(signed []byte, out string, overwrite bool) (*Output, error) {
	if err := CheckOutput(p.Dir, out, overwrite); err != nil {
		return nil, err
	}
	parent := filepath.Dir(out)
	tmpDir, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".*.partial")
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmpDir)
		}
	}()
	if err := writeSynced(filepath.Join(tmpDir, KouseiName), func(w io.Writer) error { _, err := w.Write(signed); return err }); err != nil {
		return nil, err
	}
	for _, f := range p.Files {
		src, err := os.Open(filepath.Join(p.Dir, f.Name))
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		err = writeSynced(filepath.Join(tmpDir, f.Name), func(w io.Writer) error {
			_, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(src, maxFile+1))
			return err
		})
		src.Close()
		if err != nil {
			return nil, err
		}
		if hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
			return nil, fmt.Errorf("%w: %s", ErrChanged, f.Name)
		}
	}
	tmpZip := tmpDir + ".zip"
	defer func() {
		if !ok {
			os.Remove(tmpZip)
		}
	}()
	inner := filepath.Base(filepath.Clean(p.Dir))
	if err := writeSynced(tmpZip, func(w io.Writer) error {
		z := zip.NewWriter(w)
		names := append([]string{KouseiName}, fileNamesOf(p.Files)...)
		for _, n := range names {
			fw, err := z.Create(inner + "/" + n)
			if err != nil {
				return err
			}
			src, err := os.Open(filepath.Join(tmpDir, n))
			if err != nil {
				return err
			}
			_, err = io.Copy(fw, src)
			src.Close()
			if err != nil {
				return err
			}
		}
		return z.Close()
	}); err != nil {
		return nil, err
	}
	if overwrite {
		os.RemoveAll(out)
		os.Remove(out + ".zip")
	}
	if err := os.Rename(tmpDir, out); err != nil {
		return nil, err
	}
	if err := os.Rename(tmpZip, out+".zip"); err != nil {
		os.RemoveAll(out)
		return nil, err
	}
	ok = true
	if d, err := os.Open(parent); err == nil {
		d.Sync()
		d.Close()
	}
	return &Output{Dir: out, Zip: out + ".zip"}, nil
}

func fileNamesOf(fs []File) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func writeSynced(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// SignTo signs the package with one card operation and writes it to out
// (Sign, then Write). It returns the output and the signed kousei.xml's
// SHA-256 (hex) for the history.
func (p *Package) SignTo(g Signer, out string, overwrite bool, o SignOptions) (*Output, string, error) {
	if err := CheckOutput(p.Dir, out, overwrite); err != nil {
		return nil, "", err
	}
	signed, err := p.Sign(g, o)
	if err != nil {
		return nil, "", err
	}
	res, err := p.Write(signed, out, overwrite)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(signed)
	return res, hex.EncodeToString(sum[:]), nil
}
