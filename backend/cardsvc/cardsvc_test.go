package cardsvc_test

import (
	"crypto"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// memOpener serves one in-memory card and records how links were closed.
type memOpener struct {
	card   *vcard.Card
	closes []bool
}

type memLink struct {
	*vcard.Card
	o *memOpener
}

func (l memLink) Reader() string   { return "memory" }
func (l memLink) Reconnect() error { l.Card.Reset(); return nil }
func (l memLink) Close(reset bool) error {
	l.o.closes = append(l.o.closes, reset)
	if reset {
		l.Card.Reset()
	}
	return nil
}

func (o *memOpener) Readers() ([]pcsc.ReaderInfo, error) {
	return []pcsc.ReaderInfo{{Name: "memory", Present: true}}, nil
}
func (o *memOpener) Open(string) (cardsvc.Link, error) { return memLink{o.card, o}, nil }

func parse(t *testing.T, id pin.ID, v string) *pin.Secret {
	s, err := pin.Parse(id, []byte(v))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Status marks the virtual card as a test card, reads every PIN, and leaves the card as it was.
func TestStatus(t *testing.T) {
	o := &memOpener{card: vcardtest.New(t)}
	st, err := cardsvc.New(o).Status("")
	if err != nil {
		t.Fatal(err)
	}
	if !st.TestCard || st.AuthCert == nil || st.AuthCert.DaysLeft < 1800 || len(st.PINs) != len(pin.Every) || st.CardID == "" {
		t.Errorf("status %+v", st)
	}
	if len(o.closes) != 1 || o.closes[0] {
		t.Errorf("status closed with reset: %v", o.closes)
	}
}

// Operations that verify a PIN close with a card reset, success or not, so no verified state lingers.
func TestPINOperationsResetTheCard(t *testing.T) {
	o := &memOpener{card: vcardtest.New(t)}
	svc := cardsvc.New(o)
	st, _ := svc.Status("")
	err := svc.WithSigner("", jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: parse(t, pin.Sign, "TEST1234"), Seen: st.Seen(pin.Sign)}, func(g *jpki.Signer) error {
		h := sha256.Sum256([]byte("x"))
		_, err := g.Sign(nil, h[:], crypto.SHA256)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = svc.ChangePIN("", jpki.Attempt{PIN: pin.Auth, Secret: parse(t, pin.Auth, "0000"), Seen: st.Seen(pin.Auth)}, parse(t, pin.Auth, "1111"))
	if !errors.Is(err, cardio.ErrPINWrong) {
		t.Fatalf("wrong PIN: %v", err)
	}
	if want := []bool{false, true, true}; len(o.closes) != 3 || o.closes[1] != true || o.closes[2] != true {
		t.Errorf("closes %v, want %v", o.closes, want)
	}
	// The state shown before the wrong PIN is stale now: the guard refuses it.
	err = svc.ChangePIN("", jpki.Attempt{PIN: pin.Auth, Secret: parse(t, pin.Auth, "1234"), Seen: st.Seen(pin.Auth)}, parse(t, pin.Auth, "1111"))
	if !errors.Is(err, cardio.ErrStateChanged) {
		t.Fatalf("stale state: %v", err)
	}
}
