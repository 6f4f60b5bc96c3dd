package jpki_test

import (
	"crypto"
	"crypto/sha256"
	"testing"

	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// BenchmarkStatus is a full card status (identify, card ID, auth
// certificate, every PIN and 照合番号) on the in-memory card; it reports APDUs
// per status and the floor for this card (jpki.StatusFloor).
func BenchmarkStatus(b *testing.B) {
	card := vcardtest.New(b)
	var apdus int64
	for b.Loop() {
		card.Reset()
		s := jpki.NewSession(card)
		if _, err := s.ReadStatus(); err != nil {
			b.Fatal(err)
		}
		apdus = s.APDUs()
	}
	b.ReportMetric(float64(apdus), "apdus/status")
	b.ReportMetric(float64(jpki.StatusFloor(len(card.State().AuthCertDER()))), "floor-apdus")
}

// BenchmarkExtraSignature is one more signature in a session whose PIN is
// verified: the physical limit is one APDU.
func BenchmarkExtraSignature(b *testing.B) {
	card := vcardtest.New(b)
	s := jpki.NewSession(card)
	cid, _ := s.CardID()
	p, _ := pin.Parse(pin.Sign, []byte("TEST1234"))
	if err := s.Verify(jpki.Attempt{PIN: pin.Sign, Secret: p, Seen: jpki.Observed{CardID: cid, TriesLeft: 5}}); err != nil {
		b.Fatal(err)
	}
	g, err := s.Signer(jpki.SignKey)
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.Sum256([]byte("x"))
	g.Sign(nil, h[:], crypto.SHA256) // selects the key EF
	start := s.APDUs()
	n := 0
	for b.Loop() {
		if _, err := g.Sign(nil, h[:], crypto.SHA256); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(s.APDUs()-start)/float64(n), "apdus/signature")
}
