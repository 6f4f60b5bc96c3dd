package uiservice_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/cardio/pin"
)

// The counter's identity check through the UI service: the tries of
// 照合番号B on the counter view, a wrong code said as such, the genuine
// test card confirmed once its root is trusted, the photo as a PNG data URL,
// and nothing of the person in the data folder.
func TestCounterIdentity(t *testing.T) {
	f := newFixture(t)
	st := f.card.State()
	id := st.Identity()
	b, _ := id.CodeB()
	store, err := trust.Load(filepath.Join(f.dir, "trust"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddUser(st.Root().Raw, "virtual card"); err != nil {
		t.Fatal(err)
	}
	v := f.svc.CounterStatus("")
	if len(v.Codes) != 2 || v.Codes[0].ID != "visual_b" || v.Codes[0].TriesLeft != 10 {
		t.Fatalf("codes: %+v", v.Codes)
	}
	_, err = f.svc.CounterIdentity(uiservice.IdentityRequest{CardID: v.CardID, CodeB: uiservice.Secret("02040120369999"), TriesVisualB: 10, TriesTextB: 10})
	if err == nil || !strings.Contains(err.Error(), "照合番号B が券面と一致しません。残り 9 回") {
		t.Fatalf("wrong code: %v", err)
	}
	// The screen showed 10: the state changed, nothing is sent.
	if _, err := f.svc.CounterIdentity(uiservice.IdentityRequest{CardID: v.CardID, CodeB: uiservice.Secret(b), TriesVisualB: 10, TriesTextB: 10}); err == nil || !strings.Contains(err.Error(), "pin_state_changed") {
		t.Fatalf("stale tries: %v", err)
	}
	res, err := f.svc.CounterIdentity(uiservice.IdentityRequest{CardID: v.CardID, CodeB: uiservice.Secret(b), TriesVisualB: 9, TriesTextB: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Authentic || !res.TestCard || res.Name != id.Name || res.Sex != "女" || !strings.Contains(res.Verdict, "テスト用の署名で確認できました") {
		t.Errorf("view: %+v", res)
	}
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(res.Photo, "data:image/png;base64,"))
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("photo: %.40s", res.Photo)
	}
	if _, err := f.svc.CounterIdentity(uiservice.IdentityRequest{CardID: "another", CodeB: uiservice.Secret(b), TriesVisualB: 10, TriesTextB: 10}); err == nil || !strings.Contains(err.Error(), "card_changed") {
		t.Errorf("another card: %v", err)
	}
	filepath.Walk(f.dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		raw, _ := os.ReadFile(p)
		for _, needle := range []string{id.Name, id.Address, id.MyNumber, id.BirthDate, "1990-04-01", "\x89PNG"} {
			if strings.Contains(string(raw), needle) {
				t.Errorf("%s holds %q", p, needle)
			}
		}
		return nil
	})
	for _, needle := range []string{id.Name, id.MyNumber, b} {
		if strings.Contains(f.log.String(), needle) {
			t.Errorf("the log holds %q", needle)
		}
	}
}

// The basic 4 information with the 4-digit PIN through the UI service: the
// PIN's tries on the counter view, a wrong PIN costs exactly one try and is
// said as the PIN's error, stale tries send nothing, the last try needs the
// confirmation, the My Number only when asked for; the history holds the
// reads and nothing of the person, the data folder and the log neither.
func TestCounterBasicInfo(t *testing.T) {
	f := newFixture(t)
	st := f.card.State()
	id := st.Identity()
	store, err := trust.Load(filepath.Join(f.dir, "trust"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddUser(st.Root().Raw, "virtual card"); err != nil {
		t.Fatal(err)
	}
	tries := func() int {
		for _, p := range f.svc.CounterStatus("").PINList {
			if p.ID == "text" {
				return p.TriesLeft
			}
		}
		t.Fatal("no text PIN on the counter view")
		return 0
	}
	v := f.svc.CounterStatus("")
	if n := tries(); n != 3 {
		t.Fatalf("text PIN tries %d", n)
	}
	if _, err := f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: v.CardID, PIN: uiservice.Secret("9999"), TriesLeft: 3}); err == nil || !strings.Contains(err.Error(), "暗証番号が違います。残り 2 回") || strings.Contains(err.Error(), "照合番号") {
		t.Fatalf("wrong PIN: %v", err)
	}
	if n := st.Tries(pin.Text); n != 2 {
		t.Fatalf("one wrong PIN left %d tries", n)
	}
	if _, err := f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: v.CardID, PIN: uiservice.Secret("1234"), TriesLeft: 3}); err == nil || !strings.Contains(err.Error(), "pin_state_changed") {
		t.Fatalf("stale tries: %v", err)
	}
	if _, err := f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: v.CardID, PIN: uiservice.Secret("12a4"), TriesLeft: 2}); err == nil || !strings.Contains(err.Error(), "pin_format") {
		t.Fatalf("format: %v", err)
	}
	if _, err := f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: v.CardID, PIN: uiservice.Secret("9999"), TriesLeft: 2}); err == nil {
		t.Fatal("a second wrong PIN was accepted")
	}
	if _, err := f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: v.CardID, PIN: uiservice.Secret("1234"), TriesLeft: 1}); err == nil || !strings.Contains(err.Error(), "last_try") {
		t.Fatalf("last try without confirmation: %v", err)
	}
	if n := st.Tries(pin.Text); n != 1 {
		t.Fatalf("refusals before the card used tries: %d left", n)
	}
	res, err := f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: v.CardID, PIN: uiservice.Secret("1234"), TriesLeft: 1, ConfirmLastTry: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != id.Name || res.Address != id.Address || res.BirthDate != "1990-04-01" || res.Sex != "女" || res.MyNumber != "" || !res.Authentic || !strings.Contains(res.Verdict, "テスト用の署名で確認できました") {
		t.Errorf("view: %+v", res)
	}
	res, err = f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: v.CardID, PIN: uiservice.Secret("1234"), TriesLeft: 3, WithMyNumber: true})
	if err != nil || res.MyNumber != id.MyNumber {
		t.Fatalf("with the My Number: %v %+v", err, res)
	}
	if _, err := f.svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: "another", PIN: uiservice.Secret("1234"), TriesLeft: 3}); err == nil || !strings.Contains(err.Error(), "card_changed") {
		t.Errorf("another card: %v", err)
	}
	h, err := f.svc.History(uiservice.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, r := range h.Records {
		if r.Kind == "basic_info" {
			reads++
		}
	}
	if reads != 4 { // two wrong PINs, two reads
		t.Errorf("history: %d basic_info events: %+v", reads, h.Records)
	}
	files := 0
	filepath.Walk(f.dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		files++
		raw, _ := os.ReadFile(p)
		for _, needle := range []string{id.Name, id.Address, id.MyNumber, id.BirthDate, "1990-04-01"} {
			if strings.Contains(string(raw), needle) {
				t.Errorf("%s holds %q", p, needle)
			}
		}
		return nil
	})
	if files == 0 {
		t.Fatal("no file in the data folder: the scan proves nothing")
	}
	for _, needle := range []string{id.Name, id.MyNumber, id.Address} {
		if strings.Contains(f.log.String(), needle) {
			t.Errorf("the log holds %q", needle)
		}
	}
}
