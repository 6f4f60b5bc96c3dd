package uiservice

import (
	"time"

	"github.com/shomei-app/shomei/backend/advisor"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/pin"
)

// AdviseRequest is the PIN recovery advisor's input: the reader to read
// (status only) and the person's answers so far. A nil answer is a
// question not answered yet.
type AdviseRequest struct {
	Reader     string           `json:"reader"`
	Remembers  map[string]*bool `json:"remembers,omitempty"` // by PIN id
	NFCPhone   *bool            `json:"nfc_phone,omitempty"`
	Camera     *bool            `json:"camera,omitempty"`
	ClearPhoto *bool            `json:"clear_photo,omitempty"`
	BirthDate  *bool            `json:"birth_date_printed,omitempty"`
}

// Question is one thing the advisor needs the person to say.
type Question struct {
	ID     string `json:"id"` // remember.<pin> | nfc_phone | birth_date_printed | camera | clear_photo
	Text   string `json:"text"`
	Answer *bool  `json:"answer,omitempty"`
}

// PINAdviceView is one PIN's way back, in words.
type PINAdviceView struct {
	PIN       string   `json:"pin"`
	Name      string   `json:"name"`
	Need      string   `json:"need"`       // locked | forgotten
	NeedText  string   `json:"need_text"`  // in the UI language
	Route     string   `json:"route"`      // advisor.Route
	RouteText string   `json:"route_text"` // short, in the UI language
	Reasons   []string `json:"reasons,omitempty"`
	Kiosks    []string `json:"kiosks,omitempty"` // chain (area)
}

// AdviceView is the advisor panel: the questions that matter for this card
// and, once every one is answered, the route and what to bring.
type AdviceView struct {
	CardID    string          `json:"card_id"`
	TestCard  bool            `json:"test_card"`
	Locked    []string        `json:"locked"`
	Questions []Question      `json:"questions"`
	Complete  bool            `json:"complete"`
	Route     string          `json:"route,omitempty"`
	Headline  string          `json:"headline,omitempty"`
	PINs      []PINAdviceView `json:"pins"`
	Bring     []string        `json:"bring"`
	Notes     []string        `json:"notes"`
}

// Advise reads the card's state (no PIN is sent, no try is used) and says
// which questions matter for it and, once they are all answered, how each
// locked or forgotten PIN can be reset. It asks only what changes the
// answer, as `shomei pin advise` does.
func (s *Service) Advise(req AdviseRequest) (*AdviceView, error) {
	st, err := s.cfg.Cards.Status(req.Reader)
	if err != nil {
		return nil, s.fail("advise", err)
	}
	return adviseFor(s.lang(), st, req), nil
}

func adviseFor(L i18n.Lang, st *cardsvc.Status, req AdviseRequest) *AdviceView {
	v := &AdviceView{CardID: st.CardID, TestCard: st.TestCard, Locked: []string{}, Questions: []Question{}, PINs: []PINAdviceView{}, Bring: []string{}, Notes: []string{}}
	a := advisor.Answers{Remembers: map[pin.ID]bool{}}
	// Unanswered: taken as remembered for working out which other
	// questions matter; the advice waits for every answer anyway.
	probeRemember := map[pin.ID]bool{}
	complete := true
	for _, id := range pin.All {
		p, ok := st.PINs[id]
		if !ok || !p.Available {
			continue
		}
		if p.Locked {
			v.Locked = append(v.Locked, string(id))
			continue
		}
		ans := req.Remembers[string(id)]
		v.Questions = append(v.Questions, Question{ID: "remember." + string(id), Text: i18n.T(L, "advise.q.remember", i18n.T(L, "pin."+string(id))), Answer: ans})
		probeRemember[id] = ans == nil || *ans
		if ans == nil {
			complete = false
		} else {
			a.Remembers[id] = *ans
		}
	}
	answers := map[string]*bool{"nfc_phone": req.NFCPhone, "birth_date_printed": req.BirthDate, "camera": req.Camera, "clear_photo": req.ClearPhoto}
	for _, q := range advisor.FollowUps(st, probeRemember) {
		ans := answers[q.ID]
		v.Questions = append(v.Questions, Question{ID: q.ID, Text: i18n.T(L, q.Key), Answer: ans})
		if ans == nil {
			complete = false
		} else {
			q.Set(&a, *ans)
		}
	}
	v.Complete = complete
	if !complete {
		return v
	}
	adv := advisor.Advise(advisor.FromStatus(st, a))
	v.Route = string(adv.Route)
	v.Headline = i18n.T(L, "advisor.route."+string(adv.Route))
	for _, pa := range adv.PINs {
		pv := PINAdviceView{PIN: string(pa.PIN), Name: i18n.T(L, "pin."+string(pa.PIN)), Need: string(pa.Need), NeedText: i18n.T(L, "advisor.need."+string(pa.Need)),
			Route: string(pa.Route), RouteText: i18n.T(L, "advisor.short."+string(pa.Route))}
		for _, r := range pa.Closed {
			pv.Reasons = append(pv.Reasons, i18n.T(L, "advisor.reason."+string(r)))
		}
		for _, c := range pa.Kiosks {
			if L == i18n.EN {
				pv.Kiosks = append(pv.Kiosks, c.NameEN+" ("+c.AreaEN+")")
			} else {
				pv.Kiosks = append(pv.Kiosks, c.NameJA+"（"+c.AreaJA+"）")
			}
		}
		v.PINs = append(v.PINs, pv)
	}
	for _, it := range adv.Bring {
		v.Bring = append(v.Bring, i18n.T(L, "advisor.item."+string(it)))
	}
	for _, n := range adv.Notes {
		v.Notes = append(v.Notes, i18n.T(L, "advisor.note."+string(n)))
	}
	return v
}

// LifeView is one certificate's life as the card screen shows it.
type LifeView struct {
	certlife.Life
	// Lines: the expiry (or the warning), when renewal opens, and the
	// standing notes (what ends the signing certificate), in the UI
	// language.
	Lines []string `json:"lines"`
}

// lifeView is one certificate's life on the screens, which say the renewal
// window however far it is (certlife's Explain).
func lifeView(L i18n.Lang, which certlife.Which, notAfter, now time.Time) LifeView {
	l := certlife.Assess(which, notAfter, now, certlife.DefaultWarnDays)
	return LifeView{Life: l, Lines: l.Lines(L)}
}
