package uiservice

import (
	"encoding/base64"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/identity"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
)

// IdentityRequest is the counter's identity check: 照合番号B as the staff
// typed it from the card face, on the card the screen shows, with the tries
// the screen showed.
type IdentityRequest struct {
	CardID         string `json:"card_id"`
	CodeB          Secret `json:"code_b"`
	TriesVisualB   int    `json:"tries_visual_b"`
	TriesTextB     int    `json:"tries_text_b"`
	ConfirmLastTry bool   `json:"confirm_last_try"`
}

// IdentityView is what the counter screen shows of the chip: the verdict in
// words, the photo and the printed name and address as PNG data URLs
// (the photo decoded by the backend, identity.PhotoPNG, the same on every
// platform: no browser engine decodes JPEG 2000), and the 4
// facts. It exists only in this answer (the API's answers are never
// cached) and on the screen; nothing of it is kept.
type IdentityView struct {
	Authentic    bool   `json:"authentic"`
	Authenticity string `json:"authenticity"` // confirmed | failed | unverifiable
	TestCard     bool   `json:"test_card"`
	Verdict      string `json:"verdict"`
	Compare      string `json:"compare"`
	ExpiryNote   string `json:"expiry_note"`
	Name         string `json:"name"`
	Address      string `json:"address"`
	BirthDate    string `json:"birth_date"`
	Sex          string `json:"sex"`
	Expiry       string `json:"expiry"`
	Photo        string `json:"photo,omitempty"` // data:image/png;base64,…
	PhotoNote    string `json:"photo_note,omitempty"`
	NameImage    string `json:"name_image,omitempty"`
	AddressImage string `json:"address_image,omitempty"`
}

// codesOf lists the 照合番号B of both applets for the counter screen.
func (s *Service) codesOf(st *cardsvc.Status) []CounterPIN {
	L := s.lang()
	out := []CounterPIN{}
	for _, id := range []pin.ID{pin.VisualB, pin.TextB} {
		p, ok := st.PINs[id]
		if !ok {
			continue
		}
		cp := CounterPIN{ID: string(id), Name: i18n.T(L, "pin."+string(id)), Available: p.Available, Locked: p.Locked, TriesLeft: p.TriesLeft, MaxTries: p.MaxTries}
		cp.State = i18n.PINState(L, p.Available, p.Locked, p.TriesLeft, p.MaxTries)
		out = append(out, cp)
	}
	return out
}

func pngURL(b []byte) string {
	if !kenmen.IsPNG(b) {
		return ""
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b)
}

// CounterIdentity runs the identity check on the card on the desk. Like
// every PIN use: one at a time, on the card shown, with the tries shown;
// the history records that a check was done and its verdict only.
func (s *Service) CounterIdentity(req IdentityRequest) (*IdentityView, error) {
	defer req.CodeB.wipe()
	L := s.lang()
	v, release, err := s.deskCard("identity", req.CardID, s.userErr("no_card", "counter.err.no_card"))
	if err != nil {
		return nil, err
	}
	defer release()
	st, err := s.cfg.Cards.Status(v.Reader)
	if err != nil {
		return nil, s.fail("identity", err)
	}
	if st.CardID != req.CardID {
		return nil, s.fail("identity", cardio.ErrCardChanged)
	}
	// The guard compares the card with what the staff were shown.
	shown := *st
	shown.PINs = map[pin.ID]jpki.PINState{}
	for k, p := range st.PINs {
		shown.PINs[k] = p
	}
	for id, n := range map[pin.ID]int{pin.VisualB: req.TriesVisualB, pin.TextB: req.TriesTextB} {
		p := shown.PINs[id]
		p.TriesLeft = n
		shown.PINs[id] = p
	}
	ring := s.identityKeyring()
	code := append([]byte(nil), req.CodeB...)
	res, err := s.cfg.Cards.IdentityCheck(v.Reader, &shown, code, req.ConfirmLastTry, ring)
	if err != nil {
		s.record(identity.Event(identity.KindIdentityCheck, nil, err, outcomeOf(err)))
		if cardio.CodeOf(err) == cardio.CodePINWrong || cardio.CodeOf(err) == cardio.CodePINFormat {
			out := s.apiErr("identity", err)
			out.Message = i18n.IdentityError(L, err)
			return nil, out
		}
		return nil, s.fail("identity", err)
	}
	defer res.Wipe()
	out := &IdentityView{
		Authentic: res.Authentic, Authenticity: string(res.Authenticity), TestCard: res.TestCard,
		Verdict: i18n.Authenticity(L, string(res.Authenticity), res.TestCard),
		Compare: i18n.T(L, "identity.compare"), ExpiryNote: i18n.T(L, "identity.expiry_unsigned"),
		Name: res.Name, Address: res.Address, BirthDate: res.BirthDate, Sex: i18n.T(L, "identity.sex."+res.Sex), Expiry: res.Expiry,
		NameImage: pngURL(res.NameImage), AddressImage: pngURL(res.AddressImage),
	}
	if p, err := identity.PhotoPNG(s.ctx, res.Photo); err == nil {
		out.Photo = pngURL(p)
	} else {
		s.logf("identity: photo: %v", err)
		out.PhotoNote = i18n.T(L, "identity.photo.unusable")
	}
	ev := identity.Event(identity.KindIdentityCheck, res, nil, map[bool]string{true: "ok", false: "failed"}[res.Authentic])
	s.record(ev)
	return out, nil
}

