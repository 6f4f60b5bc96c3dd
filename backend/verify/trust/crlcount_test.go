package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"
)

// The entries of a CRL are counted without parsing them, and a list past
// the bound is refused with ErrCRLTooLarge before crypto/x509 loads it.
func TestCRLEntryBound(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	caT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CA"}, NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCRLSign | x509.KeyUsageCertSign, SubjectKeyId: []byte{1}}
	caDER, _ := x509.CreateCertificate(rand.Reader, caT, caT, &key.PublicKey, key)
	ca, _ := x509.ParseCertificate(caDER)
	for _, n := range []int{0, 1, 25} {
		for _, next := range []bool{true} { // crypto/x509 always writes nextUpdate
			tmpl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: t0}
			if next {
				tmpl.NextUpdate = t0.AddDate(0, 0, 7)
			}
			for i := range n {
				tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: big.NewInt(int64(i + 1)), RevocationTime: t0})
			}
			der, err := x509.CreateRevocationList(rand.Reader, tmpl, ca, key)
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := countCRLEntries(der); !ok || got != n {
				t.Errorf("%d entries (nextUpdate %v): counted %d, %v", n, next, got, ok)
			}
			old := maxCRLEntries
			maxCRLEntries = 10
			_, err = parseCRL(der)
			maxCRLEntries = old
			if (n > 10) != errors.Is(err, ErrCRLTooLarge) {
				t.Errorf("%d entries, bound 10: %v", n, err)
			}
		}
	}
}
