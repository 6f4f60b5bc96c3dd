// Package desk is the backend of counter mode (the municipal desk): what a municipal staff
// member sees when a citizen's card goes into the reader at the counter
// (what card it is, every PIN's state, the certificate's life and one line
// saying what to do), a PIN reset with an explicit staff confirmation, and
// the desk that forgets everything when the card leaves or the next person
// comes.
//
// Nothing here holds personal data: a status read needs no PIN, the
// authentication certificate carries no holder data, and the reset outcome
// names only the PIN and the result.
//
// Real My Number Cards are not reset with a reset code: that is done on
// J-LIS's own terminal at the counter. Shomei's virtual card accepts RESET
// RETRY COUNTER with its reset code, so the whole flow can be exercised;
// for any other card Reset refuses before anything is sent.
package desk

import (
	"sync"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/errs"
)

// Kind is what is in the reader.
type Kind string

const (
	KindNone         Kind = "no_card"
	KindMyNumberCard Kind = "mynumber_card"
	KindJukiCard     Kind = "juki_card" // the old 住基カード (token label JPKIAPICCTOKEN)
	KindSmartphone   Kind = "smartphone"
	KindUnknownJPKI  Kind = "unknown_jpki"
	KindNotJPKI      Kind = "not_jpki" // a card without the JPKI applet
	KindUnreadable   Kind = "unreadable"
)

// Action is the one thing to do, by stable code.
type Action string

const (
	ActionInsert     Action = "insert_card"
	ActionNotJPKI    Action = "not_jpki"
	ActionUnreadable Action = "reinsert"
	ActionResetHere  Action = "reset_here"    // locked PINs on a card that takes a reset code (the virtual card)
	ActionResetJLIS  Action = "reset_on_jlis" // locked PINs on a real card: J-LIS's terminal
	ActionNoReset    Action = "no_reset"      // locked PINs on a test card that takes no reset code
	ActionExpired    Action = "auth_expired"  // the authentication certificate has expired
	ActionRenewable  Action = "renewal_open"  // its renewal window is open
	ActionJukiCard   Action = "juki_card"     // an old 住基カード, nothing locked
	ActionNone       Action = "nothing_to_do"
)

// PINLine is one PIN's state.
type PINLine struct {
	PIN       pin.ID `json:"pin"`
	Available bool   `json:"available"`
	Locked    bool   `json:"locked"`
	TriesLeft int    `json:"tries_left"`
	MaxTries  int    `json:"max_tries"`
}

// View is the counter screen's content for one card.
type View struct {
	Kind     Kind           `json:"kind"`
	TestCard bool           `json:"test_card"`
	Reader   string         `json:"reader,omitempty"`
	CardID   string         `json:"card_id,omitempty"` // process-local; lets a reset check it is the same card
	PINs     []PINLine      `json:"pins"`
	Locked   []pin.ID       `json:"locked"`
	SignCert bool           `json:"sign_cert_present"`
	AuthLife *certlife.Life `json:"auth_certificate,omitempty"`
	Action   Action         `json:"action"`
	// ResetCode: the card said it takes a reset with a reset code (asked
	// of test cards only, by Probe); the screens offer a reset only then.
	ResetCode bool        `json:"reset_code"`
	ErrorCode cardio.Code `json:"error_code,omitempty"`
}

