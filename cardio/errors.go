// Package cardio holds what every card package shares: the typed errors a
// user interface can explain. The subpackages do the work: apdu (commands and
// status words), pcsc (readers through pcsc-lite), pin (PIN formats and
// secrets), jpki (the JPKI applet and PIN safety), vcard (the virtual card) and
// vpcd (plugging the virtual card into pcscd).
package cardio

import (
	"errors"
	"fmt"

	"github.com/shomei-app/shomei/internal/errs"
)

// Code is a code of the one vocabulary (internal/errs); the card layer's
// codes are named here for its own use.
type Code = errs.Code

const (
	CodeNoService       = errs.NoService
	CodeNoReader        = errs.NoReader
	CodeReaderNotFound  = errs.ReaderNotFound
	CodeNoCard          = errs.NoCard
	CodeCardRemoved     = errs.CardRemoved
	CodeCardReset       = errs.CardReset
	CodeReaderBusy      = errs.ReaderBusy
	CodeTimeout         = errs.Timeout
	CodeNotMyNumberCard = errs.NotMyNumberCard
	CodeProtocol        = errs.Protocol
	CodeTransport       = errs.Transport
	CodeAccessDenied    = errs.AccessDenied
	CodeNoSigningCert   = errs.NoSigningCert
	CodePINFormat       = errs.PINFormat
	CodePINWrong        = errs.PINWrong
	CodePINLocked       = errs.PINLocked
	CodeLastTry         = errs.PINLastTry
	CodeCardChanged     = errs.CardChanged
	CodeStateChanged    = errs.PINStateChanged
	CodeUnsupported     = errs.Unsupported
	CodeCancelled       = errs.Cancelled
	CodeChipData        = errs.ChipData
)

// Error is the one error type of the card layer. Code says what happened in
// terms a UI can explain; Op says what we were doing; Err is the internal
// cause (for logs, never shown as is). TriesLeft is set for PIN outcomes.
type Error struct {
	Code      Code
	Op        string
	TriesLeft int // meaningful for CodePINWrong, CodePINLocked, CodeLastTry, CodeStateChanged
	Err       error
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Code == CodePINWrong || e.Code == CodeLastTry || e.Code == CodeStateChanged {
		msg += fmt.Sprintf(" (%d tries left)", e.TriesLeft)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errs places the error in the one vocabulary: its code, the tries left as
// the sentence's argument where it names them, itself as the cause.
func (e *Error) Errs() *errs.Error {
	out := &errs.Error{Code: e.Code, Cause: e}
	switch e.Code {
	case CodePINWrong, CodeLastTry, CodeStateChanged:
		out.Args = []any{e.TriesLeft}
	}
	return out
}

// Is makes errors.Is(err, cardio.ErrPINWrong) and friends match on the code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Op == "" && t.Err == nil && t.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrNoService       = &Error{Code: CodeNoService}
	ErrNoReader        = &Error{Code: CodeNoReader}
	ErrNoCard          = &Error{Code: CodeNoCard}
	ErrCardRemoved     = &Error{Code: CodeCardRemoved}
	ErrCardReset       = &Error{Code: CodeCardReset}
	ErrReaderBusy      = &Error{Code: CodeReaderBusy}
	ErrTimeout         = &Error{Code: CodeTimeout}
	ErrNotMyNumberCard = &Error{Code: CodeNotMyNumberCard}
	ErrProtocol        = &Error{Code: CodeProtocol}
	ErrTransport       = &Error{Code: CodeTransport}
	ErrAccessDenied    = &Error{Code: CodeAccessDenied}
	ErrNoSigningCert   = &Error{Code: CodeNoSigningCert}
	ErrPINFormat       = &Error{Code: CodePINFormat}
	ErrPINWrong        = &Error{Code: CodePINWrong}
	ErrPINLocked       = &Error{Code: CodePINLocked}
	ErrLastTry         = &Error{Code: CodeLastTry}
	ErrCardChanged     = &Error{Code: CodeCardChanged}
	ErrStateChanged    = &Error{Code: CodeStateChanged}
	ErrUnsupported     = &Error{Code: CodeUnsupported}
	ErrCancelled       = &Error{Code: CodeCancelled}
	ErrChipData        = &Error{Code: CodeChipData}
)

// E builds an *Error.
func E(code Code, op string, cause error) *Error {
	return &Error{Code: code, Op: op, Err: cause}
}

// CodeOf returns the code of the first *Error in err's chain, or "" when
// there is none.
func CodeOf(err error) Code {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Code
	}
	return ""
}

// Wrap adds an operation name to a card error, keeping its code; any other
// error becomes CodeTransport.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		out := *ce
		if out.Op == "" {
			out.Op = op
		} else {
			out.Op = op + ": " + out.Op
		}
		return &out
	}
	return &Error{Code: CodeTransport, Op: op, Err: err}
}
