package uiservice

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shomei-app/shomei/backend/i18n"
)

// Files maps the references the UI holds to files on disk. The desktop app
// uses paths as they are (LocalFiles); the web server hands out references to
// files uploaded into its work folder, so a browser never names a path.
type Files interface {
	// Input resolves a reference the UI sent to a readable regular file.
	Input(ref string) (string, error)
	// Ref is the reference the UI gets for a file the service wrote.
	Ref(path string) string
	// NewOutput returns a path, not yet taken, for a new file named name
	// that the service is about to write (exports).
	NewOutput(name string) (string, error)
}

// LocalFiles: references are absolute paths (the desktop app).
type LocalFiles struct{}

func (LocalFiles) Input(ref string) (string, error) {
	if !filepath.IsAbs(ref) {
		return "", fmt.Errorf("not an absolute path: %q", ref)
	}
	fi, err := os.Stat(ref)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file: %q", ref)
	}
	return filepath.Clean(ref), nil
}

func (LocalFiles) Ref(path string) string { return path }

// LocalFiles' new outputs go to the Documents folder, else the home folder
// (as desktop programs save), with a number added when the name is taken.
func (LocalFiles) NewOutput(name string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(home, "Documents")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		dir = home
	}
	return FreeName(dir, name), nil
}

// FreeName is dir/name, or dir/name-2.ext, -3… when taken.
func FreeName(dir, name string) string {
	p := filepath.Join(dir, name)
	ext := filepath.Ext(name)
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), i, ext))
	}
}

// FileInfo describes one file the UI listed.
type FileInfo struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
	Size int64  `json:"size"`
	PDF  bool   `json:"pdf"`
}

func (s *Service) input(ref string) (string, *Error) {
	if s.cfg.Files == nil {
		return "", s.userErr("file_missing", "api.file_missing", ref)
	}
	p, err := s.cfg.Files.Input(ref)
	if err != nil {
		s.logf("file %q: %v", ref, err)
		return "", s.userErr("file_missing", "api.file_missing", filepath.Base(ref))
	}
	return p, nil
}

// Describe returns name, size and kind of files by reference (the desktop
// app calls it for dropped or chosen paths).
func (s *Service) Describe(refs []string) ([]FileInfo, error) {
	out := make([]FileInfo, 0, len(refs))
	for _, r := range refs {
		p, e := s.input(r)
		if e != nil {
			return nil, e
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, s.fail("describe", err)
		}
		out = append(out, FileInfo{Ref: r, Name: filepath.Base(p), Size: fi.Size(), PDF: isPDF(p)})
	}
	return out, nil
}

// PreviewLimit is the largest file Preview returns.
const PreviewLimit = 64 << 20

// Preview returns a file's bytes, base64-encoded, for the PDF preview of the
// desktop app (the browser reads dropped files itself). Files over
// PreviewLimit get an error with code preview_too_large.
func (s *Service) Preview(ref string) (string, error) {
	p, e := s.input(ref)
	if e != nil {
		return "", e
	}
	f, err := os.Open(p)
	if err != nil {
		return "", s.fail("preview", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, PreviewLimit+1))
	if err != nil {
		return "", s.fail("preview", err)
	}
	if len(b) > PreviewLimit {
		return "", s.userErr("preview_too_large", "api.preview_too_large", PreviewLimit>>20)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// PickFiles shows the native file dialog (desktop app).
func (s *Service) PickFiles() ([]FileInfo, error) {
	if s.cfg.Platform == nil {
		return nil, s.userErr("unsupported", "api.unsupported")
	}
	paths, err := s.cfg.Platform.OpenFiles(i18n.T(s.lang(), "api.pick"))
	if err != nil {
		if errors.Is(err, ErrUnsupported) {
			return nil, s.userErr("unsupported", "api.unsupported")
		}
		return nil, s.fail("pick files", err)
	}
	return s.Describe(paths)
}

// Reveal shows an output in the file manager (desktop app).
func (s *Service) Reveal(ref string) error {
	if s.cfg.Platform == nil {
		return s.userErr("unsupported", "api.unsupported")
	}
	p, e := s.input(ref)
	if e != nil {
		return e
	}
	if err := s.cfg.Platform.Reveal(p); err != nil {
		if errors.Is(err, ErrUnsupported) {
			return s.userErr("unsupported", "api.unsupported")
		}
		return s.fail("reveal", err)
	}
	return nil
}

// ErrUnsupported is what a Platform answers for what its shell cannot do.
var ErrUnsupported = errors.New("not supported by this shell")

func isPDF(p string) bool { return strings.EqualFold(filepath.Ext(p), ".pdf") }
