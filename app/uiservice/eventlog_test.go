package uiservice_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// LogEvents logs each reader and card event the service receives (kind and
// reader only); without it nothing is logged for an event.
func TestEventLog(t *testing.T) {
	for _, on := range []bool{false, true} {
		events := make(chan pcsc.Event, 1)
		var mu sync.Mutex
		var log strings.Builder
		rec := &recorder{}
		svc, err := uiservice.New(uiservice.Config{
			Cards:     cardsvc.New(cardsvctest.NewSlot(vcardtest.New(t))),
			Platform:  rec,
			DataDir:   t.TempDir(),
			LogEvents: on,
			Watch: func(ctx context.Context) <-chan pcsc.Event {
				go func() { <-ctx.Done(); close(events) }()
				return events
			},
			Log: func(format string, args ...any) {
				mu.Lock()
				fmt.Fprintf(&log, format+"\n", args...)
				mu.Unlock()
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		events <- pcsc.Event{Kind: pcsc.CardRemoved, Reader: "Reader A"}
		rec.wait(t, `card {"kind":"card_removed","reader":"Reader A"}`)
		uiservice.Close(svc)
		mu.Lock()
		got := log.String()
		mu.Unlock()
		if want := `card event: card_removed "Reader A"`; strings.Contains(got, want) != on {
			t.Errorf("LogEvents %v: log %q", on, got)
		}
	}
}
