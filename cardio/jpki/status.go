// The PINs' state, read without using a try: where each PIN lives, the
// tries left of one, every PIN of a card.

package jpki

import (
	"bytes"
	"crypto/x509"
	"errors"
	"slices"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/pin"
)

// pinLocation says where each PIN lives.
type pinLocation struct {
	aid []byte
	ef  uint16
}

var pinAt = map[pin.ID]pinLocation{
	pin.Sign: {AIDJPKI, EFSignPIN},
	pin.Auth: {AIDJPKI, EFAuthPIN},
	pin.Text: {AIDText, EFTextPIN},
	pin.Juki: {AIDJuki, EFJukiPIN},
	// The 照合番号: every peer (jpki/myna Go and Rust, soltia48/myna-card,
	// AokiApp/jsapdu) agrees on these four EFs.
	pin.TextA:   {AIDText, EFTextCodeA},
	pin.TextB:   {AIDText, EFTextCodeB},
	pin.VisualA: {AIDVisual, EFVisualCodeA},
	pin.VisualB: {AIDVisual, EFVisualCodeB},
}

// PINState is what the card says about one PIN, read without using a try.
type PINState struct {
	ID        pin.ID `json:"-"`
	Available bool   `json:"available"`
	TriesLeft int    `json:"tries_left"`
	MaxTries  int    `json:"max_tries"`
	Locked    bool   `json:"locked"`
	Verified  bool   `json:"verified,omitempty"`
}

// PINStatus reads the tries left of one PIN: select its EF and send VERIFY
// with no data, which every JPKI card answers with 63 Cx without counting a
// try. 90 00 means it is verified already in this card session.
func (s *Session) PINStatus(id pin.ID) (PINState, error) {
	op := "pin status " + string(id)
	spec, ok := pin.SpecOf(id)
	loc, ok2 := pinAt[id]
	if !ok || !ok2 {
		return PINState{}, cardio.E(cardio.CodeUnsupported, op, nil)
	}
	st := PINState{ID: id, MaxTries: spec.MaxTries}
	if err := s.selectApplet(loc.aid); err != nil {
		if cardio.CodeOf(err) == cardio.CodeNotMyNumberCard && id != pin.Sign && id != pin.Auth {
			return st, nil // applet absent: this PIN does not exist on the card
		}
		return st, cardio.Wrap(op, err)
	}
	if err := s.selectEF(loc.ef); err != nil {
		var se *apdu.StatusError
		if errors.As(err, &se) && se.SW == apdu.SWFileNotFound && id != pin.Sign && id != pin.Auth {
			return st, nil
		}
		return st, cardio.Wrap(op, err)
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0x20, P1: 0x00, P2: 0x80, Le: apdu.NoLe})
	if err != nil {
		return st, cardio.Wrap(op, err)
	}
	if err := r.NoData(op); err != nil {
		return st, err
	}
	st.Available = true
	switch n, isCounter := r.SW.Counter(); {
	case r.SW.OK():
		st.Verified = true
		st.TriesLeft = spec.MaxTries
	case r.SW.Blocked():
		st.Locked = true
	case isCounter && n <= spec.MaxTries:
		st.TriesLeft = n
	case isCounter && pin.IsCode(id):
		// The 照合番号's limit is not published; a card that counts from
		// more than we expected is believed, and shown as "n of n".
		st.TriesLeft, st.MaxTries = n, n
	default:
		return st, cardio.E(cardio.CodeProtocol, op, &apdu.StatusError{SW: r.SW})
	}
	return st, nil
}

// Status is a whole card's state, read without using a try.
type Status struct {
	Card     CardInfo
	CardID   string
	AuthCert *x509.Certificate // nil when the card has none
	PINs     []PINState        // in pin.Every order
}

// ReadStatus identifies the card and reads every PIN's state. It never sends
// a VERIFY with data.
func (s *Session) ReadStatus() (*Status, error) {
	info, err := s.Identify()
	if err != nil {
		return nil, err
	}
	id, err := s.CardID()
	if err != nil {
		return nil, err
	}
	st := &Status{Card: *info, CardID: id}
	if info.AuthCert {
		if st.AuthCert, err = s.AuthCertificate(); err != nil {
			return nil, err
		}
	}
	got := map[pin.ID]PINState{}
	for _, p := range statusOrder {
		ps, err := s.PINStatus(p)
		if err != nil {
			return nil, err
		}
		got[p] = ps
	}
	for _, p := range pin.Every {
		st.PINs = append(st.PINs, got[p])
	}
	return st, nil
}

// statusOrder is pin.Every grouped by applet, each applet in the order of its
// first PIN: ReadStatus asks in this order so that every applet is selected
// once (pin.Every itself goes JPKI, text, 住基, text again, visual).
var statusOrder = func() []pin.ID {
	var out []pin.ID
	done := map[pin.ID]bool{}
	for _, p := range pin.Every {
		if done[p] {
			continue
		}
		for _, q := range pin.Every {
			if !done[q] && bytes.Equal(pinAt[q].aid, pinAt[p].aid) {
				done[q] = true
				out = append(out, q)
			}
		}
	}
	return out
}()

// StatusFloor is the fewest APDUs a ReadStatus can send, with short APDUs
// (READ BINARY of at most 256 bytes), to a card that has every applet and
// an authentication certificate of certLen bytes:
//   - JPKI applet: SELECT applet (1); token label and certificate
//     availability, SELECT EF + one READ BINARY each (4); the
//     authentication certificate, SELECT EF + ceil(certLen/256) READ BINARY;
//     each PIN (signing, auth), SELECT EF + VERIFY without data (2 each: 4).
//   - every other applet (text, 住基, visual): SELECT applet (1), and per
//     PIN SELECT EF and VERIFY without data (2 each).
//
// The card ID is derived from the certificate already read: no APDU.
func StatusFloor(certLen int) int {
	n := 1 + 2 + 2 + 1 + (certLen+255)/256
	seen := [][]byte{AIDJPKI}
	for _, p := range pin.Every {
		loc := pinAt[p]
		if !slices.ContainsFunc(seen, func(a []byte) bool { return bytes.Equal(a, loc.aid) }) {
			seen = append(seen, loc.aid)
			n++ // SELECT applet
		}
		n += 2 // SELECT EF + VERIFY without data
	}
	return n
}
