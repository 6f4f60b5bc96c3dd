// The PINs' state, read without using a try: where each PIN lives, the
// tries left of one, every PIN of a card.

package jpki

import (
	"crypto/x509"
	"errors"

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
	for _, p := range pin.Every {
		ps, err := s.PINStatus(p)
		if err != nil {
			return nil, err
		}
		st.PINs = append(st.PINs, ps)
	}
	return st, nil
}
