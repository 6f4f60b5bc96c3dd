// Package advisor tells a card holder how to get a forgotten or locked PIN
// back: nothing to do, the JPKI PIN-reset smartphone app followed by a
// convenience-store kiosk (which chains, within 24 hours of booking), or the
// municipal counter only, and what to bring. It works from the card's lock
// state (read without using a try: cardsvc.Status) and a few answers from
// the person; it never talks to the card itself.
//
// Every rule comes from the seed documents (../shared/seeds; summary in
// docs/seeds.md) and cites them as "seed NNN, article". Seed 000 is the
// PIN-reset service's terms (its header lists the kiosk chains), seed 001
// the JPKI user terms for smartphone certificates. Where the seeds are
// silent the advice says so (RouteUnknown, "documents: unknown") instead of
// guessing.
package advisor

import (
	"strings"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
)

// Route is a way back to a working PIN.
type Route string

const (
	// RouteNone: nothing to do.
	RouteNone Route = "none"
	// RouteAppKiosk: book the reset in the JPKI PIN-reset app on an NFC
	// smartphone, then finish at a kiosk of a listed chain within 24 hours
	// (seed 000, 第3条 and 第6条(6)).
	RouteAppKiosk Route = "app_kiosk"
	// RouteCounter: the municipal counter only (seed 000, 第6条(7), (8),
	// (10), (11), (12): "従来どおり自治体の窓口").
	RouteCounter Route = "counter"
	// RouteSmartphone: a smartphone JPKI token resets its passwords on the
	// phone itself (seed 001, 第10条); the reset app does not handle it
	// (seed 000, 第6条(14)).
	RouteSmartphone Route = "smartphone"
	// RouteUnknown: the seeds name no route for this PIN. The reset service
	// covers only the signing password and the user-authentication PIN
	// (seed 000, 第2条); for the card-info input support PIN and the 住基
	// PIN the advice is to ask the municipality.
	RouteUnknown Route = "unknown"
)

// rank orders routes for the headline: the hardest route anyone needs.
var rank = map[Route]int{RouteNone: 0, RouteUnknown: 1, RouteSmartphone: 2, RouteAppKiosk: 3, RouteCounter: 4}

// Need says why a PIN needs a reset.
type Need string

const (
	NeedNone      Need = "none"      // usable
	NeedLocked    Need = "locked"    // blocked after too many wrong entries
	NeedForgotten Need = "forgotten" // not locked, but the person does not remember it
	NeedAbsent    Need = "absent"    // not on this card (no signing certificate, no 住基 applet)
)

// Reason is why the app-and-kiosk route is closed for a PIN.
type Reason string

const (
	ReasonNotMyNumberCard Reason = "app_mynumber_card_only" // seed 000, 第6条(14)
	ReasonBirthDate       Reason = "birth_date_blank"       // seed 000, 第6条(8)
	ReasonNoNFCPhone      Reason = "no_nfc_phone"           // seed 000, 第6条(3), (4)
	ReasonNoCamera        Reason = "no_camera"              // seed 000, 第6条(4): signing password only
	ReasonFaceCheck       Reason = "face_check"             // seed 000, 第6条(7): signing password only
	ReasonNeedsAuthPIN    Reason = "needs_auth_pin"         // seed 000, 第6条(11)
	ReasonNeedsSignPIN    Reason = "needs_sign_password"    // seed 000, 第6条(12)
)

// Answers are what the person says; the card cannot tell these.
type Answers struct {
	// Remembers lists the PINs the person still knows. A PIN not listed is
	// taken as forgotten.
	Remembers map[pin.ID]bool `json:"remembers"`
	// NFCPhone: a smartphone (not a tablet) with NFC (seed 000, 第6条(3), (4)).
	NFCPhone bool `json:"nfc_phone"`
	// Camera: that phone has a camera, needed for the signing password's
	// face check (seed 000, 第6条(4)).
	Camera bool `json:"camera"`
	// ClearPhoto: the face photo on the card is sharp enough for a face
	// check (seed 000, 第6条(7): photos taken with a phone may not be).
	ClearPhoto bool `json:"clear_photo"`
	// BirthDatePrinted: the card's face shows a birth date (not blank or
	// unknown; seed 000, 第6条(8)).
	BirthDatePrinted bool `json:"birth_date_printed"`
}

