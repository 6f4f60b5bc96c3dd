package desktop

import (
	"testing"
	"time"
)

// The process started before this test ran, and not long before: a test
// binary gets here within seconds (a wrong field or clock would be off by
// the machine's uptime or by years).
func TestProcessStart(t *testing.T) {
	start, ok := processStart()
	if !ok {
		t.Skip("no process start time on this system")
	}
	ago := time.Since(start)
	t.Logf("process started %v ago", ago)
	if ago < 0 || ago > 10*time.Minute {
		t.Fatalf("process started %v ago", ago)
	}
}
