package advisor_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/advisor"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
)

// pinCase is one PIN's situation: not on the card, fine, or locked, and
// whether the person remembers it.
type pinCase struct {
	state      string // "absent", "ok", "locked"
	remembered bool
}

var pinCases = []pinCase{{"absent", false}, {"absent", true}, {"ok", false}, {"ok", true}, {"locked", false}, {"locked", true}}

var kinds = []jpki.CardKind{jpki.KindMyNumberCard, jpki.KindJukiCard, jpki.KindSmartphone, jpki.KindUnknownJPKI}

// every calls f for every combination of the inputs: card kind, each of
// the four PINs' state and memory, and the four yes/no answers.
func every(f func(advisor.Input)) int {
	n := 0
	for _, kind := range kinds {
		for _, s := range pinCases {
			for _, a := range pinCases {
				for _, tx := range pinCases {
					for _, j := range pinCases {
						for bits := 0; bits < 16; bits++ {
							in := advisor.Input{Kind: kind, PINs: map[pin.ID]advisor.PINInput{}, Answers: advisor.Answers{
								Remembers:        map[pin.ID]bool{},
								NFCPhone:         bits&1 != 0,
								Camera:           bits&2 != 0,
								ClearPhoto:       bits&4 != 0,
								BirthDatePrinted: bits&8 != 0,
							}}
							for id, c := range map[pin.ID]pinCase{pin.Sign: s, pin.Auth: a, pin.Text: tx, pin.Juki: j} {
								in.PINs[id] = advisor.PINInput{Available: c.state != "absent", Locked: c.state == "locked"}
								in.Remembers[id] = c.remembered
							}
							f(in)
							n++
						}
					}
				}
			}
		}
	}
	return n
}

// The app-and-kiosk route's conditions, as the seed documents state them.
// Each row: the PINs it applies to, what must hold, and the reason reported
// when it does not.
var appConditions = []struct {
	pins   []pin.ID
	reason advisor.Reason
	holds  func(in advisor.Input) bool
	source string
}{
	{[]pin.ID{pin.Sign, pin.Auth}, advisor.ReasonNotMyNumberCard, func(in advisor.Input) bool { return in.Kind == jpki.KindMyNumberCard }, "seed 000 第6条(14)"},
	{[]pin.ID{pin.Sign, pin.Auth}, advisor.ReasonBirthDate, func(in advisor.Input) bool { return in.BirthDatePrinted }, "seed 000 第6条(8)"},
	{[]pin.ID{pin.Sign, pin.Auth}, advisor.ReasonNoNFCPhone, func(in advisor.Input) bool { return in.NFCPhone }, "seed 000 第6条(3)(4)"},
	{[]pin.ID{pin.Sign}, advisor.ReasonNoCamera, func(in advisor.Input) bool { return in.Camera }, "seed 000 第6条(4)"},
	{[]pin.ID{pin.Sign}, advisor.ReasonFaceCheck, func(in advisor.Input) bool { return in.ClearPhoto }, "seed 000 第6条(7)"},
	{[]pin.ID{pin.Sign}, advisor.ReasonNeedsAuthPIN, func(in advisor.Input) bool { return works(in, pin.Auth) }, "seed 000 第6条(11)"},
	{[]pin.ID{pin.Auth}, advisor.ReasonNeedsSignPIN, func(in advisor.Input) bool { return works(in, pin.Sign) }, "seed 000 第6条(12)"},
}

// works: on the card, not locked, remembered.
func works(in advisor.Input, id pin.ID) bool {
	p := in.PINs[id]
	return p.Available && !p.Locked && in.Remembers[id]
}

