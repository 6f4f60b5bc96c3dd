package signing_test

import (
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

// softSigner is the card's certificate with a signature that costs nothing,
// so the benchmark measures Shomei's own work per document.
type softSigner struct {
	crypto.Signer
	cert *x509.Certificate
}

func (s softSigner) Certificate() *x509.Certificate { return s.cert }

// nullSigner returns a zero signature at once.
type nullSigner struct{ pub crypto.PublicKey }

func (z nullSigner) Public() crypto.PublicKey { return z.pub }
func (z nullSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return make([]byte, 256), nil
}

// BenchmarkBatch100PDF is a batch of 100 small PDFs; the reported
// ms/document is Shomei's overhead per document, the card's time excluded.
func BenchmarkBatch100PDF(b *testing.B) {
	g, _, _, _ := signer(b)
	dir := b.TempDir()
	var in []string
	for i := 0; i < 100; i++ {
		p := filepath.Join(dir, fmt.Sprintf("doc%03d.pdf", i))
		pdftest.Minimal(b, p, 2, i%2 == 0)
		in = append(in, p)
	}
	s := softSigner{Signer: nullSigner{g.Public()}, cert: g.Certificate()}
	out := b.TempDir()
	for b.Loop() {
		res := signing.Files(context.Background(), s, in, signing.Options{OutDir: out, Overwrite: true}, nil)
		for _, r := range res {
			if !r.OK() {
				b.Fatal(r.Err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/100, "ms/document")
}
