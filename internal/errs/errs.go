// Package errs is Shomei's one error type for what a person is told: a
// stable code (documented in docs/errors.md), the arguments its sentence
// needs, and the internal cause, which goes to the log only. The sentence
// itself is chosen from the code in backend/i18n, never here.
//
// The card layer (cardio.Error) and the signer (signing.FileError) keep
// their own typed errors for the data they carry; both answer Errs, so From
// turns any error into an *Error with a code from this one vocabulary.
package errs

import (
	"context"
	"errors"
	"fmt"
)

// Code names a class of failure. Codes are stable: scripts read them in
// --json output and the history records them.
type Code string

// Error is a failure a person can be told about.
type Error struct {
	Code  Code
	Args  []any // what the code's sentence names (a file, a number of tries)
	Cause error // for the log; never shown
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if len(e.Args) > 0 {
		msg += fmt.Sprint(e.Args)
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Cause }

// Is matches on the code alone when target is an *Error without a cause, so
// errors.Is(err, errs.New(errs.NoCard)) asks "is this a no_card failure".
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Cause == nil && t.Code == e.Code
}

// New builds an error with no cause.
func New(code Code, args ...any) *Error { return &Error{Code: code, Args: args} }

// Wrap builds an error whose cause is err (for the log).
func Wrap(err error, code Code, args ...any) *Error {
	return &Error{Code: code, Args: args, Cause: err}
}

// Coder is a layer's own typed error that knows its place in the one
// vocabulary (cardio.Error, signing.FileError).
type Coder interface {
	Errs() *Error
}

// From returns err as an *Error: the first *Error or Coder in its chain; a
// cancelled context is Cancelled; anything else is Internal with err as the
// cause. nil stays nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch v := e.(type) {
		case *Error:
			return v
		case Coder:
			if out := v.Errs(); out != nil {
				return out
			}
		}
	}
	if errors.Is(err, context.Canceled) {
		return Wrap(err, Cancelled)
	}
	return Wrap(err, Internal)
}

// CodeOf is From(err).Code, or "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return From(err).Code
}

// TriesLeft returns the tries left an error reports (wrong PIN, last try,
// tries changed, locked) and whether it reports any.
func TriesLeft(err error) (int, bool) {
	e := From(err)
	if e == nil {
		return 0, false
	}
	switch e.Code {
	case PINWrong, PINStateChanged, PINLastTry, ResetCodeWrong:
		if len(e.Args) > 0 {
			if n, ok := e.Args[0].(int); ok {
				return n, true
			}
		}
	case PINLocked:
		return 0, true
	}
	return 0, false
}
