//go:build !unix

package signing_test

import "time"

// cpuTime is not measured where getrusage does not exist (Windows): the
// benchmark's cpu-ms/document then reads 0 and only wall time counts.
func cpuTime() time.Duration { return 0 }
