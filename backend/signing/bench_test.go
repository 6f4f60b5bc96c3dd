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

// BenchmarkBatch1000PDF is a batch of 1,000 small PDFs with a signature
// that costs nothing, so what is measured is Shomei's own work per
// document: ms/document is the wall time (the two fsyncs of each atomic
// output included, which the disk decides), cpu-ms/document the processor
// time the process spent (user + system), and apdus/document what the card
// would receive (one sign command per document, counted on the in-memory
// card over a real session).
func BenchmarkBatch1000PDF(b *testing.B) {
	g, tr, _, _ := signer(b)
	dir := b.TempDir()
	var in []string
	for i := 0; i < 1000; i++ {
		p := filepath.Join(dir, fmt.Sprintf("doc%04d.pdf", i))
		pdftest.Minimal(b, p, 2, i%2 == 0)
		in = append(in, p)
	}
	// APDUs per document on the card itself, once (the card's RSA is slow).
	// The first signature of a session also selects the key.
	out := b.TempDir()
	signing.Files(context.Background(), g, in[:1], signing.Options{OutDir: out, Overwrite: true}, nil)
	before := tr.n
	for _, r := range signing.Files(context.Background(), g, in[1:11], signing.Options{OutDir: out, Overwrite: true}, nil) {
		if !r.OK() {
			b.Fatal(r.Err)
		}
	}
	perDoc := float64(tr.n-before) / 10
	s := softSigner{Signer: nullSigner{g.Public()}, cert: g.Certificate()}
	cpu0 := cpuTime()
	for b.Loop() {
		res := signing.Files(context.Background(), s, in, signing.Options{OutDir: out, Overwrite: true}, nil)
		for _, r := range res {
			if !r.OK() {
				b.Fatal(r.Err)
			}
		}
	}
	n := float64(b.N) * float64(len(in))
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/n, "ms/document")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/n, "cpu-ms/document")
	b.ReportMetric(perDoc, "apdus/document")
}
