package consent_test

import (
	"os"
	"testing"

	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/i18n"
)

// Any bytes either parse into a document that renders, or give an *Invalid
// with at least one problem; nothing panics.
func FuzzParse(f *testing.F) {
	raw, err := os.ReadFile("testdata/example.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{"format":"shomei-consent/1"}`))
	f.Add([]byte(`{"details":[{"kind":"provision","text":[""]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := consent.Parse(in)
		if err != nil {
			inv, ok := err.(*consent.Invalid)
			if !ok || len(inv.Problems) == 0 {
				t.Fatalf("error without problems: %v", err)
			}
			return
		}
		v := consent.Render(p, i18n.JA)
		if v.Screen.Title == "" || len(v.Details.Sections) == 0 {
			t.Fatalf("valid document renders empty: %+v", v)
		}
	})
}
