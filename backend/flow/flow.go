// Package flow owns every job a person starts with the card: each workflow
// is written once here, and the shells (the command line, the desktop
// window and the browser UI) only answer what a person alone can give,
// through UI. Everything that can be checked without the card is checked
// before the card sees a PIN; the guard in cardio/jpki then sends exactly
// one VERIFY. Each flow returns a typed outcome and records the same
// history event whichever shell ran it.
package flow

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/errs"
)

// Prompt says which secret ReadPIN asks for.
type Prompt string

const (
	PromptCurrent   Prompt = "current"    // the PIN as it is now (also the signing password)
	PromptNew       Prompt = "new"        // the PIN to set
	PromptResetCode Prompt = "reset_code" // the card's reset code (virtual card, at the desk)
)

// Progress is one step of a batch: Current is being signed, or Result is
// one document's outcome.
type Progress struct {
	Done, Total int
	Current     string
	Result      *signing.Result
}

// UI is what a flow asks of the person, through the shell; the shell
// answers from the terminal or from the request the screen sent. An answer
// may be an error: errs.Cancelled when the person cancelled (Ctrl-C), which
// ends the flow with nothing sent to the card.
type UI interface {
	// ShowStatus shows the card's state before a PIN is asked, and returns
	// what the person saw of PIN id: the guard refuses to go on if the card
	// or its tries differ from that.
	ShowStatus(st *cardsvc.Status, id pin.ID) (jpki.Observed, error)
	// AcceptDisclosure asks whether the person accepts that the signing
	// certificate discloses their name, address, date of birth and sex.
	AcceptDisclosure() (bool, error)
	// ConfirmLastTry asks for an explicit go-ahead when one try is left.
	ConfirmLastTry(id pin.ID) (bool, error)
	// ReadPIN asks for one secret; its format is checked by the shell's
	// pin.Parse, so a malformed one never reaches the flow.
	ReadPIN(id pin.ID, p Prompt) (*pin.Secret, error)
	// StaffConfirm asks the desk's staff to confirm they checked the
	// holder's identity.
	StaffConfirm() (bool, error)
	// Progress reports a batch's progress.
	Progress(Progress)
}

// Flows runs the jobs over one card service.
type Flows struct {
	Cards *cardsvc.Service
	// Record keeps events in the history; the shell stamps them with its
	// version and interface and warns when the history is unavailable.
	Record func(evs ...history.Event)
	// Paths: the shell works on the person's own files (command line,
	// desktop), so the history keeps where they are.
	Paths bool
	// Ref is the browser UI's reference to a file a flow wrote (the
	// history keeps it where it keeps no path).
	Ref func(path string) string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

func (f *Flows) record(evs ...history.Event) {
	if f.Record != nil && len(evs) > 0 {
		f.Record(evs...)
	}
}

// Reached reports whether an attempt got as far as the card checking the
// PIN (a VERIFY went out): only those are recorded as PIN uses. A format,
// a tries count or a card that changed, an unconfirmed last try and a PIN
// already locked are refused before.
func Reached(err error) bool {
	var ce *cardio.Error
	switch errs.CodeOf(err) {
	case errs.PINFormat, errs.PINStateChanged, errs.CardChanged, errs.PINLastTry, errs.Cancelled, errs.PINMismatch,
		errs.NoTerminal, errs.NoPINInput, errs.DisclosureRefused, errs.Usage:
		return false
	case errs.PINLocked:
		// Only a VERIFY that itself found the PIN blocked.
		return errors.As(err, &ce) && strings.HasPrefix(ce.Op, "verify")
	}
	return true
}

// guard is what precedes every PIN entry: the state shown, a PIN that is
// on the card and not locked, an explicit go-ahead at the last try. It
// returns what the person saw and whether they accepted the last try.
func (f *Flows) guard(ui UI, st *cardsvc.Status, id pin.ID) (jpki.Attempt, error) {
	seen, err := ui.ShowStatus(st, id)
	if err != nil {
		return jpki.Attempt{}, err
	}
	ps := st.PINs[id]
	switch {
	case !ps.Available:
		return jpki.Attempt{}, cardio.ErrUnsupported
	case ps.Locked:
		f.recordLocks(st)
		return jpki.Attempt{}, cardio.ErrPINLocked
	}
	a := jpki.Attempt{PIN: id, Seen: seen}
	if seen.TriesLeft == 1 || ps.TriesLeft == 1 {
		ok, err := ui.ConfirmLastTry(id)
		if err != nil {
			return jpki.Attempt{}, err
		}
		if !ok {
			return jpki.Attempt{}, &cardio.Error{Code: cardio.CodeLastTry, TriesLeft: 1}
		}
		a.ConfirmLastTry = true
	}
	return a, nil
}

// recordLocks records a status that found locked PINs.
func (f *Flows) recordLocks(st *cardsvc.Status) {
	var locked []string
	for _, id := range pin.All {
		if p, ok := st.PINs[id]; ok && p.Available && p.Locked {
			locked = append(locked, string(id))
		}
	}
	if len(locked) > 0 {
		f.record(history.PINLocked(locked, st.Reader, st.TestCard))
	}
}

// Status reads the card in reader (status only: no VERIFY) and records
// the PINs it finds locked.
func (f *Flows) Status(reader string) (*cardsvc.Status, error) {
	st, err := f.Cards.Status(reader)
	if err != nil {
		return nil, err
	}
	f.recordLocks(st)
	return st, nil
}

// ChangePIN changes PIN id of the card in reader: the state shown, the
// last try confirmed, the current and the new PIN read, then one VERIFY and
// the change. Only an attempt that reached the card is recorded.
func (f *Flows) ChangePIN(ctx context.Context, ui UI, reader string, id pin.ID) error {
	if _, err := pin.ParseID(string(id)); err != nil || id == pin.Juki {
		return errs.New(errs.Usage)
	}
	st, err := f.Cards.Status(reader)
	if err != nil {
		return err
	}
	a, err := f.guard(ui, st, id)
	if err != nil {
		return err
	}
	if a.Secret, err = ui.ReadPIN(id, PromptCurrent); err != nil {
		return err
	}
	next, err := ui.ReadPIN(id, PromptNew)
	if err != nil {
		a.Secret.Wipe()
		return err
	}
	if err := ctx.Err(); err != nil {
		a.Secret.Wipe()
		next.Wipe()
		return errs.Wrap(err, errs.Cancelled)
	}
	err = f.Cards.ChangePIN(st.Reader, a, next)
	if Reached(err) {
		f.record(history.PINChange(string(id), st.Reader, st.TestCard, err))
	}
	return err
}
