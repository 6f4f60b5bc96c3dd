package jpki_test

import (
	"crypto"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
)

// A fault replaces the card's answer to one APDU.
type fault struct {
	name string
	hit  func(card *vcard.Card, cmd []byte) ([]byte, error)
}

var faults = []fault{
	{"vanishes", func(*vcard.Card, []byte) ([]byte, error) {
		return nil, cardio.E(cardio.CodeCardRemoved, "transmit", nil)
	}},
	{"empty answer", func(*vcard.Card, []byte) ([]byte, error) { return []byte{}, nil }},
	{"one byte", func(*vcard.Card, []byte) ([]byte, error) { return []byte{0x90}, nil }},
	{"junk with 9000", func(*vcard.Card, []byte) ([]byte, error) {
		return []byte{0xDE, 0xAD, 0xBE, 0xEF, 0x90, 0x00}, nil
	}},
	{"6F00", func(*vcard.Card, []byte) ([]byte, error) { return []byte{0x6F, 0x00}, nil }},
	{"counter out of range", func(*vcard.Card, []byte) ([]byte, error) { return []byte{0x63, 0xCF}, nil }},
	{"answer cut short", func(card *vcard.Card, cmd []byte) ([]byte, error) {
		out, err := card.Transmit(cmd) // the card did act, the answer was lost halfway
		if len(out) > 4 {
			return append(out[:len(out)/2:len(out)/2], 0x90, 0x00), err
		}
		return nil, cardio.E(cardio.CodeCardRemoved, "transmit", nil)
	}},
	{"card acted then vanished", func(card *vcard.Card, cmd []byte) ([]byte, error) {
		card.Transmit(cmd)
		return nil, cardio.E(cardio.CodeCardRemoved, "transmit", nil)
	}},
}

// faulty passes APDUs to the card and applies the fault to number `at`.
type faulty struct {
	card *vcard.Card
	at   int
	n    int
	f    fault
	dead bool
	ef   uint16 // the EF last selected
	// plausible is set when the fault hit a 照合番号's status query with
	// "counter out of range": their limit is not published, so any counter
	// 0..15 is believed (see jpki.PINStatus) and the fault is not one.
	plausible bool
}

func (f *faulty) Transmit(cmd []byte) ([]byte, error) {
	defer func() { f.n++ }()
	if f.dead {
		return nil, cardio.E(cardio.CodeCardRemoved, "transmit", nil)
	}
	if len(cmd) == 7 && cmd[1] == 0xA4 && cmd[2] == 0x02 {
		f.ef = uint16(cmd[5])<<8 | uint16(cmd[6])
	}
	if f.n == f.at && f.f.name == "counter out of range" && len(cmd) == 4 && cmd[1] == 0x20 && f.ef >= 0x0012 && f.ef <= 0x0015 {
		f.plausible = true
	}
	if f.n == f.at {
		out, err := f.f.hit(f.card, cmd)
		if err != nil {
			f.dead = true
		}
		return out, err
	}
	return f.card.Transmit(cmd)
}

// A flow is a user operation; wrongPIN says whether the user typed a wrong
// PIN (so one try may legitimately be used).
type flow struct {
	name     string
	id       pin.ID
	wrongPIN bool
	run      func(s *jpki.Session, seen jpki.Observed) error
}

func attempt(id pin.ID, v string, seen jpki.Observed) jpki.Attempt {
	p, err := pin.Parse(id, []byte(v))
	if err != nil {
		panic(err)
	}
	return jpki.Attempt{PIN: id, Secret: p, Seen: seen}
}

var flows = []flow{
	{"status", pin.Sign, false, func(s *jpki.Session, _ jpki.Observed) error {
		_, err := s.ReadStatus()
		return err
	}},
	{"verify", pin.Sign, false, func(s *jpki.Session, seen jpki.Observed) error {
		return s.Verify(attempt(pin.Sign, "TEST1234", seen))
	}},
	{"verify wrong", pin.Sign, true, func(s *jpki.Session, seen jpki.Observed) error {
		err := s.Verify(attempt(pin.Sign, "WRONG1", seen))
		if cardio.CodeOf(err) == cardio.CodePINWrong {
			return nil // the expected outcome
		}
		return err
	}},
	{"change", pin.Auth, false, func(s *jpki.Session, seen jpki.Observed) error {
		p, _ := pin.Parse(pin.Auth, []byte("1234"))
		return s.ChangePIN(attempt(pin.Auth, "1234", seen), p)
	}},
	{"sign three", pin.Sign, false, func(s *jpki.Session, seen jpki.Observed) error {
		if err := s.Verify(attempt(pin.Sign, "TEST1234", seen)); err != nil {
			return err
		}
		g, err := s.Signer(jpki.SignKey)
		if err != nil {
			return err
		}
		for i := 0; i < 3; i++ {
			h := sha256.Sum256([]byte{byte(i)})
			if _, err := g.Sign(nil, h[:], crypto.SHA256); err != nil {
				return err
			}
		}
		return nil
	}},
}

// Whatever APDU of whatever flow fails, and however, the caller gets a typed
// card error, and no PIN try is used beyond the one the user asked for.
func TestFaultInjection(t *testing.T) {
	for _, fl := range flows {
		// The clean run tells how many APDUs the flow sends after the status
		// read that shows the user the state.
		card, _, s := newSession(t)
		obs := seen(t, s, fl.id)
		before := s.APDUs()
		if err := fl.run(s, obs); err != nil {
			t.Fatalf("%s: clean run: %v", fl.name, err)
		}
		steps := int(s.APDUs() - before)
		_ = card
		for _, f := range faults {
			for at := 0; at < steps; at++ {
				t.Run(fmt.Sprintf("%s/%s/apdu%d", fl.name, f.name, at), func(t *testing.T) {
					card, _, s0 := newSession(t)
					obs := seen(t, s0, fl.id)
					tries := map[pin.ID]int{}
					for _, id := range pin.All {
						tries[id] = card.State().Tries(id)
					}
					card.Reset()
					ft := &faulty{card: card, at: -1, f: f}
					s := jpki.NewSession(ft)
					// The new session learns the card ID again (the same
					// card, so the observed state stays valid), then the
					// fault is armed from the flow's first APDU.
					if _, err := s.CardID(); err != nil {
						t.Fatal(err)
					}
					ft.n, ft.at = 0, at
					err := fl.run(s, obs)
					if ft.plausible {
						t.Skip("a 照合番号's counter has no published limit: 63 CF is believed")
					}
					if err == nil {
						t.Errorf("fault went unnoticed")
					} else if cardio.CodeOf(err) == "" {
						t.Errorf("untyped error: %v", err)
					}
					for _, id := range pin.All {
						used := tries[id] - card.State().Tries(id)
						allowed := 0
						if fl.wrongPIN && id == fl.id {
							allowed = 1
						}
						if used > allowed {
							t.Errorf("%s lost %d tries, user asked for %d", id, used, allowed)
						}
					}
				})
			}
		}
	}
}
