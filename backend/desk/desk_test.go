package desk_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/desk"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
	"github.com/shomei-app/shomei/internal/errs"
)

func secret(t *testing.T, id pin.ID, v string) *pin.Secret {
	t.Helper()
	s, err := pin.Parse(id, []byte(v))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// lockAuth uses up the auth PIN's tries with wrong PINs, as a citizen would.
func lockAuth(t *testing.T, svc *cardsvc.Service) {
	t.Helper()
	for i := 0; i < 3; i++ {
		st, err := svc.Status("")
		if err != nil {
			t.Fatal(err)
		}
		err = svc.ChangePIN("", jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "0000"), Seen: st.Seen(pin.Auth), ConfirmLastTry: true}, secret(t, pin.Auth, "1111"))
		if !errors.Is(err, cardio.ErrPINWrong) {
			t.Fatalf("wrong PIN %d: %v", i, err)
		}
	}
}

// The counter flow on the virtual card: a fresh card needs nothing; after
// the citizen locks the auth PIN the screen says to reset it here (a test
// card); without the staff's confirmation, or for a card taken as real,
// nothing is sent; a wrong reset code changes nothing; the right one
// resets the PIN, which then works.
func TestCounterFlow(t *testing.T) {
	card := vcardtest.New(t)
	svc := cardsvc.New(cardsvctest.Memory(card))
	now := time.Now()
	st, err := svc.Status("")
	v := desk.Assess(st, err, now)
	if v.Kind != desk.KindMyNumberCard || !v.TestCard || len(v.PINs) != 4 || v.Action != desk.ActionNone || v.AuthLife == nil || !v.SignCert {
		t.Fatalf("fresh card: %+v", v)
	}

	lockAuth(t, svc)
	st, err = svc.Status("")
	v = desk.Probe(desk.Assess(st, err, now), svc)
	if !v.ResetCode || v.Action != desk.ActionResetHere || len(v.Locked) != 1 || v.Locked[0] != pin.Auth {
		t.Fatalf("locked: %+v", v)
	}
	if line := v.Line(i18n.JA); !strings.Contains(line, "利用者証明用電子証明書の暗証番号") || !strings.Contains(line, "リセットコード") {
		t.Errorf("line: %q", line)
	}

	code := func(s string) []byte { return []byte(s) }
	if _, err := desk.Reset(svc, v, pin.Auth, code(vcardtest.ResetCode), secret(t, pin.Auth, "4321"), false, now); err != desk.ErrNotConfirmed {
		t.Errorf("unconfirmed: %v", err)
	}
	real := v
	real.TestCard = false
	if _, err := desk.Reset(svc, real, pin.Auth, code(vcardtest.ResetCode), secret(t, pin.Auth, "4321"), true, now); err != desk.ErrRealCard {
		t.Errorf("real card: %v", err)
	}
	if card.State().Tries(pin.Auth) != 0 {
		t.Fatal("a refused reset touched the card")
	}
	out, err := desk.Reset(svc, v, pin.Auth, code("00000000"), secret(t, pin.Auth, "4321"), true, now)
	if errs.CodeOf(err) != errs.ResetCodeWrong || out.Result != "reset_code_wrong" || card.State().Tries(pin.Auth) != 0 {
		t.Errorf("wrong code: %+v %v", out, err)
	}
	cbuf := code(vcardtest.ResetCode)
	out, err = desk.Reset(svc, v, pin.Auth, cbuf, secret(t, pin.Auth, "4321"), true, now)
	if err != nil || out.Result != "ok" || out.PIN != pin.Auth || !out.TestCard {
		t.Fatalf("reset: %+v %v", out, err)
	}
	if string(cbuf) == vcardtest.ResetCode {
		t.Error("the reset code was not wiped")
	}
	st, _ = svc.Status("")
	if p := st.PINs[pin.Auth]; p.Locked || p.TriesLeft != 3 {
		t.Errorf("after reset: %+v", p)
	}
	// The new PIN works.
	if err := svc.ChangePIN("", jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "4321"), Seen: st.Seen(pin.Auth)}, secret(t, pin.Auth, "1234")); err != nil {
		t.Errorf("new PIN: %v", err)
	}
	if v := desk.Assess(st, nil, now); v.Action != desk.ActionNone {
		t.Errorf("after reset: %s", v.Action)
	}
}