// Assess builds the view from a status read (or its error) on day now.
func Assess(st *cardsvc.Status, err error, now time.Time) View {
	v := View{PINs: []PINLine{}, Locked: []pin.ID{}}
	if err != nil {
		v.ErrorCode = cardio.CodeOf(err)
		switch v.ErrorCode {
		case cardio.CodeNoCard, cardio.CodeNoReader, cardio.CodeCardRemoved:
			v.Kind, v.Action = KindNone, ActionInsert
		case cardio.CodeNotMyNumberCard:
			v.Kind, v.Action = KindNotJPKI, ActionNotJPKI
		default:
			v.Kind, v.Action = KindUnreadable, ActionUnreadable
		}
		return v
	}
	v.Reader, v.CardID, v.TestCard, v.SignCert = st.Reader, st.CardID, st.TestCard, st.Card.SignCert
	switch st.Card.Kind {
	case jpki.KindMyNumberCard:
		v.Kind = KindMyNumberCard
	case jpki.KindJukiCard:
		v.Kind = KindJukiCard
	case jpki.KindSmartphone:
		v.Kind = KindSmartphone
	default:
		v.Kind = KindUnknownJPKI
	}
	for _, id := range pin.All {
		p, ok := st.PINs[id]
		if !ok {
			continue
		}
		v.PINs = append(v.PINs, PINLine{PIN: id, Available: p.Available, Locked: p.Locked, TriesLeft: p.TriesLeft, MaxTries: p.MaxTries})
		if p.Available && p.Locked {
			v.Locked = append(v.Locked, id)
		}
	}
	if st.AuthCert != nil {
		l := certlife.Assess(certlife.Auth, st.AuthCert.NotAfter, now, 0)
		v.AuthLife = &l
	}
	switch {
	case len(v.Locked) > 0 && v.TestCard:
		v.Action = ActionResetHere
	case len(v.Locked) > 0:
		v.Action = ActionResetJLIS
	case v.AuthLife != nil && v.AuthLife.Expired:
		v.Action = ActionExpired
	case v.AuthLife != nil && v.AuthLife.RenewableNow:
		v.Action = ActionRenewable
	case v.Kind == KindJukiCard:
		v.Action = ActionJukiCard
	default:
		v.Action = ActionNone
	}
	return v
}

// Line is the one line that says what to do, in lang.
func (v View) Line(lang i18n.Lang) string {
	switch v.Action {
	case ActionResetHere, ActionResetJLIS, ActionNoReset:
		return i18n.T(lang, "counter.action."+string(v.Action), pinNames(lang, v.Locked))
	case ActionExpired, ActionRenewable:
		if v.AuthLife != nil {
			date := v.AuthLife.ExpiresOn
			if v.Action == ActionRenewable {
				date = v.AuthLife.RenewalFrom
			}
			return i18n.T(lang, "counter.action."+string(v.Action), date)
		}
	}
	return i18n.T(lang, "counter.action."+string(v.Action))
}

func pinNames(lang i18n.Lang, ids []pin.ID) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			if lang == i18n.EN {
				s += ", "
			} else {
				s += "、"
			}
		}
		s += i18n.T(lang, "pin."+string(id))
	}
	return s
}

// Lines is the whole screen as text: the card kind, each PIN, the
// certificate's life, and the line of what to do last.
func (v View) Lines(lang i18n.Lang) []string {
	var out []string
	if v.TestCard {
		out = append(out, "*** "+i18n.T(lang, "status.testcard")+" ***")
	}
	out = append(out, i18n.T(lang, "counter.kind", i18n.T(lang, "counter.kind."+string(v.Kind))))
	for _, p := range v.PINs {
		state := i18n.PINState(lang, p.Available, p.Locked, p.TriesLeft, p.MaxTries)
		out = append(out, "  "+i18n.T(lang, "pin."+string(p.PIN))+": "+state)
	}
	if v.Kind != KindNone && v.Kind != KindNotJPKI && v.Kind != KindUnreadable {
		if !v.SignCert {
			out = append(out, "  "+i18n.T(lang, "status.signcert.none"))
		}
		if v.AuthLife != nil {
			out = append(out, "  "+v.AuthLife.Lines(lang)[0])
		}
	}
	return append(out, "→ "+v.Line(lang))
}

// ResetProber asks a card whether it takes a reset code (cardsvc.Service).
type ResetProber interface {
	TakesResetCode(reader string, id pin.ID) (bool, error)
}

// Probe asks a test card of v whether it takes a reset code (no try is
// used), so no screen offers a reset the card would refuse: without one,
// a locked PIN's line says so instead. Real cards are never asked.
func Probe(v View, p ResetProber) View {
	if !v.TestCard || v.CardID == "" {
		return v
	}
	for _, l := range v.PINs {
		if l.Available {
			v.ResetCode, _ = p.TakesResetCode(v.Reader, l.PIN)
			break
		}
	}
	if !v.ResetCode && v.Action == ActionResetHere {
		v.Action = ActionNoReset
	}
	return v
}

