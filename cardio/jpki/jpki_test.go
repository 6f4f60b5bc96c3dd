package jpki_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// recorder remembers every command sent to the card.
type recorder struct {
	t    apdu.Transport
	cmds [][]byte
}

func (r *recorder) Transmit(c []byte) ([]byte, error) {
	r.cmds = append(r.cmds, append([]byte(nil), c...))
	return r.t.Transmit(c)
}

// verifiesWithData counts VERIFY commands that carry a PIN.
func (r *recorder) verifiesWithData() int {
	n := 0
	for _, c := range r.cmds {
		if c[1] == 0x20 && len(c) > 5 {
			n++
		}
	}
	return n
}

func secret(t *testing.T, id pin.ID, s string) *pin.Secret {
	t.Helper()
	p, err := pin.Parse(id, []byte(s))
	if err != nil {
		t.Fatalf("parse %s: %v", id, err)
	}
	return p
}

// seen reads the state the user would be shown for id.
func seen(t *testing.T, s *jpki.Session, id pin.ID) jpki.Observed {
	t.Helper()
	cid, err := s.CardID()
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.PINStatus(id)
	if err != nil {
		t.Fatal(err)
	}
	return jpki.Observed{CardID: cid, TriesLeft: st.TriesLeft}
}

func newSession(t *testing.T) (*vcard.Card, *recorder, *jpki.Session) {
	card := vcardtest.New(t)
	rec := &recorder{t: card}
	return card, rec, jpki.NewSession(rec)
}

// A fresh card reports every PIN with all its tries, and reading the status uses none.
func TestStatusFreshCardUsesNoTry(t *testing.T) {
	card, rec, s := newSession(t)
	st, err := s.ReadStatus()
	if err != nil {
		t.Fatal(err)
	}
	if st.Card.Kind != jpki.KindMyNumberCard || st.Card.Label != "JPKIAPICCTOKEN2" || !st.Card.SignCert || !st.Card.AuthCert {
		t.Errorf("card info = %+v", st.Card)
	}
	want := map[pin.ID][2]int{pin.Sign: {5, 5}, pin.Auth: {3, 3}, pin.Text: {3, 3}, pin.Juki: {3, 3},
		pin.TextA: {10, 10}, pin.TextB: {10, 10}, pin.VisualA: {10, 10}, pin.VisualB: {10, 10}}
	if len(st.PINs) != len(want) {
		t.Fatalf("status lists %d PINs, want %d", len(st.PINs), len(want))
	}
	for _, p := range st.PINs {
		w := want[p.ID]
		if !p.Available || p.TriesLeft != w[0] || p.MaxTries != w[1] || p.Locked {
			t.Errorf("%s = %+v, want %d/%d", p.ID, p, w[0], w[1])
		}
	}
	if !bytes.Equal(st.AuthCert.Raw, card.State().AuthCertDER()) {
		t.Error("auth certificate differs from the card's")
	}
	if rec.verifiesWithData() != 0 {
		t.Error("status sent a VERIFY with data")
	}
	for _, id := range pin.All {
		if card.State().Tries(id) != want[id][0] {
			t.Errorf("%s counter changed to %d", id, card.State().Tries(id))
		}
	}
}

// A wrong PIN uses exactly one try and the error says how many are left.
func TestWrongPINUsesOneTry(t *testing.T) {
	for _, tc := range []struct {
		id    pin.ID
		wrong string
		left  int
	}{{pin.Sign, "WRONG99", 4}, {pin.Auth, "9999", 2}, {pin.Text, "0000", 2}, {pin.Juki, "4321", 2}} {
		t.Run(string(tc.id), func(t *testing.T) {
			card, rec, s := newSession(t)
			err := s.Verify(jpki.Attempt{PIN: tc.id, Secret: secret(t, tc.id, tc.wrong), Seen: seen(t, s, tc.id)})
			var ce *cardio.Error
			if !errors.As(err, &ce) || ce.Code != cardio.CodePINWrong || ce.TriesLeft != tc.left {
				t.Fatalf("err = %v, want pin_wrong with %d left", err, tc.left)
			}
			if got := card.State().Tries(tc.id); got != tc.left {
				t.Errorf("card counter = %d, want %d", got, tc.left)
			}
			if rec.verifiesWithData() != 1 {
				t.Errorf("%d VERIFY with data, want 1", rec.verifiesWithData())
			}
		})
	}
}