// PINInput is one PIN's state as the card reported it.
type PINInput struct {
	Available bool `json:"available"`
	Locked    bool `json:"locked"`
}

// Input is everything the advice depends on.
type Input struct {
	Kind jpki.CardKind       `json:"card_kind"`
	PINs map[pin.ID]PINInput `json:"pins"`
	Answers
}

// FromStatus builds the input from a card status read without using a try.
func FromStatus(st *cardsvc.Status, a Answers) Input {
	in := Input{Kind: st.Card.Kind, PINs: map[pin.ID]PINInput{}, Answers: a}
	for id, p := range st.PINs {
		in.PINs[id] = PINInput{Available: p.Available, Locked: p.Locked}
	}
	return in
}

// Chain is a store chain whose kiosks finish app-booked resets (seed 000,
// the header of ご利用上の注意事項). The list is the seed's; it says more
// chains may follow and that some stores have no suitable kiosk.
type Chain struct {
	ID     string `json:"id"`
	NameJA string `json:"name_ja"`
	NameEN string `json:"name_en"`
	AreaJA string `json:"area_ja"`
	AreaEN string `json:"area_en"`
	Sign   bool   `json:"sign"` // resets the signing password
	Auth   bool   `json:"auth"` // resets the user-authentication PIN
}

// Chains is the seed's list, signing-password-only chains first.
var Chains = []Chain{
	{"lawson", "ローソン", "Lawson", "全国", "nationwide", true, false},
	{"familymart", "ファミリーマート", "FamilyMart", "全国", "nationwide", true, false},
	{"ministop", "ミニストップ", "Ministop", "全国", "nationwide", true, false},
	{"daiei", "ダイエー", "Daiei", "一部店舗", "some stores", true, false},
	{"seven_eleven", "セブン-イレブン", "Seven-Eleven", "全国", "nationwide", true, true},
	{"aeon_retail", "イオンリテール", "AEON Retail", "本州・四国の「イオン」「イオンスタイル」等", "AEON and AEON STYLE stores in Honshu and Shikoku", true, true},
	{"aeon_hokkaido", "イオン北海道", "AEON Hokkaido", "一部店舗", "some stores", true, true},
	{"aeon_tohoku", "イオン東北", "AEON Tohoku", "一部店舗", "some stores", true, true},
	{"fuji", "フジ", "Fuji", "中国・四国の一部店舗", "some stores in Chugoku and Shikoku", true, true},
}

// KiosksFor lists the chains whose kiosks reset id.
func KiosksFor(id pin.ID) []Chain {
	var out []Chain
	for _, c := range Chains {
		if (id == pin.Sign && c.Sign) || (id == pin.Auth && c.Auth) {
			out = append(out, c)
		}
	}
	return out
}

// PINAdvice is the way back for one PIN.
type PINAdvice struct {
	PIN    pin.ID   `json:"pin"`
	Need   Need     `json:"need"`
	Route  Route    `json:"route"`
	Closed []Reason `json:"app_closed_because,omitempty"` // why the app route is out, when Route is counter
	Kiosks []Chain  `json:"kiosks,omitempty"`             // for RouteAppKiosk
}

// Item is something to bring or have at hand, by stable code.
type Item string

const (
	ItemCard               Item = "card"                      // the physical card itself
	ItemNFCPhone           Item = "nfc_phone"                 // an NFC smartphone with the app
	ItemCameraPhone        Item = "camera"                    // ... with a camera (signing password)
	ItemKnownAuthPIN       Item = "known_auth_pin"            // the user-authentication PIN, to book a signing-password reset
	ItemKnownSignPIN       Item = "known_sign_pin"            // the signing password, to book an auth PIN reset
	ItemNewPIN             Item = "new_pin"                   // a new PIN, decided beforehand
	ItemSmartphone         Item = "smartphone"                // the phone holding the certificate
	ItemCounterDocsUnknown Item = "counter_documents_unknown" // the seeds do not say what else the counter asks for
)

// Note is a remark that goes with the route, by stable code.
type Note string