// identityKeyring is what the 券面 applets' signatures are checked with:
// J-LIS's keys, and test keys only from the test roots the user trusted
// (J-LIS's alone when the trust store cannot be read).
func (s *Service) identityKeyring() kenmen.Keyring {
	if ts, err := s.trustStore(); err == nil {
		return identity.Keyring(ts)
	}
	return identity.Keyring(nil)
}

func outcomeOf(err error) string {
	if c := cardio.CodeOf(err); c != "" {
		return string(c)
	}
	return "failed"
}

// BasicInfoRequest is the citizen's basic information read at the counter
// PC: the 4-digit 券面事項入力補助 PIN the person typed, on the card the
// screen shows, with the tries it showed; the My Number only when the
// person asked for it.
type BasicInfoRequest struct {
	CardID         string `json:"card_id"`
	PIN            Secret `json:"pin"`
	TriesLeft      int    `json:"tries_left"`
	ConfirmLastTry bool   `json:"confirm_last_try"`
	WithMyNumber   bool   `json:"with_mynumber"`
}

// BasicInfoView is what the screen shows of the basic 4 information: the
// verdict in words, the 4 facts as text (for filling forms) and the My
// Number when it was asked for; the screen masks it until the person
// chooses to see it. It exists only in this answer and on the screen.
type BasicInfoView struct {
	Authentic    bool   `json:"authentic"`
	Authenticity string `json:"authenticity"`
	TestCard     bool   `json:"test_card"`
	Verdict      string `json:"verdict"`
	Name         string `json:"name"`
	Address      string `json:"address"`
	BirthDate    string `json:"birth_date"`
	Sex          string `json:"sex"`
	MyNumber     string `json:"mynumber,omitempty"`
}

// CounterBasicInfo reads the basic 4 information of the card on the desk
// with the 4-digit PIN: backend/flow's Identity (the guard on the tries the
// screen showed, one VERIFY, the history event without personal data), as
// `shomei card basic-info` runs it.
func (s *Service) CounterBasicInfo(req BasicInfoRequest) (*BasicInfoView, error) {
	defer req.PIN.wipe()
	L := s.lang()
	v, release, err := s.deskCard("basic info", req.CardID, s.userErr("no_card", "counter.err.no_card"))
	if err != nil {
		return nil, err
	}
	defer release()
	ring := s.identityKeyring()
	ui := &reqUI{s: s, guard: Guard{Reader: v.Reader, CardID: req.CardID, TriesLeft: req.TriesLeft, ConfirmLastTry: req.ConfirmLastTry}, current: req.PIN}
	res, err := s.flows().Identity(s.ctx, ui, v.Reader, true, req.WithMyNumber, ring)
	if err != nil {
		return nil, s.fail("basic info", err)
	}
	defer res.Wipe()
	return &BasicInfoView{
		Authentic: res.Authentic, Authenticity: string(res.Authenticity), TestCard: res.TestCard,
		Verdict: i18n.Authenticity(L, string(res.Authenticity), res.TestCard),
		Name:    res.Name, Address: res.Address, BirthDate: res.BirthDate, Sex: i18n.T(L, "identity.sex."+res.Sex),
		MyNumber: res.MyNumber,
	}, nil
}
