package trust_test

import (
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/trust"
)

// Chain building among three roots of one name (two of them fail the
// signature check before the right one is found) plus the real J-LIS roots.
func BenchmarkChainGenerations(b *testing.B) {
	t := b
	gens := generations(t)
	s := storeWith(t, gens...)
	for _, n := range []string{"signca01", "signca02", "signca03"} {
		if raw, err := os.ReadFile(filepath.Join(jlisDir, n+".cer")); err == nil {
			s.AddJLIS(raw)
		}
	}
	leaf := gens[2].issue(t, leafTmpl("holder", date(2025, 1, 1), date(2030, 1, 1))).cert
	at := date(2026, 1, 1)
	b.ResetTimer()
	for b.Loop() {
		if ch := s.Chain(leaf, nil, at, trust.Signing); ch.Status != trust.StatusOK {
			b.Fatal(ch.Status)
		}
	}
}

// Loading and checking one certificate against a CRL of 100,000 entries,
// about the size of a large CA's full CRL.
func BenchmarkCRL100k(b *testing.B) {
	t := b
	root := newRoot(t, jlisLikeDN, date(2020, 1, 1), date(2040, 1, 1))
	leaf := root.issue(t, leafTmpl("holder", date(2024, 1, 1), date(2029, 1, 1))).cert
	tmpl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: date(2025, 7, 1), NextUpdate: date(2025, 8, 1)}
	for i := 0; i < 100000; i++ {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: big.NewInt(int64(1_000_000 + i)), RevocationTime: date(2025, 1, 1)})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, root.cert, root.key)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "big.crl")
	os.WriteFile(path, der, 0o644)
	b.Logf("CRL of %d entries: %d bytes", len(tmpl.RevokedCertificateEntries), len(der))
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := trust.LoadCRLs(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	crls, _ := trust.LoadCRLs(path)
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			if r := crls.Check(leaf, root.cert, date(2025, 6, 1)); r.Status != trust.RevGood {
				b.Fatal(r.Status)
			}
		}
	})
}
