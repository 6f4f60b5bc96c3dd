package uiservice_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// twoReaders is an opener with readers "A" (the in-memory card) and "B"
// (empty); it records the reader of every Open, and pulled empties A.
type twoReaders struct {
	mem    cardsvc.Opener
	mu     sync.Mutex
	opened []string
	pulled bool
}

func (o *twoReaders) Readers() ([]pcsc.ReaderInfo, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return []pcsc.ReaderInfo{{Name: "A", Present: !o.pulled}, {Name: "B"}}, nil
}

func (o *twoReaders) Open(reader string) (cardsvc.Link, error) {
	o.mu.Lock()
	o.opened = append(o.opened, reader)
	pulled := o.pulled
	o.mu.Unlock()
	if pulled || reader == "B" {
		return nil, cardio.ErrNoCard
	}
	l, err := o.mem.Open(reader)
	return named{l}, err
}

// named is the in-memory card's link in reader "A".
type named struct{ cardsvc.Link }

func (named) Reader() string { return "A" }

func (o *twoReaders) last() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.opened) == 0 {
		return "(none)"
	}
	return o.opened[len(o.opened)-1]
}

func newTwoReaders(t *testing.T) (*uiservice.Service, *twoReaders) {
	t.Helper()
	o := &twoReaders{mem: cardsvctest.Memory(vcardtest.New(t))}
	svc, err := uiservice.New(uiservice.Config{
		Cards:   cardsvc.New(o),
		DataDir: t.TempDir(),
		Watch:   cardsvctest.NoEvents,
		Log:     func(string, ...any) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uiservice.Close(svc) })
	return svc, o
}

// CardState asks the status of the reader named while it is listed, of the
// reader holding a card ("") when it is not, and carries the status's
// failure as the code and sentence the other calls give.
func TestCardState(t *testing.T) {
	svc, o := newTwoReaders(t)
	c := svc.CardState("A")
	if c.Reader != "A" || o.last() != "A" || c.Status == nil || c.StatusError != nil || len(c.Readers) != 2 {
		t.Fatalf("CardState(A) = reader %q, opened %q, status %v, error %v, readers %v", c.Reader, o.last(), c.Status != nil, c.StatusError, c.Readers)
	}
	if len(c.Status.PINList) != 4 || c.Status.PINList[0].TriesLeft != 5 {
		t.Errorf("PIN list %+v", c.Status.PINList)
	}
	if c = svc.CardState("gone"); c.Reader != "" || o.last() != "" || c.Status == nil {
		t.Errorf("CardState(gone) = reader %q, opened %q, status %v", c.Reader, o.last(), c.Status != nil)
	}
	c = svc.CardState("B")
	if c.Reader != "B" || c.Status != nil || c.StatusError == nil || c.StatusError.Code != "no_card" {
		t.Fatalf("CardState(B) = reader %q, status %v, error %+v", c.Reader, c.Status != nil, c.StatusError)
	}
	_, err := svc.Status("B")
	if want := apiErr(t, err); *want != *c.StatusError {
		t.Errorf("status error %+v, Status gives %+v", c.StatusError, want)
	}
	b, _ := json.Marshal(c)
	if !strings.Contains(string(b), `"status":null`) || !strings.Contains(string(b), `"status_error":{"code":"no_card"`) {
		t.Errorf("JSON %s", b)
	}
	o.mu.Lock()
	o.pulled = true
	o.mu.Unlock()
	if c = svc.CardState(""); c.Status != nil || c.StatusError == nil || c.Readers[0].Present {
		t.Errorf("card pulled: %+v", c)
	}
}

