package uiservice

import (
	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/desk"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/identity"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/pin"
)

// CounterPIN is one PIN on the counter screen.
type CounterPIN struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Rule      string `json:"rule"`
	State     string `json:"state"` // tries left, LOCKED or absent, in words
	Available bool   `json:"available"`
	Locked    bool   `json:"locked"`
	TriesLeft int    `json:"tries_left"`
	MaxTries  int    `json:"max_tries"`
	// CanReset: this PIN can be reset here (a card that takes a reset
	// code, the PIN on it).
	CanReset bool `json:"can_reset"`
}

// CounterView is the counter screen: backend/counter's view of the card in
// the reader, in words. It holds nothing personal: no PIN is used to read
// it and the authentication certificate names nobody.
type CounterView struct {
	desk.View
	Shown     bool         `json:"shown"` // a card is on the desk
	KindText  string       `json:"kind_text"`
	Line      string       `json:"line"` // the one thing to do
	PINList   []CounterPIN `json:"pin_list"`
	AuthLines []string     `json:"auth_lines,omitempty"`
	SignText  string       `json:"sign_text,omitempty"` // no signing certificate on the card
	ErrorText string       `json:"error_text,omitempty"`
	// ResetHere: the card takes a reset with a reset code (the virtual
	// card). Otherwise ResetNote says J-LIS's terminal does it.
	ResetHere bool   `json:"reset_here"`
	ResetNote string `json:"reset_note,omitempty"`
	// Codes: 照合番号B of the visual and text applets, for the identity
	// check (their tries, read without using one).
	Codes []CounterPIN `json:"codes"`
}

// CounterEvent is the EventCounter payload.
type CounterEvent struct {
	Event   string `json:"event"`  // cleared
	Reason  string `json:"reason"` // card_removed | next
	Message string `json:"message"`
}

func (s *Service) counterView(v desk.View, err error) *CounterView {
	L := s.lang()
	out := &CounterView{View: v, KindText: i18n.T(L, "counter.kind."+string(v.Kind)), Line: v.Line(L), PINList: []CounterPIN{}}
	if err != nil && v.Kind == desk.KindUnreadable {
		out.ErrorText = i18n.Error(L, err)
	}
	jpkiCard := v.Kind != desk.KindNone && v.Kind != desk.KindNotJPKI && v.Kind != desk.KindUnreadable
	out.Shown = jpkiCard
	out.ResetHere = jpkiCard && v.ResetCode
	if jpkiCard && !v.TestCard {
		out.ResetNote = i18n.T(L, "counter.err.real_card")
	}
	for _, p := range v.PINs {
		cp := CounterPIN{ID: string(p.PIN), Name: i18n.T(L, "pin."+string(p.PIN)), Rule: i18n.PINRule(L, string(p.PIN)),
			Available: p.Available, Locked: p.Locked, TriesLeft: p.TriesLeft, MaxTries: p.MaxTries}
		cp.State = i18n.PINState(L, p.Available, p.Locked, p.TriesLeft, p.MaxTries)
		cp.CanReset = desk.CanReset(v, p.PIN) == nil
		out.PINList = append(out.PINList, cp)
	}
	if jpkiCard && !v.SignCert {
		out.SignText = i18n.T(L, "status.signcert.none")
	}
	if v.AuthLife != nil {
		out.AuthLines = lifeView(L, certlife.Auth, v.AuthLife.NotAfter, s.now()).Lines
	}
	return out
}

