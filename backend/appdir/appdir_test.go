package appdir

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestOverrideAndXDG(t *testing.T) {
	d := t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", filepath.Join(d, "a"))
	got, err := Data()
	if err != nil || got != filepath.Join(d, "a") {
		t.Fatalf("Data() = %q, %v", got, err)
	}
	if st, err := os.Stat(got); err != nil || !st.IsDir() || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o700) {
		t.Fatalf("not created private: %v %v", st, err)
	}
	if runtime.GOOS == "linux" {
		t.Setenv("SHOMEI_DATA_DIR", "")
		t.Setenv("XDG_DATA_HOME", filepath.Join(d, "xdg"))
		if got, _ := Data(); got != filepath.Join(d, "xdg", "shomei") {
			t.Fatalf("XDG: %q", got)
		}
		t.Setenv("XDG_DATA_HOME", "relative")
		t.Setenv("HOME", d)
		if got, _ := Data(); got != filepath.Join(d, ".local", "share", "shomei") {
			t.Fatalf("relative XDG must be ignored: %q", got)
		}
	}
}