// Repeated wrong attempts lock the PIN; then nothing reaches the card.
func TestLockAfterMaximum(t *testing.T) {
	card, rec, s := newSession(t)
	for i := 0; i < 5; i++ {
		a := jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "BADPIN"), Seen: seen(t, s, pin.Sign), ConfirmLastTry: i == 4}
		err := s.Verify(a)
		if i < 4 && !errors.Is(err, cardio.ErrPINWrong) {
			t.Fatalf("try %d: %v", i, err)
		}
		if i == 4 && !errors.Is(err, cardio.ErrPINWrong) {
			t.Fatalf("last try: %v", err)
		}
	}
	st, err := s.PINStatus(pin.Sign)
	if err != nil || !st.Locked || st.TriesLeft != 0 {
		t.Fatalf("status after 5 wrong = %+v, %v", st, err)
	}
	before := rec.verifiesWithData()
	err = s.Verify(jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "TEST1234"), Seen: jpki.Observed{CardID: seen(t, s, pin.Sign).CardID}})
	if !errors.Is(err, cardio.ErrPINLocked) {
		t.Fatalf("verify on locked PIN = %v", err)
	}
	if rec.verifiesWithData() != before {
		t.Error("a VERIFY reached a locked PIN")
	}
	if card.State().Tries(pin.Sign) != 0 {
		t.Error("counter moved")
	}
}

// With one try left nothing is sent unless the caller confirms.
func TestLastTryNeedsConfirmation(t *testing.T) {
	_, rec, s := newSession(t)
	for i := 0; i < 2; i++ {
		s.Verify(jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "0000"), Seen: seen(t, s, pin.Auth)})
	}
	n := rec.verifiesWithData()
	err := s.Verify(jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "1234"), Seen: seen(t, s, pin.Auth)})
	var ce *cardio.Error
	if !errors.As(err, &ce) || ce.Code != cardio.CodeLastTry || ce.TriesLeft != 1 {
		t.Fatalf("err = %v, want pin_last_try", err)
	}
	if rec.verifiesWithData() != n {
		t.Fatal("VERIFY sent without confirmation")
	}
	if err := s.Verify(jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "1234"), Seen: seen(t, s, pin.Auth), ConfirmLastTry: true}); err != nil {
		t.Fatalf("confirmed last try: %v", err)
	}
	if st, _ := s.PINStatus(pin.Auth); st.TriesLeft != 3 || !s.Verified(pin.Auth) {
		t.Errorf("after success: %+v", st)
	}
}

// The guard refuses, without sending anything, a PIN of the wrong format, a
// state the user did not see, and another card.
func TestGuardRefusesBeforeSending(t *testing.T) {
	_, rec, s := newSession(t)
	obs := seen(t, s, pin.Sign)
	sent := len(rec.cmds)
	cases := []struct {
		name string
		a    jpki.Attempt
		code cardio.Code
	}{
		{"auth pin given as signing password", jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Auth, "1234"), Seen: obs}, cardio.CodePINFormat},
		{"empty secret", jpki.Attempt{PIN: pin.Sign, Secret: nil, Seen: obs}, cardio.CodePINFormat},
	}
	for _, c := range cases {
		if err := s.Verify(c.a); cardio.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if len(rec.cmds) != sent {
		t.Errorf("format errors sent %d APDUs", len(rec.cmds)-sent)
	}
	for _, c := range []struct {
		name string
		seen jpki.Observed
		code cardio.Code
	}{
		{"no state shown", jpki.Observed{}, cardio.CodeStateChanged},
		{"other card", jpki.Observed{CardID: "00", TriesLeft: 5}, cardio.CodeCardChanged},
		{"tries changed", jpki.Observed{CardID: obs.CardID, TriesLeft: 4}, cardio.CodeStateChanged},
	} {
		if err := s.Verify(jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "TEST1234"), Seen: c.seen}); cardio.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if rec.verifiesWithData() != 0 {
		t.Error("a refused attempt reached the card")
	}
}

