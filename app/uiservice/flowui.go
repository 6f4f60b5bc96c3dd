package uiservice

import (
	"path/filepath"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
)

// flows is the backend's flows with this service's history.
func (s *Service) flows() *flow.Flows {
	f := &flow.Flows{Cards: s.cfg.Cards, Paths: s.cfg.Mode == "desktop", Record: func(evs ...history.Event) { s.record(evs...) }, Now: s.now}
	if s.cfg.Files != nil {
		f.Ref = s.cfg.Files.Ref
	}
	return f
}

// signing runs a flow that signs with the signing key, answered from the
// request (the Guard the screen showed, the password, the disclosure
// accepted): one PIN operation at a time; the password is wiped.
func (s *Service) signing(g Guard, p Secret, accepted bool, run func(ui flow.UI) (flow.Signature, error)) error {
	defer p.wipe()
	if e := s.lockPIN(); e != nil {
		return e
	}
	defer s.unlockPIN()
	sg, err := run(&reqUI{s: s, guard: g, current: p, accept: accepted})
	if sg.Cert != nil {
		b := signBrief(sg.Cert, s.now())
		s.mu.Lock()
		s.certs[g.CardID] = b
		s.mu.Unlock()
	}
	return err
}

// reqUI answers a flow from the request the screen sent: the state the
// screen showed (Guard), the person's answers and the secrets typed.
type reqUI struct {
	s             *Service
	guard         Guard
	current, new  Secret
	accept, staff bool
	job           string
	byPath        map[string]string
}

func (u *reqUI) ShowStatus(*cardsvc.Status, pin.ID) (jpki.Observed, error) {
	return jpki.Observed{CardID: u.guard.CardID, TriesLeft: u.guard.TriesLeft}, nil
}

func (u *reqUI) AcceptDisclosure() (bool, error)     { return u.accept, nil }
func (u *reqUI) ConfirmLastTry(pin.ID) (bool, error) { return u.guard.ConfirmLastTry, nil }
func (u *reqUI) StaffConfirm() (bool, error)         { return u.staff, nil }

func (u *reqUI) ReadPIN(id pin.ID, p flow.Prompt) (*pin.Secret, error) {
	switch p {
	case flow.PromptNew:
		return u.new.parse(id)
	case flow.PromptResetCode:
		defer u.current.wipe()
		return pin.ParseResetCode(append([]byte(nil), u.current...))
	}
	return u.current.parse(id)
}

func (u *reqUI) Progress(ev flow.Progress) {
	p := Progress{Job: u.job, Done: ev.Done, Total: ev.Total}
	if ev.Result != nil {
		r := u.s.fileResult(u.s.lang(), *ev.Result, u.byPath)
		p.Result = &r
	} else {
		p.Current = filepath.Base(ev.Current)
	}
	u.s.emit(EventProgress, p)
}