const (
	NoteKiosk24h        Note = "kiosk_24h"         // seed 000, 第6条(6)
	NoteKioskSomeStores Note = "kiosk_some_stores" // seed 000, header
	NoteAppJapanese     Note = "app_japanese_only" // seed 000, 第6条(13)
	NoteAppOwnCard      Note = "app_own_card"      // seed 000, 第6条(5)
	NoteFaceCheck       Note = "face_check"        // seed 000, 第6条(7)
	NoteCosts           Note = "costs"             // seed 000, 第9条(1), (3)
	NoteAskMunicipality Note = "ask_municipality"  // RouteUnknown
)

// Advice is the answer.
type Advice struct {
	Route Route       `json:"route"` // the headline: the hardest route any PIN needs
	PINs  []PINAdvice `json:"pins"`  // the PINs that need a reset, in display order
	Bring []Item      `json:"bring"`
	Notes []Note      `json:"notes"`
}

// Advise works out the route for every PIN that needs a reset.
func Advise(in Input) Advice {
	need := map[pin.ID]Need{}
	for _, id := range pin.All {
		p := in.PINs[id]
		switch {
		case !p.Available:
			need[id] = NeedAbsent
		case p.Locked:
			need[id] = NeedLocked
		case !in.Remembers[id]:
			need[id] = NeedForgotten
		default:
			need[id] = NeedNone
		}
	}
	// A PIN can stand in for the other one in the app only when it is on the
	// card, not locked, and remembered (seed 000, 第6条(11), (12)).
	usable := func(id pin.ID) bool { return need[id] == NeedNone }

	adv := Advice{Route: RouteNone, PINs: []PINAdvice{}, Bring: []Item{}, Notes: []Note{}}
	for _, id := range pin.All {
		n := need[id]
		if n == NeedNone || n == NeedAbsent {
			continue
		}
		pa := PINAdvice{PIN: id, Need: n}
		switch {
		case id != pin.Sign && id != pin.Auth:
			pa.Route = RouteUnknown
		case in.Kind == jpki.KindSmartphone:
			pa.Route = RouteSmartphone
		default:
			pa.Closed = appClosed(id, in, usable)
			if len(pa.Closed) == 0 {
				pa.Route = RouteAppKiosk
				pa.Kiosks = KiosksFor(id)
			} else {
				pa.Route = RouteCounter
			}
		}
		adv.PINs = append(adv.PINs, pa)
		if rank[pa.Route] > rank[adv.Route] {
			adv.Route = pa.Route
		}
	}
	adv.Bring, adv.Notes = bringAndNotes(adv)
	return adv
}

// appClosed lists why the app-and-kiosk route cannot reset id (sign or auth).
func appClosed(id pin.ID, in Input, usable func(pin.ID) bool) []Reason {
	var out []Reason
	if in.Kind != jpki.KindMyNumberCard {
		out = append(out, ReasonNotMyNumberCard) // the app takes the My Number Card only
	}
	if !in.BirthDatePrinted {
		out = append(out, ReasonBirthDate) // the app refuses a card without a printed birth date
	}
	if !in.NFCPhone {
		out = append(out, ReasonNoNFCPhone) // no NFC smartphone (tablets are not supported)
	}
	if id == pin.Sign {
		if !in.Camera {
			out = append(out, ReasonNoCamera)
		}
		if !in.ClearPhoto {
			out = append(out, ReasonFaceCheck)
		}
		if !usable(pin.Auth) {
			out = append(out, ReasonNeedsAuthPIN)
		}
	} else if !usable(pin.Sign) {
		out = append(out, ReasonNeedsSignPIN)
	}
	return out
}

