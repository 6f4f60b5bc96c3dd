package trust_test

import (
	"crypto/rand"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/trust"
)

// The binary ships the five J-LIS roots whose fingerprints are confirmed,
// each matching its pin; authca02 (unconfirmed) is not among them, and no
// other file sits beside them.
func TestBuiltinRoots(t *testing.T) {
	got := trust.Builtin()
	var names []string
	pins := map[string]string{}
	for _, p := range trust.Pins() {
		pins[p.Name] = p.SHA256
	}
	for _, a := range got {
		names = append(names, a.Name)
		if a.Source != trust.SourceJLIS || !a.Builtin || a.Test || a.SHA256 != pins[a.Name] || trust.Fingerprint(a.Cert.Raw) != a.SHA256 {
			t.Errorf("%s: %+v", a.Name, a)
		}
	}
	if strings.Join(names, " ") != "signca01 signca02 signca03 authca01 authca03" {
		t.Fatalf("shipped roots: %v", names)
	}
	files, _ := filepath.Glob(filepath.Join("jlis", "*"))
	if len(files) != len(got) {
		t.Errorf("jlis/ holds %d files for %d shipped roots: %v", len(files), len(got), files)
	}
	// The shipped bytes are the public copies J-LIS publishes.
	for _, a := range got {
		if b, err := os.ReadFile(filepath.Join(jlisDir, a.Name+".cer")); err == nil && trust.Fingerprint(b) != a.SHA256 {
			t.Errorf("%s differs from the shared copy", a.Name)
		}
	}
	// Nothing stored, yet an empty store lists nothing and is not changed.
	if n := len(trust.NewStore().Anchors()); n != 0 {
		t.Errorf("an empty store lists %d anchors", n)
	}
}

// With nothing imported, chain building reaches the shipped roots: a
// certificate in the name of signca02 but not signed by it finds the shipped signing roots
// (the three generations share that name) and is refused on its signature (a real JPKI signature is not
// available to the project; see README).
func TestBuiltinRootsInChains(t *testing.T) {
	var sign02 *x509.Certificate
	for _, a := range trust.Builtin() {
		if a.Name == "signca02" {
			sign02 = a.Cert
		}
	}
	if sign02 == nil {
		t.Fatal("signca02 not shipped")
	}
	k := newKey(t)
	tmpl := leafTmpl("偽 太郎", date(2025, 1, 1), date(2029, 1, 1))
	tmpl.SerialNumber = bigSerial()
	fakeParent := &x509.Certificate{RawSubject: sign02.RawSubject, Subject: sign02.Subject, SubjectKeyId: sign02.SubjectKeyId}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, fakeParent, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	ch := trust.NewStore().Chain(leaf, nil, date(2026, 1, 1), trust.Signing)
	if ch.OK() || ch.Status != trust.StatusBadSignature || ch.Anchor == nil || !strings.HasPrefix(ch.Anchor.Name, "signca") || !ch.Anchor.Builtin {
		t.Fatalf("forged leaf under the shipped signca02: %+v %+v", ch, ch.Anchor)
	}
}
