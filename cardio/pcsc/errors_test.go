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
