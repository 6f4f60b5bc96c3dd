package trust_test

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/trust"
)

// Every pin with a fingerprint matches the J-LIS file of that name: SHA-256,
// serial, end of validity, purpose, and a self-signature that verifies.
func TestPinsMatchJLISFiles(t *testing.T) {
	checked := 0
	for _, p := range trust.Pins() {
		if p.SHA256 == "" {
			if _, err := os.Stat(filepath.Join(jlisDir, p.Name+".cer")); err == nil {
				t.Errorf("%s: a copy exists but the pin has no fingerprint", p.Name)
			}
			continue
		}
		raw := jlisFile(t, p.Name)
		if got := trust.Fingerprint(raw); got != p.SHA256 {
			t.Errorf("%s: file SHA-256 %s, pin %s", p.Name, got, p.SHA256)
		}
		c, err := x509.ParseCertificate(raw)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if got := strings.ToUpper(c.SerialNumber.Text(16)); strings.TrimLeft(p.Serial, "0") != got {
			t.Errorf("%s: serial %s, pin %s", p.Name, got, p.Serial)
		}
		if !c.NotAfter.Equal(p.NotAfter) {
			t.Errorf("%s: NotAfter %s, pin %s", p.Name, c.NotAfter, p.NotAfter)
		}
		wantOU := map[string]string{"sign": "JPKI for digital signature", "auth": "JPKI for user authentication"}[p.Purpose]
		if !strings.Contains(c.Subject.String(), wantOU) {
			t.Errorf("%s: subject %q is not for %s", p.Name, c.Subject, p.Purpose)
		}
		if err := c.CheckSignatureFrom(c); err != nil {
			t.Errorf("%s: self-signature: %v", p.Name, err)
		}
		if trust.IsTestRoot(c) {
			t.Errorf("%s: taken for a test root", p.Name)
		}
		checked++
	}
	if checked != 5 {
		t.Errorf("checked %d pinned files, want 5", checked)
	}
}

// Pinned bytes are accepted as J-LIS roots; the same bytes with one byte
// changed, or any other certificate, are refused and nothing is added.
func TestAddJLISOnlyPinnedBytes(t *testing.T) {
	s := trust.NewStore()
	for _, n := range []string{"signca01", "signca02", "signca03", "authca01", "authca03"} {
		a, err := s.AddJLIS(jlisFile(t, n))
		if err != nil || a.Name != n || a.Source != trust.SourceJLIS || a.Test {
			t.Errorf("%s: %+v %v", n, a, err)
		}
	}
	if len(s.Anchors()) != 5 {
		t.Fatalf("%d anchors", len(s.Anchors()))
	}
	// Again: no duplicate.
	if _, err := s.AddJLIS(jlisFile(t, "signca02")); err != nil || len(s.Anchors()) != 5 {
		t.Errorf("re-adding: %v, %d anchors", err, len(s.Anchors()))
	}

	empty := trust.NewStore()
	tampered := append([]byte(nil), jlisFile(t, "signca02")...)
	tampered[len(tampered)-10] ^= 0x01 // in the signature: still parses
	if _, err := x509.ParseCertificate(tampered); err != nil {
		t.Fatalf("the tampered copy should still parse: %v", err)
	}
	_, err := empty.AddJLIS(tampered)
	var np *trust.NotPinnedError
	if !errors.As(err, &np) || !errors.Is(err, trust.ErrNotPinned) || np.SHA256 != trust.Fingerprint(tampered) {
		t.Errorf("tampered root: %v", err)
	}
	own := newRoot(t, pkix.Name{CommonName: "Company CA"}, date(2020, 1, 1), date(2040, 1, 1))
	if _, err := empty.AddJLIS(own.cert.Raw); !errors.Is(err, trust.ErrNotPinned) {
		t.Errorf("company CA as J-LIS: %v", err)
	}
	if len(empty.Anchors()) != 0 {
		t.Errorf("refused roots were added: %d", len(empty.Anchors()))
	}
}

// A pinned root given to AddUser becomes that J-LIS root, not a user anchor.
func TestAddUserOfPinnedRoot(t *testing.T) {
	s := trust.NewStore()
	a, err := s.AddUser(jlisFile(t, "signca03"), "my label")
	if err != nil || a.Source != trust.SourceJLIS || a.Name != "signca03" {
		t.Errorf("%+v %v", a, err)
	}
}