// A virtual card without a reset code says so when asked (no try used):
// the view offers no reset, and Reset refuses before the card.
func TestResetUnsupported(t *testing.T) {
	st := vcardtest.State(t)
	if err := st.SetResetCode(""); err != nil {
		t.Fatal(err)
	}
	svc := cardsvc.New(cardsvctest.Memory(vcard.New(st)))
	s, err := svc.Status("")
	v := desk.Probe(desk.Assess(s, err, time.Now()), svc)
	if v.ResetCode {
		t.Fatalf("a card without a reset code said it takes one: %+v", v)
	}
	out, err := desk.Reset(svc, v, pin.Sign, []byte(vcardtest.ResetCode), secret(t, pin.Sign, "NEWPASS1"), true, time.Now())
	if errs.CodeOf(err) != errs.ResetUnsupported || out.Result != "refused" {
		t.Errorf("%+v %v", out, err)
	}
	// Unprobed (as the card itself answers), it still refuses: unsupported.
	v.ResetCode = true
	out, err = desk.Reset(svc, v, pin.Sign, []byte(vcardtest.ResetCode), secret(t, pin.Sign, "NEWPASS1"), true, time.Now())
	if errs.CodeOf(err) != errs.ResetUnsupported || out.Result != "reset_unsupported" {
		t.Errorf("%+v %v", out, err)
	}
	// A locked PIN on such a card: the line says no reset here.
	l := desk.View{TestCard: true, CardID: "x", Reader: "r", Kind: desk.KindMyNumberCard, Locked: []pin.ID{pin.Sign}, Action: desk.ActionResetHere,
		PINs: []desk.PINLine{{PIN: pin.Sign, Available: true, Locked: true}}}
	if got := desk.Probe(l, svc); got.Action != desk.ActionNoReset || !strings.Contains(got.Line(i18n.EN), "does not accept a reset") {
		t.Errorf("line for a card without a reset code: %+v %q", got, got.Line(i18n.EN))
	}
}

func status(kind jpki.CardKind, test bool, notAfter time.Time, locked ...pin.ID) *cardsvc.Status {
	st := &cardsvc.Status{Reader: "r", CardID: "id", TestCard: test, Card: jpki.CardInfo{Kind: kind, SignCert: true, AuthCert: true},
		AuthCert: &cardsvc.CertBrief{NotAfter: notAfter}, PINs: map[pin.ID]jpki.PINState{}}
	for _, id := range pin.All {
		spec, _ := pin.SpecOf(id)
		ps := jpki.PINState{ID: id, Available: true, TriesLeft: spec.MaxTries, MaxTries: spec.MaxTries}
		for _, l := range locked {
			if l == id {
				ps.Locked, ps.TriesLeft = true, 0
			}
		}
		st.PINs[id] = ps
	}
	return st
}

