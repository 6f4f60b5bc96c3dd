// Package version says which Shomei this is. The build stamps it from git
// (scripts/version.sh) with -ldflags "-X
// github.com/shomei-app/shomei/internal/version.stamp=<version>"; a binary
// built without the stamp (go build, go test) calls itself 0.0.0-dev.
package version

// stamp is set by the linker; see the package comment.
var stamp string

// Unstamped is the version of a build that was not stamped.
const Unstamped = "0.0.0-dev"

// String returns the version: a git tag without its "v" (1.2.0), the
// commits since it (1.2.0-3-gabc1234), or 0.0.0-<commits>-g<hash> in a
// clone without tags; "-dirty" when the tree had local changes.
func String() string {
	if stamp == "" {
		return Unstamped
	}
	return stamp
}
