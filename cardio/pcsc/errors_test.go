package pcsc

import (
	"fmt"
	"testing"

	"github.com/ebfe/scard"

	"github.com/shomei-app/shomei/cardio"
)

// Every PC/SC failure a user can meet maps to a code the UI explains.
func TestErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		in   scard.Error
		want cardio.Code
	}{
		{scard.ErrNoService, cardio.CodeNoService},
		{scard.ErrServiceStopped, cardio.CodeNoService},
		{scard.ErrNoReadersAvailable, cardio.CodeNoReader},
		{scard.ErrUnknownReader, cardio.CodeNoReader},
		{scard.ErrReaderUnavailable, cardio.CodeNoReader},
		{scard.ErrNoSmartcard, cardio.CodeNoCard},
		{scard.ErrRemovedCard, cardio.CodeCardRemoved},
		{scard.ErrResetCard, cardio.CodeCardReset},
		{scard.ErrSharingViolation, cardio.CodeReaderBusy},
		{scard.ErrTimeout, cardio.CodeTimeout},
		{scard.ErrUnresponsiveCard, cardio.CodeProtocol},
		{scard.ErrInternalError, cardio.CodeTransport},
	} {
		err := mapErr("op", fmt.Errorf("wrapped: %w", tc.in))
		if cardio.CodeOf(err) != tc.want {
			t.Errorf("%v: %s, want %s", tc.in, cardio.CodeOf(err), tc.want)
		}
	}
}

// Windows runs its smart card service only while a reader is attached: there
// SCARD_E_NO_SERVICE and SCARD_E_SERVICE_STOPPED mean no reader, as
// SCARD_E_NO_READERS_AVAILABLE does with pcsc-lite, and the watcher reports
// the readers gone, not a lost service. With pcsc-lite they still say that
// pcscd is missing.
func TestServiceThatNeedsAReader(t *testing.T) {
	defer func(old bool) { serviceNeedsReader = old }(serviceNeedsReader)
	kinds := func(err error) []EventKind {
		out := make(chan Event, 8)
		w := watcher{out: out, known: map[string]bool{"R": true}}
		w.lost(err)
		close(out)
		var ks []EventKind
		for e := range out {
			ks = append(ks, e.Kind)
		}
		return ks
	}
	for _, tc := range []struct {
		windows bool
		in      scard.Error
		code    cardio.Code
		events  string
	}{
		{true, scard.ErrNoService, cardio.CodeNoReader, "[card_removed reader_removed]"},
		{true, scard.ErrServiceStopped, cardio.CodeNoReader, "[card_removed reader_removed]"},
		{true, scard.ErrNoReadersAvailable, cardio.CodeNoReader, "[card_removed reader_removed]"},
		{false, scard.ErrNoService, cardio.CodeNoService, "[card_removed reader_removed service_lost]"},
		{false, scard.ErrServiceStopped, cardio.CodeNoService, "[card_removed reader_removed service_lost]"},
	} {
		serviceNeedsReader = tc.windows
		err := mapErr("establish context", tc.in)
		if c := cardio.CodeOf(err); c != tc.code {
			t.Errorf("windows=%v %v: %s, want %s", tc.windows, tc.in, c, tc.code)
		}
		if got := fmt.Sprint(kinds(err)); got != tc.events {
			t.Errorf("windows=%v %v: events %s, want %s", tc.windows, tc.in, got, tc.events)
		}
	}
}
