//go:build !linux

package desktop

import "time"

// processStart: known on Linux only (started_linux.go).
func processStart() (time.Time, bool) { return time.Time{}, false }
