package uiservice

import (
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/cardio/pcsc"
)

// warmFor is how long the status read at start stays good for the first
// screen.
const warmFor = 3 * time.Second

// warm is the card status read as the service starts (Config.WarmStatus),
// while the browser or the window is still loading the page: the first
// screen's Status("") gets it instead of reading the card again. It is
// given out once, only when the read succeeded, is under warmFor old, and
// no card or reader went away and no PIN operation ran since. A stale one
// could cost nothing anyway: every PIN operation checks the card's
// identity and tries again before anything reaches the card.
type warm struct {
	done chan struct{}
	st   *cardsvc.Status
	at   time.Time
	gone bool // used, or made stale
}

func (s *Service) startWarm() {
	w := &warm{done: make(chan struct{})}
	s.warm = w
	go func() {
		defer close(w.done)
		st, err := s.cfg.Cards.Status("")
		if err == nil {
			s.mu.Lock()
			w.st, w.at = st, time.Now()
			s.mu.Unlock()
		}
	}()
}

// takeWarm returns the start's status once, or nil.
func (s *Service) takeWarm() *cardsvc.Status {
	s.mu.Lock()
	w := s.warm
	s.mu.Unlock()
	if w == nil {
		return nil
	}
	<-w.done // already on its way: waiting costs less than a new read
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.gone || w.st == nil || time.Since(w.at) > warmFor {
		s.warm = nil
		return nil
	}
	w.gone = true
	s.warm = nil
	return w.st
}

// coolWarm drops the start's status (s.mu held).
func (s *Service) coolWarm() {
	if s.warm != nil {
		s.warm.gone = true
	}
}

// warmEvent drops the start's status when a card or reader went away.
func (s *Service) warmEvent(ev pcsc.Event) {
	switch ev.Kind {
	case pcsc.CardRemoved, pcsc.ReaderRemoved, pcsc.ServiceLost:
		s.mu.Lock()
		s.coolWarm()
		s.mu.Unlock()
	}
}