// The secret is wiped once used, whatever the outcome.
func TestSecretWiped(t *testing.T) {
	_, _, s := newSession(t)
	sec := secret(t, pin.Sign, "TEST1234")
	b := sec.Bytes()
	if err := s.Verify(jpki.Attempt{PIN: pin.Sign, Secret: sec, Seen: seen(t, s, pin.Sign)}); err != nil {
		t.Fatal(err)
	}
	if sec.Len() != 0 || !bytes.Equal(b, make([]byte, len(b))) {
		t.Error("PIN bytes survive the verify")
	}
	if fmt.Sprintf("%v %s %#v", sec, sec, sec) != "[PIN redacted] [PIN redacted] [PIN redacted]" {
		t.Error("secret prints its content")
	}
}

// Each changeable PIN can be changed; the old one stops working and the new one works.
func TestChangePIN(t *testing.T) {
	for _, tc := range []struct {
		id       pin.ID
		old, new string
	}{{pin.Sign, "TEST1234", "newpass99"}, {pin.Auth, "1234", "5678"}, {pin.Text, "1234", "２４６８"}} {
		t.Run(string(tc.id), func(t *testing.T) {
			card, _, s := newSession(t)
			if err := s.ChangePIN(jpki.Attempt{PIN: tc.id, Secret: secret(t, tc.id, tc.old), Seen: seen(t, s, tc.id)}, secret(t, tc.id, tc.new)); err != nil {
				t.Fatal(err)
			}
			s2 := jpki.NewSession(card)
			if err := s2.Verify(jpki.Attempt{PIN: tc.id, Secret: secret(t, tc.id, tc.old), Seen: seen(t, s2, tc.id)}); !errors.Is(err, cardio.ErrPINWrong) {
				t.Errorf("old PIN after change: %v", err)
			}
			if err := s2.Verify(jpki.Attempt{PIN: tc.id, Secret: secret(t, tc.id, tc.new), Seen: seen(t, s2, tc.id)}); err != nil {
				t.Errorf("new PIN after change: %v", err)
			}
		})
	}
}

// A wrong current PIN changes nothing and uses one try.
func TestChangePINWrongOld(t *testing.T) {
	card, rec, s := newSession(t)
	err := s.ChangePIN(jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "0000"), Seen: seen(t, s, pin.Auth)}, secret(t, pin.Auth, "5678"))
	if !errors.Is(err, cardio.ErrPINWrong) || card.State().Tries(pin.Auth) != 2 {
		t.Fatalf("err = %v, tries %d", err, card.State().Tries(pin.Auth))
	}
	for _, c := range rec.cmds {
		if c[1] == 0x24 {
			t.Fatal("CHANGE sent after a failed VERIFY")
		}
	}
}

func sign(t *testing.T, g crypto.Signer, msg string) {
	t.Helper()
	h := sha256.Sum256([]byte(msg))
	sig, err := g.Sign(nil, h[:], crypto.SHA256)
	if err != nil {
		t.Fatalf("sign %q: %v", msg, err)
	}
	if err := rsa.VerifyPKCS1v15(g.Public().(*rsa.PublicKey), crypto.SHA256, h[:], sig); err != nil {
		t.Fatalf("signature over %q does not verify: %v", msg, err)
	}
}