// Start answers what the separate calls answer, in one: the shell, the
// settings, the texts and PIN rules in the settings' language, the card.
func TestStart(t *testing.T) {
	svc, _ := newTwoReaders(t)
	f := svc.Start("A")
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if js(f.Info) != js(svc.Info()) || js(f.Settings) != js(svc.Settings()) || js(f.Texts) != js(svc.Texts()) || js(f.PINPolicy) != js(svc.PINPolicy()) {
		t.Errorf("Start differs from the separate calls: %s", js(f))
	}
	if len(f.Texts) == 0 || len(f.PINPolicy) != 4 || f.Settings.Language != "ja" {
		t.Errorf("texts %d, PIN policy %d, language %q", len(f.Texts), len(f.PINPolicy), f.Settings.Language)
	}
	if f.Card.Reader != "A" || f.Card.Status == nil || f.Card.Status.PINList[0].Name != "署名用電子証明書の暗証番号" {
		t.Errorf("card %+v", f.Card)
	}
	for _, k := range []string{`"info":`, `"settings":`, `"texts":`, `"pin_policy":`, `"card":{"readers":`} {
		if !strings.Contains(js(f), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

// emits signals each event the service sends to the UI.
type emits chan string

func (e emits) Emit(name string, _ any) { e <- name }
func (emits) OpenFiles(string) ([]string, error) {
	return nil, uiservice.ErrUnsupported
}
func (emits) Reveal(string) error { return uiservice.ErrUnsupported }

// A card state read ahead (as the page loads) answers the first Start
// without a second read of the card; a card change seen after the read
// began makes Start read again; the read serves a Start naming the reader
// it found the card in, not one naming another; it is handed over once.
func TestReadAhead(t *testing.T) {
	o := &twoReaders{mem: cardsvctest.Memory(vcardtest.New(t))}
	events := make(chan pcsc.Event)
	emitted := make(emits, 1)
	// send hands the watcher each event and waits until the service has
	// passed it on.
	send := func(evs ...pcsc.Event) {
		for _, ev := range evs {
			events <- ev
			<-emitted
		}
	}
	svc, err := uiservice.New(uiservice.Config{
		Cards:    cardsvc.New(o),
		Platform: emitted,
		DataDir:  t.TempDir(),
		Watch:    func(context.Context) <-chan pcsc.Event { return events },
		Log:      func(string, ...any) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uiservice.Close(svc); close(events) })
	opens := func() int { o.mu.Lock(); defer o.mu.Unlock(); return len(o.opened) }

	uiservice.ReadAhead(svc)
	uiservice.ReadAhead(svc) // a second page request while the read runs: nothing more
	f := svc.Start("")
	if f.Card.Status == nil || f.Card.Status.Reader != "A" || opens() != 1 {
		t.Fatalf("Start after ReadAhead: status %v, %d reads of the card (want 1)", f.Card.Status != nil, opens())
	}
	if svc.Start(""); opens() != 2 {
		t.Errorf("a second Start took the read ahead again (%d reads, want 2)", opens())
	}

	uiservice.ReadAhead(svc)
	send(pcsc.Event{Kind: pcsc.CardRemoved, Reader: "A"})
	if svc.Start(""); opens() != 4 {
		t.Errorf("Start after a card change took the read ahead (%d reads, want 4)", opens())
	}

	// The watcher's first report of what is there (a service just started)
	// agrees with the read: it stays good. A card the read did not see
	// makes it stale.
	uiservice.ReadAhead(svc)
	send(pcsc.Event{Kind: pcsc.ReaderAdded, Reader: "A"}, pcsc.Event{Kind: pcsc.ReaderAdded, Reader: "B"}, pcsc.Event{Kind: pcsc.CardInserted, Reader: "A"})
	if f = svc.Start(""); f.Card.Status == nil || opens() != 5 {
		t.Errorf("Start after the watcher's first report: status %v, %d reads (want 5)", f.Card.Status != nil, opens())
	}
	uiservice.ReadAhead(svc)
	send(pcsc.Event{Kind: pcsc.CardInserted, Reader: "B"})
	if svc.Start(""); opens() != 7 {
		t.Errorf("Start after a card the read did not see took the read ahead (%d reads, want 7)", opens())
	}

	uiservice.ReadAhead(svc)
	if f = svc.Start("A"); f.Card.Reader != "A" || f.Card.Status == nil || opens() != 8 {
		t.Errorf("Start(A): reader %q, status %v, %d reads (want 8)", f.Card.Reader, f.Card.Status != nil, opens())
	}
	uiservice.ReadAhead(svc)
	if f = svc.Start("B"); f.Card.Reader != "B" || f.Card.StatusError == nil || f.Card.StatusError.Code != "no_card" || opens() != 10 || o.last() != "B" {
		t.Errorf("Start(B): reader %q, error %+v, %d reads (want 10), last %q", f.Card.Reader, f.Card.StatusError, opens(), o.last())
	}
}
