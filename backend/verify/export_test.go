package verify

import "github.com/shomei-app/shomei/backend/verify/pdfv"

// SetChangesHook replaces the change analysis' findings for the test that
// calls it (to play a gap in the analysis); the returned func undoes it.
func SetChangesHook(f func(*pdfv.Signature)) func() {
	changesHook = f
	return func() { changesHook = nil }
}

// SetAfterRead runs f once a file was read, before File checks it was not
// written to meanwhile; the returned func undoes it.
func SetAfterRead(f func(path string)) func() {
	afterRead = f
	return func() { afterRead = nil }
}
