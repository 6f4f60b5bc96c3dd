package uiservice

import (
	"crypto/x509"
	"encoding/json"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
)

// Secret is a PIN as it arrives in a request body. It never prints or
// marshals its content, and the service wipes it once used.
type Secret []byte

func (p *Secret) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = append((*p)[:0], s...)
	return nil
}

func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"[PIN redacted]"`), nil }
func (Secret) String() string               { return "[PIN redacted]" }
func (Secret) GoString() string             { return "[PIN redacted]" }

func (p Secret) wipe() {
	for i := range p {
		p[i] = 0
	}
}

// parse checks the PIN's format (pin.Parse wipes the copy it is given).
func (p Secret) parse(id pin.ID) (*pin.Secret, error) {
	defer p.wipe()
	return pin.Parse(id, append([]byte(nil), p...))
}

// Readers lists the readers and whether each holds a card.
func (s *Service) Readers() ([]pcsc.ReaderInfo, error) {
	rs, err := s.cfg.Cards.Readers()
	if err != nil {
		return nil, s.fail("readers", err)
	}
	if rs == nil {
		rs = []pcsc.ReaderInfo{}
	}
	return rs, nil
}

// SignCertBrief is the signing certificate in brief. The card gives it out
// only after the signing password is verified, so the service knows it once
// the card signed something in this run (kept in memory, never stored).
type SignCertBrief struct {
	Holder    string    `json:"holder"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	DaysLeft  int       `json:"days_left"`
	Expired   bool      `json:"expired"`
}

func signBrief(c *x509.Certificate, now time.Time) *SignCertBrief {
	return &SignCertBrief{
		Holder:    jpkicert.HolderName(c),
		NotBefore: c.NotBefore,
		NotAfter:  c.NotAfter,
		DaysLeft:  certlife.DaysLeft(c.NotAfter, now),
		Expired:   now.After(c.NotAfter),
	}
}

// PINView is one PIN as the card screen shows it.
type PINView struct {
	ID string `json:"id"`
	jpki.PINState
	Name string `json:"name"`
	Rule string `json:"rule"`
}

// CardStatus is the card screen's content: cardsvc.Status plus the signing
// certificate when known, and the PINs in display order with their names
// and format rules in the UI language.
type CardStatus struct {
	*cardsvc.Status
	SignCert *SignCertBrief `json:"sign_certificate,omitempty"`
	PINList  []PINView      `json:"pin_list"`
	// Life is each known certificate's life: the authentication
	// certificate's always, the signing certificate's once it was read.
	Life []LifeView `json:"certificate_life"`
	// SignNotes, while the signing certificate is unread: why its expiry is
	// not shown, and what ends it early.
	SignNotes []string `json:"sign_notes,omitempty"`
	// AnyLocked: a PIN is locked (the card screen offers the advisor).
	AnyLocked bool `json:"any_locked"`
}

// Status reads the card in reader ("" = the reader holding a card) without
// using any PIN try.
func (s *Service) Status(reader string) (*CardStatus, error) {
	st, err := s.cfg.Cards.Status(reader)
	if err != nil {
		return nil, s.fail("status", err)
	}
	L := s.lang()
	out := &CardStatus{Status: st}
	s.mu.Lock()
	out.SignCert = s.certs[st.CardID]
	s.tests[st.CardID] = st.TestCard
	s.mu.Unlock()
	for _, id := range pin.All {
		p, ok := st.PINs[id]
		if !ok {
			continue
		}
		out.PINList = append(out.PINList, PINView{ID: string(id), PINState: p, Name: i18n.T(L, "pin."+string(id)), Rule: i18n.PINRule(L, string(id))})
		out.AnyLocked = out.AnyLocked || (p.Available && p.Locked)
	}
	now := s.now()
	out.Life = []LifeView{}
	if st.AuthCert != nil {
		out.Life = append(out.Life, lifeView(L, certlife.Auth, st.AuthCert.NotAfter, now))
	}
	switch {
	case out.SignCert != nil:
		out.Life = append(out.Life, lifeView(L, certlife.Sign, out.SignCert.NotAfter, now))
	case st.Card.SignCert:
		out.SignNotes = []string{i18n.T(L, "certlife.sign.unread"), i18n.T(L, "certlife.note.move_ends_sign")}
	}
	return out, nil
}

func (s *Service) isTest(cardID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tests[cardID]
}

// Guard is what the user saw before typing a PIN: the card and the tries
// left it showed. The backend refuses the PIN, sending nothing, if either
// changed; with one try left ConfirmLastTry must be set.
type Guard struct {
	Reader         string `json:"reader"`
	CardID         string `json:"card_id"`
	TriesLeft      int    `json:"tries_left"`
	ConfirmLastTry bool   `json:"confirm_last_try"`
}

func (g Guard) attempt(id pin.ID, sec *pin.Secret) jpki.Attempt {
	return jpki.Attempt{PIN: id, Secret: sec, Seen: jpki.Observed{CardID: g.CardID, TriesLeft: g.TriesLeft}, ConfirmLastTry: g.ConfirmLastTry}
}

// ChangePINRequest changes one PIN.
type ChangePINRequest struct {
	Guard
	PIN     string `json:"pin"` // sign, auth or text
	Current Secret `json:"current"`
	New     Secret `json:"new"`
}

// lockPIN marks a PIN operation as running: one at a time, so a second
// click never sends a second VERIFY.
func (s *Service) lockPIN() *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy {
		return s.userErr("busy", "api.busy")
	}
	s.busy = true
	return nil
}

func (s *Service) unlockPIN() {
	s.mu.Lock()
	s.busy = false
	s.mu.Unlock()
}

// ChangePIN changes a PIN: the format of both PINs is checked first, then
// the guard, then exactly one VERIFY and the change. Both secrets are wiped.
func (s *Service) ChangePIN(req ChangePINRequest) error {
	defer req.Current.wipe()
	defer req.New.wipe()
	id, err := pin.ParseID(req.PIN)
	if err != nil || id == pin.Juki {
		return s.userErr("bad_request", "api.bad_request")
	}
	if e := s.lockPIN(); e != nil {
		return e
	}
	defer s.unlockPIN()
	ui := &reqUI{s: s, guard: req.Guard, current: req.Current, new: req.New}
	return s.fail("change pin", s.flows().ChangePIN(s.ctx, ui, req.Reader, id))
}
