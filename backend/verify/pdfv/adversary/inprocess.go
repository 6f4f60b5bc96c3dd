package adversary

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// InProcess signs with the in-memory virtual card (vcardtest's shared
// keys), a signature timestamp from the TSA at tsaURL when asked.
func InProcess(tsaURL string) Sign {
	return func(tb testing.TB, in, out string, certify int, visible, withTSA bool) {
		tb.Helper()
		o := pades.Options{Name: "署名 花子", Time: time.Now(), Certify: pades.DocMDP(certify)}
		if visible {
			o.Visible = &pades.Stamp{Page: 1, X: 320, Y: 60, W: 230, H: 70, Lines: []string{"署名 花子"}}
		}
		if withTSA {
			c := &tsa.Client{URL: tsaURL}
			o.Timestamp = func(sig []byte) ([]byte, error) { return c.Token(context.Background(), sig) }
			o.TimestampSpace = 8000
		}
		g, _ := vcardtest.Signer(tb)
		d, err := pades.Open(in)
		if err != nil {
			tb.Fatal(err)
		}
		defer d.Close()
		f, err := os.Create(out)
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		err = d.Sign(f, o, len(g.CertificateDER()), func(dg []byte) ([]byte, error) {
			sig, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g, Cert: g.Certificate()}), dg)
			if err != nil {
				return nil, err
			}
			return sig.Detached(), nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// TSAToken returns a Timestamp asking the TSA at url.
func TSAToken(url string) Timestamp {
	c := &tsa.Client{URL: url}
	return func(b []byte) ([]byte, error) { return c.Token(context.Background(), b) }
}
