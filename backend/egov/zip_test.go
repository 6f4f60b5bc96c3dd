package egov_test

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/egov"
)

func writeZip(t *testing.T, entries map[string]string, link string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.zip")
	f, _ := os.Create(p)
	z := zip.NewWriter(f)
	for n, body := range entries {
		w, err := z.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if link != "" {
		h := &zip.FileHeader{Name: link}
		h.SetMode(os.ModeSymlink | 0o777)
		w, _ := z.CreateHeader(h)
		w.Write([]byte("/etc/passwd"))
	}
	z.Close()
	f.Close()
	return p
}

// An application zip opens into a folder of its own; what is not one
// folder of plain files is refused and leaves nothing.
func TestUnzip(t *testing.T) {
	app := map[string]string{}
	entries, _ := os.ReadDir("testdata/app")
	if len(entries) != 3 {
		t.Fatalf("fixture: %d files", len(entries))
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join("testdata/app", e.Name()))
		app["900A010200001000(1)/"+e.Name()] = string(b)
	}
	into := t.TempDir()
	dir, err := egov.Unzip(writeZip(t, app, ""), into)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != "900A010200001000(1)" {
		t.Errorf("folder %s", dir)
	}
	if p, err := egov.Load(dir); err != nil || len(p.Files) != 2 {
		t.Fatalf("load: %v", err)
	}
	for name, bad := range map[string]map[string]string{
		"slip":     {"../x.txt": "x"},
		"nested":   {"a/b/kousei.xml": "x"},
		"two tops": {"a/kousei.xml": "x", "b/x.txt": "y"},
		"absolute": {"/etc/kousei.xml": "x"},
	} {
		in := t.TempDir()
		if _, err := egov.Unzip(writeZip(t, bad, ""), in); !errors.Is(err, egov.ErrZip) {
			t.Errorf("%s: %v", name, err)
		}
		if left, _ := os.ReadDir(in); len(left) != 0 {
			t.Errorf("%s: left %v", name, left)
		}
	}
	if _, err := egov.Unzip(writeZip(t, map[string]string{"kousei.xml": "x"}, "link.txt"), t.TempDir()); !errors.Is(err, egov.ErrZip) {
		t.Errorf("symlink: %v", err)
	}
}