// What card it is and the one line of what to do, for every situation a
// counter meets: no card, a foreign card, an unreadable one, a real card
// with a lock (J-LIS's terminal), an expired or renewable certificate, an
// old Juki card; locks come first.
func TestActions(t *testing.T) {
	now := time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	far, soon, gone := now.AddDate(3, 0, 0), now.AddDate(0, 2, 0), now.AddDate(0, 0, -3)
	for _, tc := range []struct {
		name   string
		st     *cardsvc.Status
		err    error
		kind   desk.Kind
		action desk.Action
	}{
		{"empty reader", nil, cardio.ErrNoCard, desk.KindNone, desk.ActionInsert},
		{"card pulled out", nil, cardio.ErrCardRemoved, desk.KindNone, desk.ActionInsert},
		{"a bank card", nil, cardio.ErrNotMyNumberCard, desk.KindNotJPKI, desk.ActionNotJPKI},
		{"garbled answers", nil, cardio.ErrProtocol, desk.KindUnreadable, desk.ActionUnreadable},
		{"real card, sign locked", status(jpki.KindMyNumberCard, false, far, pin.Sign), nil, desk.KindMyNumberCard, desk.ActionResetJLIS},
		{"test card, two locked", status(jpki.KindMyNumberCard, true, far, pin.Sign, pin.Text), nil, desk.KindMyNumberCard, desk.ActionResetHere},
		{"locked and expired: the lock first", status(jpki.KindMyNumberCard, false, gone, pin.Auth), nil, desk.KindMyNumberCard, desk.ActionResetJLIS},
		{"expired", status(jpki.KindMyNumberCard, false, gone), nil, desk.KindMyNumberCard, desk.ActionExpired},
		{"renewal open", status(jpki.KindMyNumberCard, false, soon), nil, desk.KindMyNumberCard, desk.ActionRenewable},
		{"old Juki card", status(jpki.KindJukiCard, false, far), nil, desk.KindJukiCard, desk.ActionJukiCard},
		{"old Juki card, locked", status(jpki.KindJukiCard, false, far, pin.Juki), nil, desk.KindJukiCard, desk.ActionResetJLIS},
		{"all fine", status(jpki.KindMyNumberCard, false, far), nil, desk.KindMyNumberCard, desk.ActionNone},
	} {
		v := desk.Assess(tc.st, tc.err, now)
		if v.Kind != tc.kind || v.Action != tc.action {
			t.Errorf("%s: kind %s action %s, want %s %s", tc.name, v.Kind, v.Action, tc.kind, tc.action)
		}
		for _, lang := range []i18n.Lang{i18n.JA, i18n.EN} {
			for _, l := range v.Lines(lang) {
				if strings.Contains(l, "counter.action.") || strings.Contains(l, "counter.kind") || strings.Contains(l, "%!") || strings.Contains(l, "certlife.") {
					t.Errorf("%s: %q", tc.name, l)
				}
			}
		}
		// Nothing from a failed read may be reset.
		if tc.err != nil {
			if _, err := desk.Reset(nil, v, pin.Sign, []byte("x"), nil, true, now); err != desk.ErrNoCard {
				t.Errorf("%s: reset without a card: %v", tc.name, err)
			}
		}
	}
	v := desk.Assess(status(jpki.KindMyNumberCard, false, far, pin.Sign), nil, now)
	if l := v.Line(i18n.EN); !strings.Contains(l, "J-LIS") || !strings.Contains(l, "Signing password") {
		t.Errorf("real card line: %q", l)
	}
	if l := desk.Assess(status(jpki.KindMyNumberCard, false, soon), nil, now).Line(i18n.JA); !strings.Contains(l, "2025-12-11 から") {
		t.Errorf("renewal line: %q", l)
	}
}

// The desk forgets the card when it leaves its reader (not another
// reader's card), and everything on "next person".
func TestDesk(t *testing.T) {
	var d desk.Desk
	v := desk.Assess(status(jpki.KindMyNumberCard, true, time.Now().AddDate(1, 0, 0)), nil, time.Now())
	if d.Show(v) {
		t.Error("a card on an empty desk reported as another card")
	}
	if _, ok := d.Current(); !ok {
		t.Fatal("nothing shown")
	}
	if d.Show(v) {
		t.Error("the same card read again reported as another card")
	}
	w := v
	w.CardID = v.CardID + "-other"
	if !d.Show(w) {
		t.Error("another card replaced the shown one unreported")
	}
	d.Show(v)
	if d.CardRemoved("another reader") {
		t.Error("another reader's card cleared the desk")
	}
	if !d.CardRemoved("r") {
		t.Error("removal did not clear")
	}
	if _, ok := d.Current(); ok {
		t.Error("view survived the removal")
	}
	d.Show(v)
	d.Next()
	if _, ok := d.Current(); ok {
		t.Error("view survived next person")
	}
	if d.CardRemoved("r") {
		t.Error("clearing an empty desk reported a clear")
	}
}
