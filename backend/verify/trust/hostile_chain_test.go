package trust_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/verify/trust"
)

// v1Cert builds a version 1 certificate (no version field, no extensions)
// for subject's key, signed by issuer with ECDSA-SHA256. crypto/x509 only
// writes v3, so the TBS is assembled here.
func v1Cert(t *testing.T, subject pkix.Name, pub crypto.PublicKey, issuer *ca, from, to time.Time) *ca {
	t.Helper()
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	algo := pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}}
	subj, _ := asn1.Marshal(subject.ToRDNSequence())
	validity := struct{ From, To time.Time }{from.UTC(), to.UTC()}
	tbs := struct {
		Serial   *big.Int
		Algo     pkix.AlgorithmIdentifier
		Issuer   asn1.RawValue
		Validity struct{ From, To time.Time }
		Subject  asn1.RawValue
		SPKI     asn1.RawValue
	}{bigSerial(), algo, asn1.RawValue{FullBytes: issuer.cert.RawSubject}, validity, asn1.RawValue{FullBytes: subj}, asn1.RawValue{FullBytes: spki}}
	tbsDER, err := asn1.Marshal(tbs)
	if err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256(tbsDER)
	sig, err := issuer.key.Sign(rand.Reader, d[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		TBS  asn1.RawValue
		Algo pkix.AlgorithmIdentifier
		Sig  asn1.BitString
	}{asn1.RawValue{FullBytes: tbsDER}, algo, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != 1 {
		t.Fatalf("version %d", c.Version)
	}
	return &ca{c, nil}
}

// An X.509 v1 certificate issued by a trusted root cannot carry
// basicConstraints: it is never accepted as an intermediate, whatever it
// signs. A v1 root the user trusts still serves as an anchor.
func TestV1NeverIntermediate(t *testing.T) {
	from, to := date(2024, 1, 1), date(2034, 1, 1)
	root := newRoot(t, jlisLikeDN, from, to)
	k := newKey(t)
	mid := v1Cert(t, pkix.Name{CommonName: "v1 intermediate"}, k.Public(), root, from, to)
	mid.key = k
	leaf := mid.issue(t, leafTmpl("victim", from, to))
	ch := storeWith(t, root).Chain(leaf.cert, []*x509.Certificate{mid.cert}, date(2025, 1, 1), trust.Signing)
	if ch.OK() || ch.Status != trust.StatusNoChain {
		t.Fatalf("chain through a v1 intermediate: %+v", ch)
	}
	if !strings.Contains(ch.Problems.String(), "version 1") {
		t.Errorf("problems do not say why: %q", ch.Problems)
	}

	// A v1 root as an anchor: accepted (the user decided to trust it).
	rk := newKey(t)
	self := &ca{key: rk}
	self.cert = &x509.Certificate{RawSubject: mustName(t, pkix.Name{CommonName: "old v1 root"})}
	v1root := v1Cert(t, pkix.Name{CommonName: "old v1 root"}, rk.Public(), self, from, to)
	v1root.key = rk
	leaf2 := v1root.issue(t, leafTmpl("signer", from, to))
	if ch := storeWith(t, v1root).Chain(leaf2.cert, nil, date(2025, 1, 1), trust.Signing); !ch.OK() {
		t.Fatalf("v1 anchor: %+v", ch)
	}
}

func mustName(t *testing.T, n pkix.Name) []byte {
	b, err := asn1.Marshal(n.ToRDNSequence())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hugeRSA is an RSA public key with a bits-long modulus (not a product of
// two primes: it only has to be parsed and refused).
func hugeRSA(t *testing.T, bits int) *bigKey {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	if err != nil {
		t.Fatal(err)
	}
	n.SetBit(n, bits-1, 1)
	n.SetBit(n, 0, 1)
	return &bigKey{n}
}

type bigKey struct{ n *big.Int }

// A fake CA with a 16384-bit RSA key, and a crowd of them, is refused
// before any signature arithmetic: the chain answer names the key.
func TestAbsurdKeysRefused(t *testing.T) {
	from, to := date(2024, 1, 1), date(2034, 1, 1)
	root := newRoot(t, jlisLikeDN, from, to)
	var extra []*x509.Certificate
	for i := 0; i < 40; i++ {
		tmpl := intermediateTmpl("fake CA", from, to)
		tmpl.SerialNumber = bigSerial()
		der, err := x509.CreateCertificate(rand.Reader, tmpl, root.cert, hugeRSA(t, 16384).public(), root.key)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		extra = append(extra, c)
	}
	// The leaf names the fake CA as issuer; its signature is junk.
	leafT := leafTmpl("victim", from, to)
	leafT.SerialNumber = bigSerial()
	k := newKey(t).(*ecdsa.PrivateKey)
	fake := &x509.Certificate{RawSubject: extra[0].RawSubject, SubjectKeyId: []byte{1}, PublicKey: &k.PublicKey}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafT, fake, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	ch := storeWith(t, root).Chain(leaf, extra, date(2025, 1, 1), trust.Signing)
	if ch.OK() {
		t.Fatalf("chain through a 16384-bit fake CA: %+v", ch)
	}
	if !strings.Contains(ch.Problems.String(), "16384 bits") {
		t.Errorf("problems do not name the key: %q", ch.Problems)
	}
}

func (k *bigKey) public() crypto.PublicKey { return rsaPub(k.n) }
