package uiservice

import (
	"time"

	"github.com/shomei-app/shomei/cardio/pcsc"
)

// CardState is the readers and the card's status in one answer: what the
// card screen shows, read in one call (one round trip from a browser, not
// two in turn).
type CardState struct {
	Readers []pcsc.ReaderInfo `json:"readers"`
	// Reader is the reader the status was asked of: the one requested
	// while it is there, else "" (the reader holding a card).
	Reader string      `json:"reader"`
	Status *CardStatus `json:"status"`
	// StatusError is why there is no status (no reader, no card, ...).
	StatusError *Error `json:"status_error,omitempty"`
}

// CardState lists the readers and reads the status of the card in reader
// (a reader that is no longer there counts as "": the one holding a card),
// without using any PIN try.
func (s *Service) CardState(reader string) CardState {
	out := CardState{Readers: []pcsc.ReaderInfo{}}
	if rs, err := s.Readers(); err == nil {
		out.Readers = rs
	}
	for _, r := range out.Readers {
		if r.Name == reader {
			out.Reader = reader
		}
	}
	st, err := s.Status(out.Reader)
	if err != nil {
		out.StatusError = s.apiErr("status", err)
		return out
	}
	out.Status = st
	return out
}

// FirstScreen is everything the UI needs to draw its first screen, in one
// answer: the shell, the settings, the backend's texts and PIN rules in
// the settings' language, and the card's state.
type FirstScreen struct {
	Info      Info               `json:"info"`
	Settings  Settings           `json:"settings"`
	Texts     map[string]string  `json:"texts"`
	PINPolicy map[string]PINSpec `json:"pin_policy"`
	Card      CardState          `json:"card"`
}

// Start answers the UI's first call: FirstScreen, with the card's state
// read for reader as CardState reads it (or taken from ReadAhead when that
// read is still good). The UI shows its first screen from this one answer
// (a browser pays one round trip, not six).
func (s *Service) Start(reader string) FirstScreen {
	f := Shell(s)
	f.Card = FirstCard(s, reader)
	return f
}

// Shell is Start's answer without the card's state (nothing in it waits
// for the card). (Functions, not methods: every method of Service is a call
// the UI may make.)
func Shell(s *Service) FirstScreen {
	return FirstScreen{Info: s.Info(), Settings: s.Settings(), Texts: s.Texts(), PINPolicy: s.PINPolicy()}
}

// FirstCard is Start's card state: the one read ahead while still good
// for reader, else read now.
func FirstCard(s *Service, reader string) CardState {
	card, ok := s.takeAhead(reader)
	if !ok {
		card = s.CardState(reader)
	}
	return card
}

// aheadFor is how long a card state read ahead stays good; a reader or card
// change seen after the read began that the read does not show ends it at
// once.
const aheadFor = 2 * time.Second

// ahead is one card state read before the UI asked for it.
type ahead struct {
	started time.Time
	events  uint64 // Service.events when the read began
	done    chan struct{}
	v       CardState
}

// ReadAhead starts reading the card state of the reader holding a card in
// the background (no PIN try is used): the shells call it when the UI's page
// is requested, so the card is read while the page loads and the first
// screen's Start finds the answer ready. Start takes it only if every reader
// or card change seen since the read began agrees with what it read (see
// agrees) and it began less than aheadFor ago; otherwise Start reads the card
// itself. One read at a time: a call
// while one is running or still good does nothing. (A function, not a
// method: every method of Service is a call the UI may make.)
func ReadAhead(s *Service) {
	s.mu.Lock()
	if a := s.ahead; a != nil && time.Since(a.started) < aheadFor {
		s.mu.Unlock()
		return
	}
	a := &ahead{started: time.Now(), events: s.events, done: make(chan struct{})}
	s.ahead = a
	s.mu.Unlock()
	go func() {
		defer close(a.done)
		a.v = s.CardState("")
	}()
}

// takeAhead hands over the card state read ahead, once, if it answers for
// reader and is still good.
func (s *Service) takeAhead(reader string) (CardState, bool) {
	s.mu.Lock()
	a := s.ahead
	s.ahead = nil
	s.mu.Unlock()
	if a == nil {
		return CardState{}, false
	}
	select {
	case <-a.done:
	case <-s.ctx.Done():
		return CardState{}, false
	}
	s.mu.Lock()
	var seen []pcsc.Event
	ok := s.events-a.events <= uint64(len(s.recent))
	for n := a.events + 1; ok && n <= s.events; n++ {
		seen = append(seen, s.recent[n%uint64(len(s.recent))])
	}
	s.mu.Unlock()
	if !ok || !agrees(a.v, seen) || time.Since(a.started) >= aheadFor {
		return CardState{}, false
	}
	v := a.v
	if reader == "" {
		return v, true
	}
	// A reader named by the UI: the read serves if that reader is the one
	// it found holding the card.
	if v.Status == nil || v.Status.Reader != reader {
		return CardState{}, false
	}
	v.Reader = reader
	return v, true
}

// agrees reports whether the reader and card changes seen since a card state
// was read tell nothing it does not show. The watcher's first report of the
// readers and cards already there comes as ReaderAdded and CardInserted
// events, often while the read runs (a service just started): they agree
// with a read that lists those readers and cards. A card or reader gone, or
// the card service lost, makes the read stale (a card pulled and put back
// during it may be another card).
func agrees(v CardState, seen []pcsc.Event) bool {
	listed := map[string]bool{}
	present := map[string]bool{}
	for _, r := range v.Readers {
		listed[r.Name] = true
		present[r.Name] = r.Present
	}
	for _, e := range seen {
		switch e.Kind {
		case pcsc.ReaderAdded:
			if !listed[e.Reader] {
				return false
			}
		case pcsc.CardInserted:
			if !present[e.Reader] {
				return false
			}
		default:
			return false
		}
	}
	return true
}
