package uiservice_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/verify/trust"
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