// Resetter resets a PIN with a reset code (cardsvc.Service).
type Resetter interface {
	ResetPIN(reader string, id pin.ID, cardID string, resetCode []byte, newPIN *pin.Secret) error
}

// Errors of Reset; nothing reached the card for any of them.
var (
	ErrNotConfirmed = errs.New(errs.NotConfirmed)
	ErrRealCard     = errs.New(errs.RealCard)
	ErrNoSuchPIN    = errs.New(errs.NoPIN)
	ErrNoCard       = errs.New(errs.DeskNoCard)
	ErrNoResetCode  = errs.New(errs.ResetUnsupported)
)

// Outcome is what the history keeps of a reset: which PIN and how it went,
// nothing about the person.
type Outcome struct {
	PIN      pin.ID `json:"pin_id"`
	Result   string `json:"result"` // "ok" or a card error code (pin_wrong for a wrong reset code, unsupported…)
	TestCard bool   `json:"test_card"`
	Time     time.Time
}

// CanReset says whether PIN id of the card shown in v can be reset here:
// a JPKI card was read, it takes a reset code (the virtual card: TestCard),
// and the PIN is on it. A UI asks it before asking for anything.
func CanReset(v View, id pin.ID) error {
	switch {
	case v.CardID == "" || v.Kind == KindNone || v.Kind == KindNotJPKI || v.Kind == KindUnreadable:
		return ErrNoCard
	case !v.TestCard:
		return ErrRealCard
	case !v.ResetCode:
		return ErrNoResetCode
	}
	for _, p := range v.PINs {
		if p.PIN == id && p.Available {
			return nil
		}
	}
	return ErrNoSuchPIN
}

// Reset resets PIN id of the card shown in v with the reset code and a new
// PIN, once the staff confirmed. Only a card that takes a reset code (the
// virtual card, which Status marks TestCard) is sent anything; the reset
// goes through the card service's guard (same card as shown, one command,
// never retried). The code and the new PIN are wiped.
func Reset(r Resetter, v View, id pin.ID, code []byte, newPIN *pin.Secret, staffConfirmed bool, now time.Time) (Outcome, error) {
	wipe := func() {
		for i := range code {
			code[i] = 0
		}
		newPIN.Wipe()
	}
	out := Outcome{PIN: id, TestCard: v.TestCard, Time: now}
	fail := func(err error) (Outcome, error) {
		wipe()
		out.Result = "refused"
		return out, err
	}
	if !staffConfirmed {
		return fail(ErrNotConfirmed)
	}
	if err := CanReset(v, id); err != nil {
		return fail(err)
	}
	err := r.ResetPIN(v.Reader, id, v.CardID, code, newPIN)
	wipe()
	out.Result = "ok"
	switch errs.CodeOf(err) {
	case errs.PINWrong: // the reset code's own tries
		n, _ := errs.TriesLeft(err)
		err = errs.Wrap(err, errs.ResetCodeWrong, n)
	case errs.Unsupported:
		err = errs.Wrap(err, errs.ResetUnsupported)
	}
	if err != nil {
		out.Result = string(errs.CodeOf(err))
		if out.Result == "" {
			out.Result = "failed"
		}
	}
	return out, err
}

// Desk holds what the counter screen shows, and forgets it: when the card
// leaves the reader, and when the staff moves on to the next person. Safe
// for concurrent use (card events and the screen come from different
// goroutines).
type Desk struct {
	mu     sync.Mutex
	view   *View
	reader string
}

// Show puts a card's view on the desk. It reports whether that replaced
// another card's view (another card is another person).
func (d *Desk) Show(v View) (another bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	another = d.view != nil && d.view.CardID != v.CardID
	d.view = &v
	d.reader = v.Reader
	return another
}

// CardRemoved clears the desk when reader is the one its view came from
// (or any reader for ""); it reports whether anything was cleared.
func (d *Desk) CardRemoved(reader string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.view == nil || (reader != "" && d.reader != "" && reader != d.reader) {
		return false
	}
	d.view, d.reader = nil, ""
	return true
}

// Next clears the desk for the next person.
func (d *Desk) Next() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.view, d.reader = nil, ""
}

// Current returns the view on the desk, if any.
func (d *Desk) Current() (View, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.view == nil {
		return View{}, false
	}
	return *d.view, true
}