// Anchors persist under the directory, survive a reload, are written with
// owner-only permissions, and can be removed by fingerprint in any spelling.
func TestStorePersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "trust")
	s, err := trust.Load(dir)
	if err != nil || len(s.Anchors()) != 0 {
		t.Fatalf("empty: %v %d", err, len(s.Anchors()))
	}
	company := newRoot(t, pkix.Name{CommonName: "Company CA"}, date(2020, 1, 1), date(2040, 1, 1))
	testRoot := newRoot(t, pkix.Name{CommonName: "Shomei Test CA - NOT FOR PRODUCTION"}, date(2020, 1, 1), date(2040, 1, 1))
	if _, err := s.AddUser(company.cert.Raw, "会社の CA"); err != nil {
		t.Fatal(err)
	}
	if a, err := s.AddUser(testRoot.cert.Raw, ""); err != nil || !a.Test || a.Name != "Shomei Test CA - NOT FOR PRODUCTION" {
		t.Fatalf("%+v %v", a, err)
	}
	fi, err := os.Stat(filepath.Join(dir, "anchors.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("anchors.json: %v %v", fi, err)
	}
	again, err := trust.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	as := again.Anchors()
	if len(as) != 2 || as[0].Name != "Shomei Test CA - NOT FOR PRODUCTION" || as[1].Name != "会社の CA" || as[1].Test || !as[0].Test {
		t.Fatalf("reloaded: %+v", as)
	}
	if !bytes.Equal(as[1].Cert.Raw, company.cert.Raw) {
		t.Error("certificate bytes changed on the way")
	}
	// Another process (here: another Store) adds meanwhile; s sees it on its next change.
	other := newRoot(t, pkix.Name{CommonName: "Other CA"}, date(2020, 1, 1), date(2040, 1, 1))
	if _, err := again.AddUser(other.cert.Raw, "other"); err != nil {
		t.Fatal(err)
	}
	fp := trust.Fingerprint(company.cert.Raw)
	colons := strings.ToLower(fp[:2]) + ":" + fp[2:]
	if err := s.Remove(colons); err != nil {
		t.Fatal(err)
	}
	if got := s.Anchors(); len(got) != 2 || got[1].Name != "other" || got[0].Test != true {
		t.Errorf("after remove: %+v", got)
	}
	if err := s.Remove(fp); !errors.Is(err, trust.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	if err := s.Remove("abc"); !errors.Is(err, trust.ErrBadHex) {
		t.Errorf("bad fingerprint: %v", err)
	}
	final, _ := trust.Load(dir)
	if len(final.Anchors()) != 2 {
		t.Errorf("on disk: %d anchors", len(final.Anchors()))
	}
}

// A damaged anchors file, or one where a user anchor was relabelled as
// J-LIS, is refused rather than trusted.
func TestLoadRefusesTamperedFile(t *testing.T) {
	dir := t.TempDir()
	s, _ := trust.Load(dir)
	company := newRoot(t, pkix.Name{CommonName: "Company CA"}, date(2020, 1, 1), date(2040, 1, 1))
	if _, err := s.AddUser(company.cert.Raw, "company"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "anchors.json")
	good, _ := os.ReadFile(path)

	var f map[string]any
	json.Unmarshal(good, &f)
	f["anchors"].([]any)[0].(map[string]any)["source"] = "jlis"
	promoted, _ := json.Marshal(f)
	for name, content := range map[string][]byte{"promoted to J-LIS": promoted, "truncated": good[:len(good)/2], "empty": {}} {
		os.WriteFile(path, content, 0o600)
		if _, err := trust.Load(dir); !errors.Is(err, trust.ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
		// A change on a damaged file fails and leaves the file as it was.
		if _, err := s.AddUser(company.cert.Raw, "again"); !errors.Is(err, trust.ErrCorrupt) {
			t.Errorf("%s: change over a damaged file: %v", name, err)
		}
		if now, _ := os.ReadFile(path); !bytes.Equal(now, content) {
			t.Errorf("%s: the damaged file was rewritten", name)
		}
	}
	// Save writes a store built in memory.
	m := trust.NewStore()
	m.AddUser(company.cert.Raw, "from memory")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	if l, err := trust.Load(dir); err != nil || len(l.Anchors()) != 1 || l.Anchors()[0].Name != "from memory" {
		t.Errorf("after Save: %v", err)
	}
}

// Subjects that say "test" mark test roots; words merely containing it do not.
func TestIsTestRoot(t *testing.T) {
	for cn, want := range map[string]bool{
		"Shomei Test CA - NOT FOR PRODUCTION": true,
		"JPKI-TEST":                           true,
		"Contest Corporation CA":              false,
		"Company CA":                          false,
	} {
		c := newRoot(t, pkix.Name{Organization: []string{cn}}, date(2020, 1, 1), date(2040, 1, 1))
		if got := trust.IsTestRoot(c.cert); got != want {
			t.Errorf("%q: %v", cn, got)
		}
	}
}

// ReadCerts reads DER, one PEM block and PEM bundles, and refuses the rest.
func TestReadCerts(t *testing.T) {
	dir := t.TempDir()
	a := newRoot(t, pkix.Name{CommonName: "A"}, date(2020, 1, 1), date(2040, 1, 1))
	b := newRoot(t, pkix.Name{CommonName: "B"}, date(2020, 1, 1), date(2040, 1, 1))
	pemOf := func(c *x509.Certificate) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	files := map[string][]byte{
		"a.der":      a.cert.Raw,
		"a.pem":      pemOf(a.cert),
		"bundle.pem": append(append([]byte("junk before\n"), pemOf(a.cert)...), pemOf(b.cert)...),
		"text.txt":   []byte("hello"),
		"key.pem":    []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
	}
	for n, c := range files {
		os.WriteFile(filepath.Join(dir, n), c, 0o644)
	}
	for n, want := range map[string]int{"a.der": 1, "a.pem": 1, "bundle.pem": 2, "text.txt": 0, "key.pem": 0} {
		cs, err := trust.ReadCerts(filepath.Join(dir, n))
		if want == 0 {
			if !errors.Is(err, trust.ErrNoCertificate) {
				t.Errorf("%s: %v", n, err)
			}
			continue
		}
		if err != nil || len(cs) != want || cs[0].Subject.CommonName != "A" {
			t.Errorf("%s: %d certs, %v", n, len(cs), err)
		}
	}
	if _, err := trust.ReadCerts(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