// One VERIFY serves many signatures; each extra signature is one APDU.
func TestManySignaturesOneVerify(t *testing.T) {
	for _, t0 := range []bool{false, true} {
		t.Run(fmt.Sprintf("t0=%v", t0), func(t *testing.T) {
			card, rec, s := newSession(t)
			card.T0 = t0
			if err := s.Verify(jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "test1234"), Seen: seen(t, s, pin.Sign)}); err != nil {
				t.Fatal(err)
			}
			g, err := s.Signer(jpki.SignKey)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(g.CertificateDER(), card.State().SignCertDER()) {
				t.Fatal("signing certificate read from the card differs (padding not cut at the DER length?)")
			}
			sign(t, g, "first")
			per := 1
			if t0 {
				per = 2 // the answer comes through GET RESPONSE
			}
			for i := 0; i < 10; i++ {
				n := len(rec.cmds)
				sign(t, g, fmt.Sprint("doc", i))
				if got := len(rec.cmds) - n; got != per {
					t.Errorf("signature %d took %d APDUs, want %d", i, got, per)
				}
			}
			if rec.verifiesWithData() != 1 {
				t.Errorf("%d VERIFY for 11 signatures", rec.verifiesWithData())
			}
		})
	}
}

// The auth key signs after the auth PIN; a key whose PIN is not verified cannot be used.
func TestAuthKeyAndUnverifiedSigner(t *testing.T) {
	_, rec, s := newSession(t)
	if _, err := s.Signer(jpki.SignKey); !errors.Is(err, cardio.ErrAccessDenied) {
		t.Fatalf("signer without verify: %v", err)
	}
	if len(rec.cmds) != 0 {
		t.Error("unverified signer talked to the card")
	}
	if err := s.Verify(jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "1234"), Seen: seen(t, s, pin.Auth)}); err != nil {
		t.Fatal(err)
	}
	g, err := s.Signer(jpki.AuthKey)
	if err != nil {
		t.Fatal(err)
	}
	sign(t, g, "login challenge")
	if _, err := s.Signer(jpki.SignKey); !errors.Is(err, cardio.ErrAccessDenied) {
		t.Errorf("auth PIN unlocked the signing key: %v", err)
	}
}

// The signing certificate is unreadable before the signing password, as on a real card.
func TestSigningCertNeedsPassword(t *testing.T) {
	_, _, s := newSession(t)
	if _, _, err := s.ReadCertificate(jpki.EFSignCert); !errors.Is(err, cardio.ErrAccessDenied) {
		t.Fatalf("read signing cert: %v", err)
	}
	if _, _, err := s.ReadCertificate(jpki.EFSignCA); err != nil {
		t.Fatalf("read signing CA: %v", err)
	}
}

// A card without the JPKI applet is "not a My Number Card".
func TestForeignCard(t *testing.T) {
	foreign := transportFunc(func(c []byte) ([]byte, error) { return []byte{0x6A, 0x82}, nil })
	_, err := jpki.NewSession(foreign).ReadStatus()
	if !errors.Is(err, cardio.ErrNotMyNumberCard) {
		t.Fatalf("foreign card: %v", err)
	}
}

// The virtual card's reset code unblocks a locked PIN.
func TestResetPIN(t *testing.T) {
	card, _, s := newSession(t)
	for i := 0; i < 3; i++ {
		s.Verify(jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "0000"), Seen: seen(t, s, pin.Auth), ConfirmLastTry: true})
	}
	if card.State().Tries(pin.Auth) != 0 {
		t.Fatal("not locked")
	}
	cid := seen(t, s, pin.Auth).CardID
	err := s.ResetPIN(pin.Auth, cid, []byte("00000000"), secret(t, pin.Auth, "4321"))
	if !errors.Is(err, cardio.ErrPINWrong) {
		t.Fatalf("wrong reset code: %v", err)
	}
	if err := s.ResetPIN(pin.Auth, cid, []byte(vcardtest.ResetCode), secret(t, pin.Auth, "4321")); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "4321"), Seen: seen(t, s, pin.Auth)}); err != nil {
		t.Fatalf("new PIN after reset: %v", err)
	}
}

type transportFunc func([]byte) ([]byte, error)

func (f transportFunc) Transmit(c []byte) ([]byte, error) { return f(c) }
