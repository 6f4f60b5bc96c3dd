package cms_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/cms"
)

// testPKI makes a root and a leaf with the JPKI signing KeyUsage and no EKU.
func testPKI(t *testing.T) (root, leaf *x509.Certificate, key *rsa.PrivateKey) {
	t.Helper()
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	key, _ = rsa.GenerateKey(rand.Reader, 2048)
	rt := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CMS Test Root"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	rd, _ := x509.CreateCertificate(rand.Reader, rt, rt, &rk.PublicKey, rk)
	root, _ = x509.ParseCertificate(rd)
	lt := &x509.Certificate{SerialNumber: big.NewInt(77), Subject: pkix.Name{CommonName: "署名 テスト"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	ld, _ := x509.CreateCertificate(rand.Reader, lt, root, &key.PublicKey, rk)
	leaf, _ = x509.ParseCertificate(ld)
	return root, leaf, key
}

func writePEM(t *testing.T, path string, c *x509.Certificate) {
	os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), 0o644)
}

// openssl cms -verify, an independent checker, accepts detached and
// enveloping signatures, and rejects a changed content.
func TestOpenSSLVerifies(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed (make setup installs it)")
	}
	root, leaf, key := testPKI(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "root.pem")
	writePEM(t, ca, root)
	content := bytes.Repeat([]byte("申請書のデータ\n"), 5000)
	data := filepath.Join(dir, "data.txt")
	os.WriteFile(data, content, 0o644)
	now := time.Now()
	digest, n, err := cms.Digest(bytes.NewReader(content))
	if err != nil || n != int64(len(content)) {
		t.Fatal(err)
	}
	sig, err := cms.SignDigest(cms.Request{Signer: key, Cert: leaf, SigningTime: &now}, digest)
	if err != nil {
		t.Fatal(err)
	}
	p7s := filepath.Join(dir, "data.p7s")
	os.WriteFile(p7s, sig.Detached(), 0o644)
	out, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", data, "-CAfile", ca, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verification successful") {
		t.Fatalf("detached: %v\n%s", err, out)
	}
	// Signed attributes as openssl sees them.
	out, _ = exec.Command("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", p7s).CombinedOutput()
	for _, want := range []string{"contentType", "messageDigest", "signingTime", "id-smime-aa-signingCertificateV2"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("attribute %s missing:\n%s", want, out)
		}
	}
	// A changed byte fails.
	os.WriteFile(data, append([]byte("X"), content[1:]...), 0o644)
	if out, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", data, "-CAfile", ca, "-purpose", "any", "-out", os.DevNull).CombinedOutput(); err == nil {
		t.Fatalf("changed content verified:\n%s", out)
	}
	// Enveloping: the content comes back out byte for byte.
	var env bytes.Buffer
	if err := sig.WriteEnveloping(&env, bytes.NewReader(content), int64(len(content))); err != nil {
		t.Fatal(err)
	}
	p7m := filepath.Join(dir, "data.p7m")
	os.WriteFile(p7m, env.Bytes(), 0o644)
	got := filepath.Join(dir, "out.txt")
	out, err = exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7m, "-CAfile", ca, "-purpose", "any", "-out", got).CombinedOutput()
	if err != nil {
		t.Fatalf("enveloping: %v\n%s", err, out)
	}
	if back, _ := os.ReadFile(got); !bytes.Equal(back, content) {
		t.Error("enveloped content differs")
	}
}

// Without a signing time (PAdES) the attribute is absent; the set is DER-sorted.
func TestSignedAttributesDER(t *testing.T) {
	_, leaf, _ := testPKI(t)
	d := make([]byte, 32)
	a := cms.SignedAttributes(d, leaf, nil)
	if bytes.Contains(a, []byte{0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05}) {
		t.Error("signingTime present")
	}
	if a[0] != 0x31 {
		t.Errorf("not a SET: %x", a[0])
	}
}
