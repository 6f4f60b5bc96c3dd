package verify

import "github.com/shomei-app/shomei/backend/verify/pdfv"

// SetChangesHook replaces the change analysis' findings for the test that
// calls it (to play a gap in the analysis); the returned func undoes it.
func SetChangesHook(f func(*pdfv.Signature)) func() {
	changesHook = f
	return func() { changesHook = nil }
}