// expected is the advice for one PIN, derived from the conditions table.
func expected(in advisor.Input, id pin.ID) (need advisor.Need, route advisor.Route, closed []advisor.Reason) {
	p := in.PINs[id]
	switch {
	case !p.Available:
		return advisor.NeedAbsent, "", nil
	case p.Locked:
		need = advisor.NeedLocked
	case !in.Remembers[id]:
		need = advisor.NeedForgotten
	default:
		return advisor.NeedNone, "", nil
	}
	if id == pin.Text || id == pin.Juki {
		return need, advisor.RouteUnknown, nil
	}
	if in.Kind == jpki.KindSmartphone {
		return need, advisor.RouteSmartphone, nil
	}
	for _, c := range appConditions {
		if slices.Contains(c.pins, id) && !c.holds(in) {
			closed = append(closed, c.reason)
		}
	}
	if len(closed) == 0 {
		return need, advisor.RouteAppKiosk, nil
	}
	return need, advisor.RouteCounter, closed
}

func describe(in advisor.Input) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kind=%s", in.Kind)
	for _, id := range pin.All {
		p := in.PINs[id]
		fmt.Fprintf(&b, " %s{avail=%v locked=%v remembered=%v}", id, p.Available, p.Locked, in.Remembers[id])
	}
	fmt.Fprintf(&b, " nfc=%v camera=%v photo=%v birth=%v", in.NFCPhone, in.Camera, in.ClearPhoto, in.BirthDatePrinted)
	return b.String()
}

// Every combination of card kind, the four PINs' state and memory, and the
// four answers gets, for each PIN, the route and the reasons the seed
// conditions give; the headline route is the hardest one any PIN needs;
// kiosks are listed exactly for the app route; what to bring and the notes
// match the routes.
func TestEveryCombination(t *testing.T) {
	rank := map[advisor.Route]int{advisor.RouteNone: 0, advisor.RouteUnknown: 1, advisor.RouteSmartphone: 2, advisor.RouteAppKiosk: 3, advisor.RouteCounter: 4}
	failures := 0
	seen := map[advisor.Route]int{}
	n := every(func(in advisor.Input) {
		if failures > 10 {
			return
		}
		adv := advisor.Advise(in)
		fail := func(format string, args ...any) {
			failures++
			t.Errorf("%s: %s", describe(in), fmt.Sprintf(format, args...))
		}
		head := advisor.RouteNone
		var want []advisor.PINAdvice
		for _, id := range pin.All {
			need, route, closed := expected(in, id)
			if route == "" {
				continue
			}
			pa := advisor.PINAdvice{PIN: id, Need: need, Route: route, Closed: closed}
			if route == advisor.RouteAppKiosk {
				pa.Kiosks = advisor.KiosksFor(id)
			}
			want = append(want, pa)
			if rank[route] > rank[head] {
				head = route
			}
		}
		seen[adv.Route]++
		if adv.Route != head {
			fail("headline %s, want %s", adv.Route, head)
		}
		if len(adv.PINs) != len(want) {
			fail("advice for %d PINs, want %d: %+v", len(adv.PINs), len(want), adv.PINs)
			return
		}
		for i, w := range want {
			g := adv.PINs[i]
			if g.PIN != w.PIN || g.Need != w.Need || g.Route != w.Route || !slices.Equal(g.Closed, w.Closed) || len(g.Kiosks) != len(w.Kiosks) {
				fail("PIN %s: got %+v, want %+v", w.PIN, g, w)
			}
		}
		// Both JPKI PINs are never reset through the app at once: each needs the other.
		app := 0
		for _, pa := range adv.PINs {
			if pa.Route == advisor.RouteAppKiosk {
				app++
			}
		}
		if app > 1 {
			fail("both PINs through the app")
		}
		has := func(it advisor.Item) bool { return slices.Contains(adv.Bring, it) }
		hasNote := func(n advisor.Note) bool { return slices.Contains(adv.Notes, n) }
		switch {
		case adv.Route == advisor.RouteNone && (len(adv.Bring) != 0 || len(adv.Notes) != 0):
			fail("nothing to do, yet bring %v notes %v", adv.Bring, adv.Notes)
		case app == 1 && (!has(advisor.ItemNFCPhone) || !has(advisor.ItemCard) || !hasNote(advisor.NoteKiosk24h)):
			fail("app route without phone, card or the 24-hour note: %v %v", adv.Bring, adv.Notes)
		case adv.Route == advisor.RouteCounter && (!has(advisor.ItemCard) || !has(advisor.ItemCounterDocsUnknown)):
			fail("counter without the card or the documents gap: %v", adv.Bring)
		}
		if app == 0 && (has(advisor.ItemNFCPhone) || hasNote(advisor.NoteKiosk24h)) {
			fail("app items without the app route: %v %v", adv.Bring, adv.Notes)
		}
	})
	if n != 4*6*6*6*6*16 {
		t.Fatalf("%d combinations", n)
	}
	// Every route occurs somewhere in the space.
	for _, r := range []advisor.Route{advisor.RouteNone, advisor.RouteAppKiosk, advisor.RouteCounter, advisor.RouteSmartphone, advisor.RouteUnknown} {
		if seen[r] == 0 {
			t.Errorf("route %s never chosen", r)
		}
	}
}

