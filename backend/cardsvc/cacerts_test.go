package cardsvc_test

import (
	"bytes"
	"testing"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// CACertificates returns the card's two CA certificates (on the virtual
// card both are its test root) without resetting the card.
func TestCACertificates(t *testing.T) {
	card := vcardtest.New(t)
	o := &memOpener{card: card}
	cc, err := cardsvc.New(o).CACertificates("")
	if err != nil {
		t.Fatal(err)
	}
	root := card.State().Root().Raw
	if !bytes.Equal(cc.Sign, root) || !bytes.Equal(cc.Auth, root) || cc.Reader != "memory" {
		t.Errorf("sign CA %d bytes, auth CA %d bytes, root %d bytes, reader %q", len(cc.Sign), len(cc.Auth), len(root), cc.Reader)
	}
	if len(o.closes) != 1 || o.closes[0] {
		t.Errorf("closes %v", o.closes)
	}
}
