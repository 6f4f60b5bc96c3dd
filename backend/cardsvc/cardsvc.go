// Package cardsvc is the card service the CLI, the HTTP API and the desktop
// app share: list readers, read a card's status, change a PIN. It opens one
// connection (one PC/SC transaction) per operation and closes it with a card
// reset after any operation that verified a PIN.
package cardsvc

import (
	"crypto/x509"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
)

// Link is an open connection to one card.
type Link interface {
	apdu.Transport
	Reader() string
	Reconnect() error
	Close(reset bool) error
}

// Opener finds readers and opens cards. PCSC is the real one; tests may use
// an in-memory card.
type Opener interface {
	Readers() ([]pcsc.ReaderInfo, error)
	Open(reader string) (Link, error)
}

// Service is the card service.
type Service struct {
	o   Opener
	Now func() time.Time
}

// New returns a service over o.
func New(o Opener) *Service { return &Service{o: o, Now: time.Now} }

// Readers lists readers and whether each holds a card.
func (s *Service) Readers() ([]pcsc.ReaderInfo, error) { return s.o.Readers() }

// CertBrief is what a person needs to know about a certificate at a glance.
type CertBrief struct {
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	DaysLeft  int       `json:"days_left"`
	Expired   bool      `json:"expired"`
	Issuer    string    `json:"issuer"`
}

// Status is a card's state as shown to the user.
type Status struct {
	Reader   string                   `json:"reader"`
	Card     jpki.CardInfo            `json:"card"`
	CardID   string                   `json:"card_id"`   // valid in this process only
	TestCard bool                     `json:"test_card"` // issued by a Shomei test CA: a virtual card
	AuthCert *CertBrief               `json:"auth_certificate,omitempty"`
	PINs     map[pin.ID]jpki.PINState `json:"pins"`
	APDUs    int64                    `json:"apdus"`
}

// Seen is the state the user saw of one PIN, to hand back with the PIN.
func (st *Status) Seen(id pin.ID) jpki.Observed {
	return jpki.Observed{CardID: st.CardID, TriesLeft: st.PINs[id].TriesLeft}
}

func brief(c *x509.Certificate, now time.Time) *CertBrief {
	return &CertBrief{NotBefore: c.NotBefore, NotAfter: c.NotAfter, DaysLeft: certlife.DaysLeft(c.NotAfter, now), Expired: now.After(c.NotAfter), Issuer: c.Issuer.String()}
}

// isTestCA tells a virtual card's certificate by its issuer.
func isTestCA(c *x509.Certificate) bool {
	return c != nil && strings.Contains(c.Issuer.CommonName, vcard.TestCAName)
}

// withSession opens reader, runs f in one session and closes the link,
// resetting the card if reset is set.
func (s *Service) withSession(reader string, reset bool, f func(*jpki.Session, Link) error) error {
	l, err := s.o.Open(reader)
	if err != nil {
		return err
	}
	err = f(jpki.NewSession(l), l)
	cerr := l.Close(reset)
	if err == nil && cerr != nil && cardio.CodeOf(cerr) != cardio.CodeCardRemoved {
		err = cerr
	}
	return err
}

// Status reads the card's state without using any PIN try. When another
// program resets the card meanwhile, it reconnects and reads again, once:
// nothing in a status read can cost the user anything.
func (s *Service) Status(reader string) (*Status, error) {
	var out *Status
	err := s.withSession(reader, false, func(sess *jpki.Session, l Link) error {
		st, err := sess.ReadStatus()
		if cardio.CodeOf(err) == cardio.CodeCardReset {
			if err := l.Reconnect(); err != nil {
				return err
			}
			sess = jpki.NewSession(l)
			st, err = sess.ReadStatus()
		}
		if err != nil {
			return err
		}
		out = &Status{Reader: l.Reader(), Card: st.Card, CardID: st.CardID, PINs: map[pin.ID]jpki.PINState{}, APDUs: sess.APDUs()}
		if st.AuthCert != nil {
			out.AuthCert = brief(st.AuthCert, s.Now())
			out.TestCard = isTestCA(st.AuthCert)
		}
		for _, p := range st.PINs {
			out.PINs[p.ID] = p
		}
		return nil
	})
	return out, err
}

// ChangePIN changes a PIN: one VERIFY of the current PIN through the guard,
// then the change. Both secrets are wiped.
func (s *Service) ChangePIN(reader string, a jpki.Attempt, newPIN *pin.Secret) error {
	defer a.Secret.Wipe()
	defer newPIN.Wipe()
	return s.withSession(reader, true, func(sess *jpki.Session, _ Link) error {
		return sess.ChangePIN(a, newPIN)
	})
}

// TakesResetCode says whether the test card in reader accepts a PIN reset
// with a reset code (no try is used; real cards are never asked).
func (s *Service) TakesResetCode(reader string, id pin.ID) (bool, error) {
	var ok bool
	err := s.withSession(reader, false, func(sess *jpki.Session, _ Link) error {
		var err error
		ok, err = sess.TakesResetCode(id)
		return err
	})
	return ok, err
}

// ResetPIN resets a PIN with a reset code (virtual card only; real cards
// refuse and are reset on J-LIS terminals).
func (s *Service) ResetPIN(reader string, id pin.ID, cardID string, resetCode []byte, newPIN *pin.Secret) error {
	defer newPIN.Wipe()
	return s.withSession(reader, true, func(sess *jpki.Session, _ Link) error {
		return sess.ResetPIN(id, cardID, resetCode, newPIN)
	})
}

// WithSigner verifies the key's PIN once and hands f a signer that serves
// any number of signatures, all inside one card session. The card is reset
// afterwards so no verified state outlives f.
func (s *Service) WithSigner(reader string, k jpki.Key, a jpki.Attempt, f func(*jpki.Signer) error) error {
	defer a.Secret.Wipe()
	return s.withSession(reader, true, func(sess *jpki.Session, _ Link) error {
		if err := sess.Verify(a); err != nil {
			return err
		}
		g, err := sess.Signer(k)
		if err != nil {
			return err
		}
		return f(g)
	})
}
