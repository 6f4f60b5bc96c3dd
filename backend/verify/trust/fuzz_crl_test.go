package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"
)

// FuzzCRL: CRLs built from the numbers an attacker controls (entry
// counts, serials, reasons, times, a raw issuingDistributionPoint, extra
// extensions), signed by the issuer's key or not, then optionally cut or
// with one byte changed; each is parsed and asked about a certificate.
//
//	go test ./backend/verify/trust -run '^$' -fuzz FuzzCRL -fuzzminimizetime 20x -parallel 1
func FuzzCRL(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	caT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fuzz CA"}, NotBefore: t0, NotAfter: t0.AddDate(10, 0, 0),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true, SubjectKeyId: []byte{1, 2, 3}}
	caDER, _ := x509.CreateCertificate(rand.Reader, caT, caT, &key.PublicKey, key)
	ca, _ := x509.ParseCertificate(caDER)
	leafT := &x509.Certificate{SerialNumber: big.NewInt(77), Subject: pkix.Name{CommonName: "leaf"}, NotBefore: t0, NotAfter: t0.AddDate(5, 0, 0)}
	leafDER, _ := x509.CreateCertificate(rand.Reader, leafT, ca, &other.PublicKey, key)
	leaf, _ := x509.ParseCertificate(leafDER)

	f.Add(3, int64(77), 1, int64(0), int64(86400), []byte(nil), []byte(nil), false, -1, byte(0), int64(100))
	f.Add(0, int64(0), 0, int64(-5), int64(0), []byte{0x30, 0x03, 0x81, 0x01, 0xff}, []byte{0x05, 0x00}, true, 10, byte(0xff), int64(-1))
	f.Add(2000, int64(-77), 6, int64(99999999), int64(1), []byte{0x30, 0x00}, []byte("junk"), false, 200, byte(0x80), int64(1<<40))
	f.Fuzz(func(t *testing.T, entries int, serial int64, reason int, thisOff, nextOff int64, idp, ext []byte, wrongKey bool, cut int, flip byte, at int64) {
		entries = abs(entries) % 3000
		tmpl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: t0.Add(time.Duration(thisOff%(1<<40)) * time.Second)}
		tmpl.NextUpdate = tmpl.ThisUpdate.Add(time.Duration(1+abs(int(nextOff%(1<<40)))) * time.Second)
		for i := range entries {
			s := big.NewInt(serial + int64(i))
			if s.Sign() == 0 {
				s = big.NewInt(1)
			}
			tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: s, RevocationTime: t0.Add(time.Duration(i) * time.Hour), ReasonCode: abs(reason) % 11})
		}
		if len(idp) > 0 {
			tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: oidIssuingDP, Critical: true, Value: idp})
		}
		if len(ext) > 0 {
			tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: ext})
		}
		signer := key
		if wrongKey {
			signer = other
		}
		der, err := x509.CreateRevocationList(rand.Reader, tmpl, ca, signer)
		if err != nil {
			return
		}
		if cut >= 0 && len(der) > 0 {
			i := cut % len(der)
			der = append([]byte(nil), der...)
			der[i] ^= flip
		}
		cf, err := parseCRL(der)
		if err != nil {
			return
		}
		c := &CRLs{list: []crlFile{cf}}
		r := c.Check(leaf, ca, t0.Add(time.Duration(at%(1<<40))*time.Second))
		switch r.Status {
		case RevGood, RevRevoked, RevUnknown:
		default:
			t.Fatalf("status %q", r.Status)
		}
		if r.Status == RevRevoked && wrongKey {
			t.Fatal("a CRL signed by another key revoked a certificate")
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}
