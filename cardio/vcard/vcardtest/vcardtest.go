// Package vcardtest hands tests a fresh in-memory virtual card without
// generating RSA keys for each one.
package vcardtest

import (
	"sync"
	"testing"

	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
)

var (
	once sync.Once
	base *vcard.State
	err  error
)

// ResetCode is the reset code of cards made by New.
const ResetCode = "87654321"

// State returns a fresh copy of a shared default state (keys generated once
// per test binary), with ResetCode enabled.
func State(tb testing.TB) *vcard.State {
	tb.Helper()
	once.Do(func() {
		base, err = vcard.NewState("", vcard.Config{ResetCode: ResetCode})
	})
	if err != nil {
		tb.Fatalf("virtual card: %v", err)
	}
	return base.Clone()
}

// New returns a fresh in-memory virtual card with default PINs.
func New(tb testing.TB) *vcard.Card {
	return vcard.New(State(tb))
}

// SignerOver verifies the default signing password through t (a virtual
// card, or a transport wrapping one) and returns the signing key and its
// session, ready for any number of signatures.
func SignerOver(tb testing.TB, t apdu.Transport) (*jpki.Signer, *jpki.Session) {
	tb.Helper()
	s := jpki.NewSession(t)
	cid, err := s.CardID()
	if err != nil {
		tb.Fatal(err)
	}
	p, err := pin.Parse(pin.Sign, []byte("TEST1234"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Verify(jpki.Attempt{PIN: pin.Sign, Secret: p, Seen: jpki.Observed{CardID: cid, TriesLeft: 5}}); err != nil {
		tb.Fatal(err)
	}
	g, err := s.Signer(jpki.SignKey)
	if err != nil {
		tb.Fatal(err)
	}
	return g, s
}

// Signer is SignerOver a fresh in-memory card, which it also returns.
func Signer(tb testing.TB) (*jpki.Signer, *vcard.Card) {
	tb.Helper()
	card := New(tb)
	g, _ := SignerOver(tb, card)
	return g, card
}