// bringAndNotes collects what to bring and the remarks for every route in
// the advice, without repeats, in a fixed order.
func bringAndNotes(adv Advice) ([]Item, []Note) {
	items, notes := []Item{}, []Note{}
	addItem := func(it Item) {
		for _, x := range items {
			if x == it {
				return
			}
		}
		items = append(items, it)
	}
	addNote := func(n Note) {
		for _, x := range notes {
			if x == n {
				return
			}
		}
		notes = append(notes, n)
	}
	for _, pa := range adv.PINs {
		switch pa.Route {
		case RouteAppKiosk:
			addItem(ItemCard)
			addItem(ItemNFCPhone)
			if pa.PIN == pin.Sign {
				addItem(ItemCameraPhone)
				addItem(ItemKnownAuthPIN)
			} else {
				addItem(ItemKnownSignPIN)
			}
			addItem(ItemNewPIN)
		case RouteCounter, RouteUnknown:
			addItem(ItemCard)
			addItem(ItemNewPIN)
			addItem(ItemCounterDocsUnknown)
		case RouteSmartphone:
			addItem(ItemSmartphone)
		}
	}
	for _, pa := range adv.PINs {
		switch pa.Route {
		case RouteAppKiosk:
			addNote(NoteKiosk24h)
			addNote(NoteKioskSomeStores)
			addNote(NoteAppOwnCard)
			addNote(NoteAppJapanese)
			if pa.PIN == pin.Sign {
				addNote(NoteFaceCheck)
			}
			addNote(NoteCosts)
		case RouteUnknown:
			addNote(NoteAskMunicipality)
		}
	}
	return items, notes
}

// Lines explains the advice in lang: the headline, one line per PIN (with
// the kiosk chains or why the app is out), what to bring, and the notes.
func (a Advice) Lines(lang i18n.Lang) []string {
	out := []string{i18n.T(lang, "advisor.route."+string(a.Route))}
	for _, pa := range a.PINs {
		out = append(out, i18n.T(lang, "advisor.pin", i18n.T(lang, "pin."+string(pa.PIN)), i18n.T(lang, "advisor.need."+string(pa.Need)), i18n.T(lang, "advisor.short."+string(pa.Route))))
		for _, r := range pa.Closed {
			out = append(out, "  - "+i18n.T(lang, "advisor.reason."+string(r)))
		}
		if len(pa.Kiosks) > 0 {
			names := make([]string, len(pa.Kiosks))
			for i, c := range pa.Kiosks {
				if lang == i18n.EN {
					names[i] = c.NameEN + " (" + c.AreaEN + ")"
				} else {
					names[i] = c.NameJA + "（" + c.AreaJA + "）"
				}
			}
			sep := "、"
			if lang == i18n.EN {
				sep = ", "
			}
			out = append(out, "  "+i18n.T(lang, "advisor.kiosks", strings.Join(names, sep)))
		}
	}
	if len(a.Bring) > 0 {
		out = append(out, i18n.T(lang, "advisor.bring"))
		for _, it := range a.Bring {
			out = append(out, "  - "+i18n.T(lang, "advisor.item."+string(it)))
		}
	}
	for _, n := range a.Notes {
		out = append(out, i18n.T(lang, "advisor.note."+string(n)))
	}
	return out
}

// FollowUp is a question about the phone or the card that matters only for
// some routes; Set records its answer.
type FollowUp struct {
	ID  string // nfc_phone, birth_date_printed, camera, clear_photo
	Key string // its sentence in i18n
	Set func(a *Answers, yes bool)
}

// FollowUps are the questions worth asking for st given which PINs the
// person remembers: the phone and card questions matter only when the
// signing password or the auth PIN of a My Number Card needs a reset, and
// the camera and photo ones only for the signing password. Every shell
// asks exactly these, in this order.
func FollowUps(st *cardsvc.Status, remembers map[pin.ID]bool) []FollowUp {
	probe := Advise(FromStatus(st, Answers{Remembers: remembers, NFCPhone: true, Camera: true, ClearPhoto: true, BirthDatePrinted: true}))
	needs := map[pin.ID]bool{}
	for _, pa := range probe.PINs {
		needs[pa.PIN] = pa.Route == RouteAppKiosk || pa.Route == RouteCounter
	}
	if st.Card.Kind != jpki.KindMyNumberCard || !(needs[pin.Sign] || needs[pin.Auth]) {
		return nil
	}
	out := []FollowUp{
		{"nfc_phone", "advise.q.nfc", func(a *Answers, v bool) { a.NFCPhone = v }},
		{"birth_date_printed", "advise.q.birth", func(a *Answers, v bool) { a.BirthDatePrinted = v }},
	}
	if needs[pin.Sign] {
		out = append(out,
			FollowUp{"camera", "advise.q.camera", func(a *Answers, v bool) { a.Camera = v }},
			FollowUp{"clear_photo", "advise.q.photo", func(a *Answers, v bool) { a.ClearPhoto = v }})
	}
	return out
}