func myNumberCard(locked, forgotten []pin.ID, a advisor.Answers) advisor.Input {
	in := advisor.Input{Kind: jpki.KindMyNumberCard, PINs: map[pin.ID]advisor.PINInput{}, Answers: a}
	in.Remembers = map[pin.ID]bool{}
	for _, id := range pin.All {
		in.PINs[id] = advisor.PINInput{Available: true, Locked: slices.Contains(locked, id)}
		in.Remembers[id] = !slices.Contains(forgotten, id)
	}
	return in
}

var allYes = advisor.Answers{NFCPhone: true, Camera: true, ClearPhoto: true, BirthDatePrinted: true}

func chainIDs(cs []advisor.Chain) string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return strings.Join(ids, ",")
}

// Stories worked out by hand from the seeds, checked in full.
func TestStories(t *testing.T) {
	signChains := "lawson,familymart,ministop,daiei,seven_eleven,aeon_retail,aeon_hokkaido,aeon_tohoku,fuji"
	authChains := "seven_eleven,aeon_retail,aeon_hokkaido,aeon_tohoku,fuji"
	for _, tc := range []struct {
		name  string
		in    advisor.Input
		route advisor.Route
		pins  string // pin:route:kiosks
		bring []advisor.Item
	}{
		{"nothing locked, all remembered", myNumberCard(nil, nil, allYes), advisor.RouteNone, "", []advisor.Item{}},
		{"signing password locked, auth PIN known, phone ok", myNumberCard([]pin.ID{pin.Sign}, nil, allYes), advisor.RouteAppKiosk,
			"sign:app_kiosk:" + signChains,
			[]advisor.Item{advisor.ItemCard, advisor.ItemNFCPhone, advisor.ItemCameraPhone, advisor.ItemKnownAuthPIN, advisor.ItemNewPIN}},
		{"auth PIN locked, signing password known", myNumberCard([]pin.ID{pin.Auth}, nil, allYes), advisor.RouteAppKiosk,
			"auth:app_kiosk:" + authChains,
			[]advisor.Item{advisor.ItemCard, advisor.ItemNFCPhone, advisor.ItemKnownSignPIN, advisor.ItemNewPIN}},
		{"auth PIN locked, no camera: the auth reset needs none", myNumberCard([]pin.ID{pin.Auth}, nil, advisor.Answers{NFCPhone: true, BirthDatePrinted: true}), advisor.RouteAppKiosk,
			"auth:app_kiosk:" + authChains, nil},
		{"both locked", myNumberCard([]pin.ID{pin.Sign, pin.Auth}, nil, allYes), advisor.RouteCounter, "sign:counter:;auth:counter:",
			[]advisor.Item{advisor.ItemCard, advisor.ItemNewPIN, advisor.ItemCounterDocsUnknown}},
		{"signing password forgotten, auth PIN locked", myNumberCard([]pin.ID{pin.Auth}, []pin.ID{pin.Sign}, allYes), advisor.RouteCounter, "sign:counter:;auth:counter:", nil},
		{"signing password locked, blank birth date", myNumberCard([]pin.ID{pin.Sign}, nil, advisor.Answers{NFCPhone: true, Camera: true, ClearPhoto: true}), advisor.RouteCounter, "sign:counter:", nil},
		{"signing password locked, unclear photo", myNumberCard([]pin.ID{pin.Sign}, nil, advisor.Answers{NFCPhone: true, Camera: true, BirthDatePrinted: true}), advisor.RouteCounter, "sign:counter:", nil},
		{"signing password locked, tablet only", myNumberCard([]pin.ID{pin.Sign}, nil, advisor.Answers{Camera: true, ClearPhoto: true, BirthDatePrinted: true}), advisor.RouteCounter, "sign:counter:", nil},
		{"text PIN locked only", myNumberCard([]pin.ID{pin.Text}, nil, allYes), advisor.RouteUnknown, "text:unknown:", nil},
		{"signing password and text PIN locked", myNumberCard([]pin.ID{pin.Sign, pin.Text}, nil, allYes), advisor.RouteAppKiosk, "sign:app_kiosk:" + signChains + ";text:unknown:", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			adv := advisor.Advise(tc.in)
			if adv.Route != tc.route {
				t.Errorf("route %s, want %s", adv.Route, tc.route)
			}
			var got []string
			for _, pa := range adv.PINs {
				got = append(got, fmt.Sprintf("%s:%s:%s", pa.PIN, pa.Route, chainIDs(pa.Kiosks)))
			}
			if g := strings.Join(got, ";"); g != tc.pins {
				t.Errorf("pins %q, want %q", g, tc.pins)
			}
			if tc.bring != nil && !slices.Equal(adv.Bring, tc.bring) {
				t.Errorf("bring %v, want %v", adv.Bring, tc.bring)
			}
		})
	}
}

