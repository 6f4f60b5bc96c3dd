package application

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/errs"
)

// Errors of collecting.
var (
	ErrEmpty    = errors.New("application: no files")
	ErrTooMany  = fmt.Errorf("application: more than %d files", MaxFiles)
	ErrSymlink  = errors.New("application: symbolic links are not signed")
	ErrSpecial  = errors.New("application: only regular files are signed")
	ErrSameName = errors.New("application: two files with the same name")
	ErrJSON     = errors.New("application: not well-formed JSON")
	ErrXML      = errors.New("application: not well-formed XML")
	ErrChanged  = errors.New("application: a file changed after it was shown")
)

// Reason names the collecting error err as a stable code ("empty",
// "too_many", "symlink", "special", "same_name", "json", "xml", "changed",
// "missing", or "read" for any other), for messages and error codes.
func Reason(err error) string {
	for _, r := range []struct {
		err  error
		code string
	}{{ErrEmpty, "empty"}, {ErrTooMany, "too_many"}, {ErrSymlink, "symlink"}, {ErrSpecial, "special"},
		{ErrSameName, "same_name"}, {ErrJSON, "json"}, {ErrXML, "xml"}, {ErrChanged, "changed"}, {fs.ErrNotExist, "missing"}} {
		if errors.Is(err, r.err) {
			return r.code
		}
	}
	return "read"
}

// Code is the collecting error err's code in the one vocabulary:
// application_ and its Reason.
func Code(err error) errs.Code { return errs.Code("application_" + Reason(err)) }

// Message is the person's sentence, in lang, for a collecting error err.
// When err is about one file it begins with that file as shown(path) gives
// it: the CLI shows the path it was given, the UI service the file name only
// (in a browser any folder is the server's work folder). Said here once so
// that every shell words it the same.
func Message(lang i18n.Lang, err error, shown func(path string) string) string {
	msg := i18n.T(lang, "app.err."+Reason(err))
	var pe *PathError
	if errors.As(err, &pe) {
		msg = shown(pe.Path) + ": " + msg
	}
	return msg
}

// PathError says which file a collecting error is about.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// Errs places the error in the one vocabulary: application_ and its Reason.
func (e *PathError) Errs() *errs.Error {
	return errs.Wrap(e, Code(e.Err))
}
