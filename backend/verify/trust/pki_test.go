package trust_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/verify/trust"
)

// jlisDir holds copies of the J-LIS roots for tests; they stay out of git.
const jlisDir = "../../../../shared/trust/jpki"

// jlisFile reads one J-LIS root copy, skipping the test when it is absent.
func jlisFile(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(jlisDir, name+".cer"))
	if os.IsNotExist(err) {
		t.Skipf("J-LIS root copies not found in %s (they come with ../shared, outside git)", jlisDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var serials atomic.Int64

var randReader = rand.Reader

func bigSerial() *big.Int { return big.NewInt(serials.Add(1)) }

// ca is a test certificate with its key.
type ca struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func newKey(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// jlisLikeDN is the subject every generation of the J-LIS signing root
// shares; the test roots use the same shape.
var jlisLikeDN = pkix.Name{Country: []string{"JP"}, Organization: []string{"Example PKI"}, OrganizationalUnit: []string{"Example for digital signature", "Example Agency"}}

// newRoot makes a self-signed CA.
func newRoot(t testing.TB, name pkix.Name, from, to time.Time) *ca {
	t.Helper()
	k := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serials.Add(1)), Subject: name, NotBefore: from, NotAfter: to,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &ca{c, k}
}

// issue signs tmpl (its serial filled in) with c and a fresh key.
func (c *ca) issue(t testing.TB, tmpl *x509.Certificate) *ca {
	t.Helper()
	k := newKey(t)
	tmpl.SerialNumber = big.NewInt(serials.Add(1))
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, k.Public(), c.key)
	if err != nil {
		t.Fatal(err)
	}
	out, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &ca{out, k}
}

// leafTmpl is a signing certificate like JPKI's: digitalSignature and
// nonRepudiation, no EKU.
func leafTmpl(cn string, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{Country: []string{"JP"}, CommonName: cn}, NotBefore: from, NotAfter: to,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment, BasicConstraintsValid: true,
	}
}

func intermediateTmpl(cn string, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{CommonName: cn}, NotBefore: from, NotAfter: to,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}
}

func ekuExt(critical bool, oids ...asn1.ObjectIdentifier) pkix.Extension {
	v, _ := asn1.Marshal(oids)
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: critical, Value: v}
}

var (
	oidTimeStamping = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
	oidServerAuth   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
)

func storeWith(t testing.TB, roots ...*ca) *trust.Store {
	t.Helper()
	s := trust.NewStore()
	for i, r := range roots {
		if _, err := s.AddUser(r.cert.Raw, "root"+string(rune('A'+i))); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
