package integration

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// seenCard is the virtual card behind vpcd, writing down every command it
// is sent: what the card itself sees, after pcscd and the reader driver.
type seenCard struct {
	*vcard.Card
	mu   sync.Mutex
	cmds []string
}

func (c *seenCard) Transmit(cmd []byte) ([]byte, error) {
	c.mu.Lock()
	c.cmds = append(c.cmds, fmt.Sprintf("%X", cmd[:min(len(cmd), 5)]))
	c.mu.Unlock()
	return c.Card.Transmit(cmd)
}

// A card status through pcscd + vpcd reaches the card as exactly the
// floor's APDUs (jpki.StatusFloor), the count the status reports, and no
// VERIFY carries data.
func TestStatusAPDUsThroughPCSC(t *testing.T) {
	need(t)
	card := &seenCard{Card: vcardtest.New(t)}
	insert(t, card)
	svc := service(t)
	for round := 0; round < 2; round++ { // the second status finds nothing left over from the first
		card.mu.Lock()
		card.cmds = nil
		card.mu.Unlock()
		st, err := svc.Status(readerInProc)
		if err != nil {
			t.Fatal(err)
		}
		card.mu.Lock()
		cmds := append([]string(nil), card.cmds...)
		card.mu.Unlock()
		floor := jpki.StatusFloor(len(card.State().AuthCertDER()))
		if len(cmds) != floor || st.APDUs != int64(floor) {
			t.Errorf("round %d: the card saw %d APDUs, the status counted %d, floor %d:\n%s", round, len(cmds), st.APDUs, floor, strings.Join(cmds, "\n"))
		}
		for _, c := range cmds {
			if strings.HasPrefix(c, "002000") && len(c) > 8 {
				t.Errorf("round %d: a VERIFY with data: %s", round, c)
			}
		}
	}
}
