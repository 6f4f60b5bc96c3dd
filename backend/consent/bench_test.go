package consent_test

import (
	"os"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// Reading, checking every rule, canonicalising and rendering the example.
func BenchmarkParseRender(b *testing.B) {
	raw, _ := os.ReadFile("testdata/example.json")
	for range b.N {
		p, err := consent.Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		consent.Render(p, i18n.JA)
	}
}

// Signing an agreement with the in-memory virtual card (one RSA-2048
// signature by the card emulation included).
func BenchmarkSign(b *testing.B) {
	raw, _ := os.ReadFile("testdata/example.json")
	p, _ := consent.Parse(raw)
	g, _ := vcardtest.Signer(b)
	b.ResetTimer()
	for range b.N {
		if _, err := consent.Sign(g, p, consent.Agree, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
