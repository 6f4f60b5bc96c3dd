// Package cardsvctest gives tests a card service over an in-memory virtual
// card, as the only reader ("memory"). Integration tests use the real pcscd
// and vpcd instead.
package cardsvctest

import (
	"github.com/shomei-app/shomei/backend/cardsvc"
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
