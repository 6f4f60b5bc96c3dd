// Package cardio holds what every card package shares: the typed errors a
// user interface can explain. The subpackages do the work: apdu (commands and
// status words), pcsc (readers through pcsc-lite), pin (PIN formats and
// secrets), jpki (the JPKI applet and PIN safety), vcard (the virtual card) and
// vpcd (plugging the virtual card into pcscd).
package cardio

import (
	"errors"
	"fmt"
)

// Code names a class of failure. Codes are stable: the UI and the JSON output
// key their messages on them.
type Code string

const (
	CodeNoService       Code = "no_service"        // pcscd not running / PC/SC unavailable
	CodeNoReader        Code = "no_reader"         // no reader attached, or the named one is gone
	CodeNoCard          Code = "no_card"           // reader empty
	CodeCardRemoved     Code = "card_removed"      // card pulled out during an operation
	CodeCardReset       Code = "card_reset"        // another program reset the card
	CodeReaderBusy      Code = "reader_busy"       // another program holds the card exclusively
	CodeTimeout         Code = "timeout"           // the reader or service did not answer in time
	CodeNotMyNumberCard Code = "not_mynumber_card" // no JPKI applet on this card
	CodeProtocol        Code = "card_protocol"     // the card answered something that makes no sense
	CodeTransport       Code = "transport"         // any other reader / service failure
	CodeAccessDenied    Code = "access_denied"     // the card refused (security status not satisfied)
	CodeNoSigningCert   Code = "no_signing_cert"   // the card carries no signing certificate
	CodePINFormat       Code = "pin_format"        // the PIN does not have the required format; nothing was sent
	CodePINWrong        Code = "pin_wrong"         // the card rejected the PIN; one try was used
	CodePINLocked       Code = "pin_locked"        // the PIN is blocked; nothing was sent
	CodeLastTry         Code = "pin_last_try"      // one try left and the caller did not confirm; nothing was sent
	CodeCardChanged     Code = "card_changed"      // not the card whose state the user was shown; nothing was sent
	CodeStateChanged    Code = "pin_state_changed" // tries left differ from what the user was shown; nothing was sent
	CodeUnsupported     Code = "unsupported"       // the card does not support the operation
	CodeCancelled       Code = "cancelled"
	CodeChipData        Code = "chip_data_invalid" // the 券面 applets' data cannot be read as a card writes them
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
