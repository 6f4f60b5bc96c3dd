package pcsc

import (
	"context"
	"errors"
	"time"

	"github.com/ebfe/scard"

	"github.com/shomei-app/shomei/cardio"
)

// EventKind says what changed.
type EventKind string

const (
	ReaderAdded   EventKind = "reader_added"
	ReaderRemoved EventKind = "reader_removed"
	CardInserted  EventKind = "card_inserted"
	CardRemoved   EventKind = "card_removed"
	ServiceLost   EventKind = "service_lost" // pcscd went away; watching resumes when it returns
)

// Event is one change seen by Watch.
type Event struct {
	Kind   EventKind `json:"kind"`
	Reader string    `json:"reader,omitempty"`
	ATR    []byte    `json:"atr,omitempty"`
	Err    error     `json:"-"`
}

const pnp = `\\?PnP?\Notification`

// Watch reports readers and cards coming and going until ctx ends, through
// GetStatusChange (with the PnP pseudo-reader for reader changes). It first
// reports the present state as ReaderAdded and CardInserted events. The
// channel closes when ctx ends.
func Watch(ctx context.Context) <-chan Event {
	out := make(chan Event, 16)
	go func() {
		defer close(out)
		w := watcher{out: out, known: map[string]bool{}}
		for ctx.Err() == nil {
			err := w.run(ctx)
			if ctx.Err() != nil {
				return
			}
			w.lost(err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
	return out
}

type watcher struct {
	out   chan<- Event
	known map[string]bool // reader -> card present
	down  bool
}

func (w *watcher) send(e Event) { w.out <- e }

// lost forgets everything after the service failed, so that its return
// replays the state. On Windows the service stops with the last reader
// (codeFor maps that to no reader): readers went, the service did not fail.
func (w *watcher) lost(err error) {
	for r, present := range w.known {
		if present {
			w.send(Event{Kind: CardRemoved, Reader: r})
		}
		w.send(Event{Kind: ReaderRemoved, Reader: r})
	}
	clear(w.known)
	if !w.down && cardio.CodeOf(err) != cardio.CodeNoReader {
		w.send(Event{Kind: ServiceLost, Err: err})
		w.down = true
	}
}

func (w *watcher) run(ctx context.Context) error {
	sc, err := scard.EstablishContext()
	if err != nil {
		return mapErr("watch", err)
	}
	defer sc.Release()
	stop := context.AfterFunc(ctx, func() { sc.Cancel() })
	defer stop()
	w.down = false
	usePnP := true
	for {
		readers, err := sc.ListReaders()
		if err != nil && !errors.Is(err, scard.ErrNoReadersAvailable) {
			return mapErr("watch", err)
		}
		w.syncReaders(readers)
		states := make([]scard.ReaderState, 0, len(readers)+1)
		for _, r := range readers {
			cur := scard.StateUnaware
			if w.known[r] {
				cur = scard.StatePresent
			} else {
				cur = scard.StateEmpty
			}
			states = append(states, scard.ReaderState{Reader: r, CurrentState: cur})
		}
		if usePnP {
			states = append(states, scard.ReaderState{Reader: pnp, CurrentState: scard.StateUnaware})
		}
		// Learn the current state, then wait for a change. Without PnP
		// support, wake up every second to look for new readers.
		timeout := time.Duration(-1)
		if !usePnP {
			timeout = time.Second
		}
		for i := range states {
			if states[i].Reader == pnp {
				states[i].CurrentState = scard.StateFlag(len(readers) << 16)
			}
		}
		err = sc.GetStatusChange(states, timeout)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, scard.ErrTimeout):
		case errors.Is(err, scard.ErrUnknownReader) && usePnP:
			usePnP = false
			continue
		case errors.Is(err, scard.ErrNoReadersAvailable):
			// pcsc-lite answers this at once when there is no reader at all:
			// wait before asking again.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(500 * time.Millisecond):
			}
		case err != nil:
			return mapErr("watch", err)
		}
		for _, s := range states {
			if s.Reader == pnp {
				continue
			}
			present := s.EventState&scard.StatePresent != 0
			if s.EventState&(scard.StateUnknown|scard.StateUnavailable) != 0 {
				continue // reader vanished; ListReaders tells next round
			}
			if present != w.known[s.Reader] {
				w.known[s.Reader] = present
				if present {
					w.send(Event{Kind: CardInserted, Reader: s.Reader, ATR: append([]byte(nil), s.Atr...)})
				} else {
					w.send(Event{Kind: CardRemoved, Reader: s.Reader})
				}
			}
		}
	}
}

func (w *watcher) syncReaders(readers []string) {
	seen := map[string]bool{}
	for _, r := range readers {
		seen[r] = true
		if _, ok := w.known[r]; !ok {
			w.known[r] = false
			w.send(Event{Kind: ReaderAdded, Reader: r})
		}
	}
	for r, present := range w.known {
		if !seen[r] {
			if present {
				w.send(Event{Kind: CardRemoved, Reader: r})
			}
			delete(w.known, r)
			w.send(Event{Kind: ReaderRemoved, Reader: r})
		}
	}
}
