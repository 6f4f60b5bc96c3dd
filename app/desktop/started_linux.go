package desktop

import (
	"bytes"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// processStart is when the kernel started this process (exec), so the
// time to a usable window includes what runs before Go's main: loading
// GTK and WebKit's shared libraries and the packages' init. It reads the
// start time in clock ticks since boot from /proc/self/stat (field 22; the
// ticks are USER_HZ, 100 on Linux) against CLOCK_BOOTTIME: 10 ms steps.
func processStart() (time.Time, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return time.Time{}, false
	}
	// The command name (field 2) may hold spaces: count from its ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return time.Time{}, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 20 {
		return time.Time{}, false
	}
	ticks, err := strconv.ParseUint(string(f[19]), 10, 64) // field 22
	if err != nil {
		return time.Time{}, false
	}
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts) != nil {
		return time.Time{}, false
	}
	now := time.Now()
	since := time.Duration(ts.Nano()) - time.Duration(ticks)*(time.Second/100)
	if since < 0 {
		return time.Time{}, false
	}
	return now.Add(-since), true
}