// A card without a signing certificate (a holder under 15) cannot book an
// auth PIN reset in the app, which needs the signing password.
func TestNoSigningCertificate(t *testing.T) {
	in := myNumberCard([]pin.ID{pin.Auth}, nil, allYes)
	in.PINs[pin.Sign] = advisor.PINInput{}
	adv := advisor.Advise(in)
	if adv.Route != advisor.RouteCounter || len(adv.PINs) != 1 || !slices.Equal(adv.PINs[0].Closed, []advisor.Reason{advisor.ReasonNeedsSignPIN}) {
		t.Errorf("%+v", adv)
	}
}

// The sentences: every route, need, reason, item and note has a Japanese
// and an English sentence, different from each other, with no formatting
// slip; the kiosk line names the chains in the reader's language.
func TestSentences(t *testing.T) {
	keys := map[string]bool{}
	every(func(in advisor.Input) {
		adv := advisor.Advise(in)
		ja, en := adv.Lines(i18n.JA), adv.Lines(i18n.EN)
		if len(ja) != len(en) {
			t.Fatalf("%s: %d ja lines, %d en", describe(in), len(ja), len(en))
		}
		for i := range ja {
			k := ja[i] + "\x00" + en[i]
			if keys[k] {
				continue
			}
			keys[k] = true
			for _, l := range []string{ja[i], en[i]} {
				if strings.Contains(l, "advisor.") || strings.Contains(l, "pin.") || strings.Contains(l, "%!") {
					t.Errorf("untranslated: %q", l)
				}
			}
			if ja[i] == en[i] {
				t.Errorf("same in both languages: %q", ja[i])
			}
		}
	})
	adv := advisor.Advise(myNumberCard([]pin.ID{pin.Auth}, nil, allYes))
	ja, en := strings.Join(adv.Lines(i18n.JA), "\n"), strings.Join(adv.Lines(i18n.EN), "\n")
	for _, want := range []string{"セブン-イレブン（全国）", "フジ（中国・四国の一部店舗）", "24 時間以内", "署名用パスワード"} {
		if !strings.Contains(ja, want) {
			t.Errorf("ja lacks %q:\n%s", want, ja)
		}
	}
	if strings.Contains(ja, "ローソン") {
		t.Errorf("Lawson does not reset the auth PIN:\n%s", ja)
	}
	if !strings.Contains(en, "Seven-Eleven (nationwide)") || !strings.Contains(en, "24 hours") {
		t.Errorf("en:\n%s", en)
	}
}
