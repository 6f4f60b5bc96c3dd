package jpki

import (
	"errors"
	"fmt"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/pin"
)

// This file is the one place where a PIN reaches the card. Every VERIFY,
// CHANGE REFERENCE DATA and RESET RETRY COUNTER goes through tryPIN, which
// enforces, in order:
//
//  1. the PIN's format, before anything is sent;
//  2. the card is the one whose state the user was shown (Observed.CardID);
//  3. the tries left, read without using a try, are what the user was shown
//     (Observed.TriesLeft), the PIN is not locked, and with one try left the
//     caller passed ConfirmLastTry;
//  4. exactly one VERIFY, never repeated, whatever it answers.
//
// PIN bytes are wiped once used. Errors never contain them.

// Observed is the state the user was shown before typing a PIN: the card ID
// and the tries left of that PIN, both from a status read in this process.
type Observed struct {
	CardID    string
	TriesLeft int
}

// Attempt is one user-requested use of a PIN.
type Attempt struct {
	PIN            pin.ID
	Secret         *pin.Secret
	Seen           Observed
	ConfirmLastTry bool // the user explicitly accepted risking the last try
}

// checkFormat re-validates a secret against the PIN's spec. pin.Parse already
// did, but a Secret built for another PIN must not slip through.
func checkFormat(id pin.ID, s *pin.Secret) error {
	if s == nil || s.Len() == 0 {
		return cardio.E(cardio.CodePINFormat, "pin "+string(id), errors.New("empty"))
	}
	spec, ok := pin.SpecOf(id)
	if !ok {
		return cardio.E(cardio.CodeUnsupported, "pin "+string(id), nil)
	}
	b := s.Bytes()
	if len(b) < spec.MinLen || len(b) > spec.MaxLen {
		return cardio.E(cardio.CodePINFormat, "pin "+string(id), errors.New(spec.Rule()))
	}
	for _, c := range b {
		digit := c >= '0' && c <= '9'
		if !(digit || (!spec.Digits && c >= 'A' && c <= 'Z')) {
			return cardio.E(cardio.CodePINFormat, "pin "+string(id), errors.New(spec.Rule()))
		}
	}
	if !spec.Check(b) {
		return cardio.E(cardio.CodePINFormat, "pin "+string(id), errors.New(spec.Rule()))
	}
	return nil
}

// preflight runs checks 1 to 3 and leaves the PIN's EF selected.
func (s *Session) preflight(a Attempt) error {
	op := "pin " + string(a.PIN)
	if err := checkFormat(a.PIN, a.Secret); err != nil {
		return err
	}
	if a.Seen.CardID == "" {
		return cardio.E(cardio.CodeStateChanged, op, errors.New("no card state was shown before the PIN was asked"))
	}
	id, err := s.CardID()
	if err != nil {
		return cardio.Wrap(op, err)
	}
	if id != a.Seen.CardID {
		return cardio.E(cardio.CodeCardChanged, op, nil)
	}
	st, err := s.PINStatus(a.PIN)
	if err != nil {
		return err
	}
	switch {
	case !st.Available:
		return cardio.E(cardio.CodeUnsupported, op, errors.New("this PIN is not on the card"))
	case st.Locked:
		return &cardio.Error{Code: cardio.CodePINLocked, Op: op}
	case st.TriesLeft != a.Seen.TriesLeft:
		return &cardio.Error{Code: cardio.CodeStateChanged, Op: op, TriesLeft: st.TriesLeft}
	case st.TriesLeft == 1 && !a.ConfirmLastTry:
		return &cardio.Error{Code: cardio.CodeLastTry, Op: op, TriesLeft: 1}
	}
	return nil
}

// Verify checks the PIN with the card: one VERIFY, after the preflight
// checks. On success the PIN stays verified for the rest of this session
// (until another applet is selected), so one Verify serves many signatures.
// The secret is wiped.
func (s *Session) Verify(a Attempt) error {
	defer a.Secret.Wipe()
	if err := s.preflight(a); err != nil {
		return err
	}
	return s.sendVerify(a.PIN, a.Secret)
}

// sendVerify is the only VERIFY with data in the project. It is called once
// per Attempt, after preflight, and never retried.
func (s *Session) sendVerify(id pin.ID, secret *pin.Secret) error {
	op := "verify " + string(id)
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0x20, P1: 0x00, P2: 0x80, Data: secret.Bytes(), Le: apdu.NoLe})
	if err != nil {
		return cardio.Wrap(op, err)
	}
	if err := r.NoData(op); err != nil {
		return err
	}
	if r.SW.OK() {
		s.verified[id] = true
		return nil
	}
	// 63 Cx: wrong, x left; 63 C0 means this very try locked it.
	if n, ok := r.SW.Counter(); ok {
		return &cardio.Error{Code: cardio.CodePINWrong, Op: op, TriesLeft: n}
	}
	if r.SW.Blocked() {
		return &cardio.Error{Code: cardio.CodePINLocked, Op: op, Err: &apdu.StatusError{SW: r.SW}}
	}
	return cardio.E(apdu.CodeFor(r.SW), op, &apdu.StatusError{SW: r.SW})
}

