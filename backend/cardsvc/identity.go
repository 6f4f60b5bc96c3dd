package cardsvc

import (
	"github.com/shomei-app/shomei/backend/identity"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
)

// IdentityCheck is the counter's identity check. Staff type 照合番号B from
// the card face; it is verified through the PIN guard against the visual
// applet (then the card face is read), then against the text applet (then the
// basic 4 information is read as text), each VERIFY once, with the tries the
// person was shown in st. The My Number is never read. codeB is wiped.
// The card is reset afterwards. A result exists only in memory.
func (s *Service) IdentityCheck(reader string, st *Status, codeB []byte, confirmLastTry bool, ring kenmen.Keyring) (*identity.Result, error) {
	dup := append([]byte(nil), codeB...)
	vb, err := pin.Parse(pin.VisualB, codeB) // wipes codeB
	if err != nil {
		clear(dup)
		return nil, err
	}
	defer vb.Wipe()
	tb, err := pin.Parse(pin.TextB, dup) // wipes dup
	if err != nil {
		return nil, err
	}
	defer tb.Wipe()
	var res *identity.Result
	err = s.withSession(reader, true, func(sess *jpki.Session, _ Link) error {
		if err := sess.Verify(jpki.Attempt{PIN: pin.VisualB, Secret: vb, Seen: st.Seen(pin.VisualB), ConfirmLastTry: confirmLastTry}); err != nil {
			return err
		}
		face, cert, err := sess.ReadFace()
		if err != nil {
			return err
		}
		if err := sess.Verify(jpki.Attempt{PIN: pin.TextB, Secret: tb, Seen: st.Seen(pin.TextB), ConfirmLastTry: confirmLastTry}); err != nil {
			return err
		}
		text, err := sess.ReadText(false)
		if err != nil {
			return err
		}
		res, err = identity.FromChip(text, face, cert, ring)
		if err != nil {
			return cardio.E(cardio.CodeChipData, "identity check", err)
		}
		return nil
	})
	if err != nil {
		res.Wipe()
		return nil, err
	}
	return res, nil
}

// BasicInfo reads the basic 4 information with the 4-digit 券面事項入力補助
// PIN (one VERIFY through the guard), and the My Number only when asked.
func (s *Service) BasicInfo(reader string, a jpki.Attempt, withMyNumber bool, ring kenmen.Keyring) (*identity.Result, error) {
	defer a.Secret.Wipe()
	if a.PIN != pin.Text {
		return nil, cardio.E(cardio.CodeUnsupported, "basic info", nil)
	}
	var res *identity.Result
	err := s.withSession(reader, true, func(sess *jpki.Session, _ Link) error {
		if err := sess.Verify(a); err != nil {
			return err
		}
		text, err := sess.ReadText(withMyNumber)
		if err != nil {
			return err
		}
		res, err = identity.FromChip(text, nil, nil, ring)
		if err != nil {
			return cardio.E(cardio.CodeChipData, "basic info", err)
		}
		return nil
	})
	if err != nil {
		res.Wipe()
		return nil, err
	}
	return res, nil
}
