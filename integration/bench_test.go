package integration

import (
	"crypto"
	"crypto/sha256"
	"testing"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// BenchmarkStatusPCSC is a full card status through pcscd and vpcd,
// connection and transaction included.
func BenchmarkStatusPCSC(b *testing.B) {
	need(b)
	card := vcardtest.New(b)
	insert(b, card)
	p := &cardsvc.PCSC{}
	defer p.Close()
	svc := cardsvc.New(p)
	var apdus int64
	for b.Loop() {
		st, err := svc.Status(readerInProc)
		if err != nil {
			b.Fatal(err)
		}
		apdus = st.APDUs
	}
	b.ReportMetric(float64(apdus), "apdus/status")
	b.ReportMetric(float64(jpki.StatusFloor(len(card.State().AuthCertDER()))), "floor-apdus")
}

// BenchmarkExtraSignaturePCSC is one more signature through pcscd inside a
// session whose PIN is verified.
func BenchmarkExtraSignaturePCSC(b *testing.B) {
	need(b)
	card := vcardtest.New(b)
	insert(b, card)
	p := &cardsvc.PCSC{}
	defer p.Close()
	svc := cardsvc.New(p)
	st, err := svc.Status(readerInProc)
	if err != nil {
		b.Fatal(err)
	}
	sec, _ := pin.Parse(pin.Sign, []byte("TEST1234"))
	h := sha256.Sum256([]byte("x"))
	err = svc.WithSigner(readerInProc, jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: sec, Seen: st.Seen(pin.Sign)}, func(g *jpki.Signer) error {
		g.Sign(nil, h[:], crypto.SHA256)
		b.ResetTimer()
		for b.Loop() {
			if _, err := g.Sign(nil, h[:], crypto.SHA256); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
