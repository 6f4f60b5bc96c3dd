// Package cardsvctest gives tests a card service over an in-memory virtual
// card, as the only reader ("memory"). Integration tests use the real pcscd
// and vpcd instead.
package cardsvctest

import (
	"context"
	"sync/atomic"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vcard"
)

// Memory serves card as the one reader "memory", present.
func Memory(card *vcard.Card) cardsvc.Opener { return memory{card} }

type memory struct{ card *vcard.Card }

type link struct{ *vcard.Card }

func (link) Reader() string     { return "memory" }
func (l link) Reconnect() error { l.Card.Reset(); return nil }
func (l link) Close(reset bool) error {
	if reset {
		l.Card.Reset()
	}
	return nil
}

func (m memory) Readers() ([]pcsc.ReaderInfo, error) {
	return []pcsc.ReaderInfo{{Name: "memory", Present: true}}, nil
}

func (m memory) Open(string) (cardsvc.Link, error) { return link{m.card}, nil }

// Slot is the reader "memory" with a card that can be taken out and put
// back, for tests of what happens when the card leaves.
type Slot struct {
	card   *vcard.Card
	absent atomic.Bool
}

// NewSlot puts card in the slot.
func NewSlot(card *vcard.Card) *Slot { return &Slot{card: card} }

// Remove takes the card out; Insert puts it back.
func (s *Slot) Remove() { s.absent.Store(true) }
func (s *Slot) Insert() { s.absent.Store(false) }

func (s *Slot) Readers() ([]pcsc.ReaderInfo, error) {
	return []pcsc.ReaderInfo{{Name: "memory", Present: !s.absent.Load()}}, nil
}

func (s *Slot) Open(reader string) (cardsvc.Link, error) {
	if s.absent.Load() || (reader != "" && reader != "memory") {
		return nil, cardio.E(cardio.CodeNoCard, "pick reader", nil)
	}
	return link{s.card}, nil
}

// NoEvents is a uiservice Watch that reports nothing: no reader or card
// ever comes or goes. Its channel closes when ctx ends.
func NoEvents(ctx context.Context) <-chan pcsc.Event {
	c := make(chan pcsc.Event)
	go func() { <-ctx.Done(); close(c) }()
	return c
}
