// Package appdir says where Shomei keeps its own files (history, trust
// anchors, settings): SHOMEI_DATA_DIR when set (tests, portable use), else
// the platform's per-user data directory.
package appdir

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// Data returns the data directory, creating it (mode 0700) if needed.
func Data() (string, error) {
	dir, err := path()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir, nil
}

func path() (string, error) {
	if d := os.Getenv("SHOMEI_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "Shomei"), nil
		}
	case "darwin":
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, "Library", "Application Support", "Shomei"), nil
		}
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "shomei"), nil
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "shomei"), nil
		}
	}
	return "", errors.New("no data directory: set SHOMEI_DATA_DIR")
}
