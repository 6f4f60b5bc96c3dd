// Package vcardtest hands tests a fresh in-memory virtual card without
// generating RSA keys for each one.
package vcardtest

import (
	"sync"
	"testing"

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