// CounterStatus reads the card in reader for the counter screen (status
// only: no PIN is sent) and puts it on the desk. A missing or unreadable
// card is a view too, with the line saying what to do.
func (s *Service) CounterStatus(reader string) *CounterView {
	st, err := s.cfg.Cards.Status(reader)
	if err == nil {
		s.mu.Lock()
		s.tests[st.CardID] = st.TestCard
		s.mu.Unlock()
	} else {
		s.logf("counter status: %v", err)
	}
	v := desk.Probe(desk.Assess(st, err, s.now()), s.cfg.Cards)
	out := s.counterView(v, err)
	out.Codes = []CounterPIN{}
	if err == nil && out.Shown {
		out.Codes = s.codesOf(st)
		if len(out.Codes) > 0 {
			identity.WarmPhoto() // ready before the staff have typed 照合番号B
		}
	}
	if out.Shown {
		// Another card on the desk (from another reader): what the service
		// holds of the last person goes, as on a removal.
		if s.desk.Show(v) {
			s.forgetPeople()
		}
	} else {
		// The desk's card is gone from the reader read ("" picks any): clear
		// it as a removal does, event included. Emptying the desk quietly
		// here left the removal event that followed with nothing to clear,
		// and the screen kept showing the last person. A read of another,
		// empty reader leaves the desk alone.
		s.counterCardGone(reader)
	}
	return out
}

// CounterResetRequest resets one PIN of the card on the desk.
type CounterResetRequest struct {
	CardID         string `json:"card_id"` // the card the screen showed
	PIN            string `json:"pin"`
	StaffConfirmed bool   `json:"staff_confirmed"`
	ResetCode      Secret `json:"reset_code"`
	New            Secret `json:"new"`
}

// CounterReset resets a PIN with the reset code, once the staff confirmed,
// on the card the counter screen shows. Everything that can be refused is
// refused before anything reaches the card: no staff confirmation, another
// card, a real card (reset on J-LIS's terminal), the code's or the new
// PIN's format. The history records which PIN and the outcome, never the
// code, the PIN or the person. It returns the card read again.
func (s *Service) CounterReset(req CounterResetRequest) (*CounterView, error) {
	defer req.ResetCode.wipe()
	defer req.New.wipe()
	id, err := pin.ParseID(req.PIN)
	if err != nil {
		return nil, s.userErr("bad_request", "api.bad_request")
	}
	v, release, err := s.deskCard("counter reset", req.CardID, desk.ErrNoCard)
	if err != nil {
		return nil, err
	}
	defer release()
	ui := &reqUI{s: s, staff: req.StaffConfirmed, current: req.ResetCode, new: req.New}
	if _, err := s.flows().DeskReset(ui, v, id, s.now()); err != nil {
		return nil, s.fail("counter reset", err)
	}
	return s.CounterStatus(v.Reader), nil
}

// deskCard is how every PIN use at the counter starts: one at a time (the
// PIN lock, which release gives back), on the card the desk shows, which is
// the card the screen showed (cardID). noCard is the call's own error for an
// empty desk; op names the call in the log.
func (s *Service) deskCard(op, cardID string, noCard error) (v desk.View, release func(), err error) {
	if e := s.lockPIN(); e != nil {
		return desk.View{}, nil, e
	}
	v, ok := s.desk.Current()
	switch {
	case !ok:
		err = s.fail(op, noCard)
	case v.CardID != cardID:
		err = s.fail(op, cardio.ErrCardChanged)
	}
	if err != nil {
		s.unlockPIN()
		return desk.View{}, nil, err
	}
	return v, s.unlockPIN, nil
}

// CounterNext clears the counter screen for the next person: the desk
// forgets the card, and the service forgets the signing certificates it
// saw in this run (they name people).
func (s *Service) CounterNext() {
	s.desk.Next()
	s.forgetPeople()
	s.emit(EventCounter, CounterEvent{Event: "cleared", Reason: "next", Message: i18n.T(s.lang(), "counter.cleared.next")})
}

// counterCardGone clears the desk when the card it shows leaves reader
// ("" for any).
func (s *Service) counterCardGone(reader string) {
	if s.desk.CardRemoved(reader) {
		s.forgetPeople()
		s.emit(EventCounter, CounterEvent{Event: "cleared", Reason: "card_removed", Message: i18n.T(s.lang(), "counter.cleared.card_removed")})
	}
}

func (s *Service) forgetPeople() {
	s.mu.Lock()
	clear(s.certs)
	s.mu.Unlock()
}