// Verified reports whether this session has verified id.
func (s *Session) Verified(id pin.ID) bool { return s.verified[id] }

// ChangePIN verifies the current PIN (one try, through the guard) and sets a
// new one. The new PIN's format is checked before anything is sent. Both
// secrets are wiped.
func (s *Session) ChangePIN(a Attempt, newPIN *pin.Secret) error {
	defer a.Secret.Wipe()
	defer newPIN.Wipe()
	op := "change pin " + string(a.PIN)
	if a.PIN == pin.Juki {
		return cardio.E(cardio.CodeUnsupported, op, errors.New("the 住基 PIN is changed at the municipal counter"))
	}
	if pin.IsCode(a.PIN) {
		return cardio.E(cardio.CodeUnsupported, op, errors.New("a 照合番号 is printed on the card and cannot be changed"))
	}
	if err := checkFormat(a.PIN, newPIN); err != nil {
		return err
	}
	if err := s.preflight(a); err != nil {
		return err
	}
	if err := s.sendVerify(a.PIN, a.Secret); err != nil {
		return err
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0x24, P1: 0x01, P2: 0x80, Data: newPIN.Bytes(), Le: apdu.NoLe})
	if err != nil {
		return cardio.Wrap(op, err)
	}
	if err := r.Check(op); err != nil {
		return err
	}
	return r.NoData(op)
}

// ResetPIN sends ISO 7816-4 RESET RETRY COUNTER with a reset code and a new
// PIN (P1=00). Real My Number Cards refuse it (they are reset on J-LIS's
// terminals); the virtual card accepts it for counter scenarios. The card ID
// and lock state are checked first like any PIN operation; a wrong reset code
// is never retried.
func (s *Session) ResetPIN(id pin.ID, seenCard string, resetCode []byte, newPIN *pin.Secret) error {
	defer newPIN.Wipe()
	defer func() {
		for i := range resetCode {
			resetCode[i] = 0
		}
	}()
	op := "reset pin " + string(id)
	if pin.IsCode(id) {
		return cardio.E(cardio.CodeUnsupported, op, errors.New("a 照合番号 cannot be reset"))
	}
	if err := checkFormat(id, newPIN); err != nil {
		return err
	}
	if len(resetCode) == 0 || len(resetCode)+newPIN.Len() > 255 {
		return cardio.E(cardio.CodePINFormat, op, errors.New("reset code missing or too long"))
	}
	cur, err := s.CardID()
	if err != nil {
		return cardio.Wrap(op, err)
	}
	if cur != seenCard {
		return cardio.E(cardio.CodeCardChanged, op, nil)
	}
	if _, err := s.PINStatus(id); err != nil { // selects the PIN EF
		return err
	}
	data := make([]byte, 0, len(resetCode)+newPIN.Len())
	data = append(append(data, resetCode...), newPIN.Bytes()...)
	defer func() {
		for i := range data {
			data[i] = 0
		}
	}()
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0x2C, P1: 0x00, P2: 0x80, Data: data, Le: apdu.NoLe})
	if err != nil {
		return cardio.Wrap(op, err)
	}
	if n, ok := r.SW.Counter(); ok {
		return &cardio.Error{Code: cardio.CodePINWrong, Op: op + ": reset code", TriesLeft: n}
	}
	if r.SW == apdu.SWINSNotSupported || r.SW == apdu.SWFuncNotSupported || r.SW == apdu.SWCondNotSatisfied {
		return cardio.E(cardio.CodeUnsupported, op, fmt.Errorf("the card does not accept a reset: %w", &apdu.StatusError{SW: r.SW}))
	}
	return r.Check(op)
}

// TakesResetCode asks the card, without using any try, whether it accepts
// a reset of PIN id with a reset code: RESET RETRY COUNTER without data is
// refused for its length by a card that has the command, and as unknown by
// one that has not. Only ever asked of a test card (the counter screen):
// a real card is reset on J-LIS's terminal.
func (s *Session) TakesResetCode(id pin.ID) (bool, error) {
	if _, err := s.PINStatus(id); err != nil {
		return false, err
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0x2C, P1: 0x00, P2: 0x80, Le: apdu.NoLe})
	if err != nil {
		return false, cardio.Wrap("reset probe", err)
	}
	return r.SW == apdu.SWWrongLength, nil
}
