package uiservice_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// countingOpener counts the card sessions opened.
type countingOpener struct {
	cardsvc.Opener
	opens atomic.Int32
}

func (c *countingOpener) Open(r string) (cardsvc.Link, error) {
	c.opens.Add(1)
	return c.Opener.Open(r)
}

// With WarmStatus the card is read as the service starts and the first
// screen's status is that read (one card session, not two); it is given
// out once. A card that went away in between makes the first screen read
// the card again.
func TestWarmStatus(t *testing.T) {
	for _, removed := range []bool{false, true} {
		o := &countingOpener{Opener: cardsvctest.Memory(vcardtest.New(t))}
		events := make(chan pcsc.Event)
		rec := &recorder{}
		svc, err := uiservice.New(uiservice.Config{
			Cards: cardsvc.New(o), Platform: rec, DataDir: t.TempDir(), WarmStatus: true,
			Watch: func(ctx context.Context) <-chan pcsc.Event { return events },
		})
		if err != nil {
			t.Fatal(err)
		}
		if removed {
			seen := make(chan struct{})
			rec.onEmit = func(string, any) { close(seen) }
			events <- pcsc.Event{Kind: pcsc.CardRemoved, Reader: "memory"}
			<-seen // the service has dealt with the event
		}
		st, err := svc.Status("")
		if err != nil || st.CardID == "" || len(st.PINList) != 4 {
			t.Fatalf("removed %v: first status %+v, %v", removed, st, err)
		}
		want := int32(1)
		if removed {
			want = 2
		}
		if n := o.opens.Load(); n != want {
			t.Errorf("removed %v: %d card sessions for the start and the first screen, want %d", removed, n, want)
		}
		if _, err := svc.Status(""); err != nil || o.opens.Load() != want+1 {
			t.Errorf("removed %v: the next status read %d sessions in all (%v)", removed, o.opens.Load(), err)
		}
		close(events)
		uiservice.Close(svc)
	}
}
