package cli_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

const jlisDir = "../../../shared/trust/jpki"

func jlisPath(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(jlisDir, name+".cer")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("J-LIS root copies not found in %s (they come with ../shared, outside git)", jlisDir)
	}
	return p
}

type run struct {
	code           int
	stdout, stderr string
}

// shomei runs the CLI in-process with its data directory in dataDir.
func shomei(t *testing.T, lang i18n.Lang, card *vcard.Card, args ...string) run {
	t.Helper()
	var out, errb bytes.Buffer
	e := &cli.Env{Ctx: context.Background(), Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Lang: lang,
		IsTerminal: func() bool { return false }}
	if card != nil {
		e.Cards = cardsvc.New(cardsvctest.Memory(card))
	}
	code := cli.Run(e, args)
	return run{code, out.String(), errb.String()}
}

func dataDir(t *testing.T) string {
	d := t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", d)
	return d
}

type listJSON struct {
	JLIS []struct {
		Name    string `json:"name"`
		Present bool   `json:"present"`
		Pinned  bool   `json:"pinned"`
	} `json:"jlis"`
	User []struct {
		Label  string `json:"label"`
		Kind   string `json:"kind"`
		SHA256 string `json:"sha256"`
	} `json:"user"`
}

func list(t *testing.T) listJSON {
	t.Helper()
	r := shomei(t, i18n.EN, nil, "trust", "list", "--json")
	var l listJSON
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &l) != nil {
		t.Fatalf("trust list --json: %d %s %s", r.code, r.stdout, r.stderr)
	}
	return l
}

func present(l listJSON) []string {
	var out []string
	for _, j := range l.JLIS {
		if j.Present {
			out = append(out, j.Name)
		}
	}
	return out
}

// import takes a pinned J-LIS root and refuses the same file with one byte
// changed, pointing to `trust add`.
func TestTrustImport(t *testing.T) {
	dir := dataDir(t)
	r := shomei(t, i18n.EN, nil, "trust", "import", jlisPath(t, "signca02"))
	if r.code != 0 || !strings.Contains(r.stdout, "Imported the J-LIS root signca02") {
		t.Fatalf("import: %+v", r)
	}
	raw, _ := os.ReadFile(jlisPath(t, "signca03"))
	raw[len(raw)-5] ^= 0x01
	bad := filepath.Join(dir, "signca03-modified.cer")
	os.WriteFile(bad, raw, 0o644)
	r = shomei(t, i18n.EN, nil, "trust", "import", bad)
	if r.code != 1 || !strings.Contains(r.stderr, trust.Fingerprint(raw)) || !strings.Contains(r.stderr, "shomei trust add FILE --label NAME") {
		t.Errorf("tampered: %+v", r)
	}
	r = shomei(t, i18n.JA, nil, "trust", "import", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "取り込みませんでした") {
		t.Errorf("tampered, Japanese: %+v", r)
	}
	if got := present(list(t)); len(got) != 1 || got[0] != "signca02" {
		t.Errorf("present: %v", got)
	}
	r = shomei(t, i18n.EN, nil, "trust", "import", filepath.Join(dir, "missing.cer"))
	if r.code != 1 || !strings.Contains(r.stderr, "could not be read") {
		t.Errorf("missing file: %+v", r)
	}
}

// add needs a label, warns that trust is the user's decision, marks the
// virtual card's root TEST; remove takes the fingerprint.
func TestTrustAddRemove(t *testing.T) {
	dir := dataDir(t)
	rootFile := filepath.Join(dir, "test-root.pem")
	os.WriteFile(rootFile, vcardtest.State(t).RootPEM(), 0o644)
	if r := shomei(t, i18n.EN, nil, "trust", "add", rootFile); r.code != 2 || !strings.Contains(r.stderr, "--label") {
		t.Errorf("without a label: %+v", r)
	}
	r := shomei(t, i18n.JA, nil, "trust", "add", rootFile, "--label", "仮想カード")
	if r.code != 0 || !strings.Contains(r.stdout, "仮想カード") || !strings.Contains(r.stderr, "あなた自身の判断") || !strings.Contains(r.stderr, "TEST") {
		t.Fatalf("add: %+v", r)
	}
	l := list(t)
	if len(l.User) != 1 || l.User[0].Label != "仮想カード" || l.User[0].Kind != "TEST" || len(present(l)) != 0 {
		t.Fatalf("list: %+v", l)
	}
	human := shomei(t, i18n.EN, nil, "trust", "list")
	if !strings.Contains(human.stdout, "[TEST] 仮想カード") || !strings.Contains(human.stdout, vcard.TestCAName) {
		t.Errorf("human list:\n%s", human.stdout)
	}
	fp := l.User[0].SHA256
	if r := shomei(t, i18n.EN, nil, "trust", "remove", "not-hex"); r.code != 1 || !strings.Contains(r.stderr, "64 hexadecimal") {
		t.Errorf("bad fingerprint: %+v", r)
	}
	if r := shomei(t, i18n.EN, nil, "trust", "remove", strings.ToLower(fp)); r.code != 0 || !strings.Contains(r.stdout, "仮想カード") {
		t.Errorf("remove: %+v", r)
	}
	if r := shomei(t, i18n.EN, nil, "trust", "remove", fp); r.code != 1 || !strings.Contains(r.stderr, "No trust anchor") {
		t.Errorf("remove again: %+v", r)
	}
	if l := list(t); len(l.User) != 0 {
		t.Errorf("after remove: %+v", l)
	}
	// A company CA is a USER anchor.
	company := filepath.Join(dir, "company.der")
	os.WriteFile(company, companyCA(t), 0o644)
	if r := shomei(t, i18n.EN, nil, "trust", "add", company, "--label", "Company"); r.code != 0 || strings.Contains(r.stderr, "test certificate") {
		t.Errorf("company: %+v", r)
	}
	if l := list(t); len(l.User) != 1 || l.User[0].Kind != "USER" {
		t.Errorf("company listed: %+v", l)
	}
}

// companyCA is a self-signed CA certificate, DER.
func companyCA(t *testing.T) []byte {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{Organization: []string{"Example Corp"}, CommonName: "Example Corp CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// from-card refuses the virtual card's test root as a J-LIS root and says
// how to add it as one's own anchor.
func TestTrustFromCard(t *testing.T) {
	dataDir(t)
	r := shomei(t, i18n.EN, vcardtest.New(t), "trust", "from-card")
	if r.code != 1 || strings.Count(r.stderr, "a test root") != 2 || !strings.Contains(r.stderr, "shomei vcard export-root") || !strings.Contains(r.stderr, "shomei trust add") {
		t.Errorf("%+v", r)
	}
	if l := list(t); len(l.User) != 0 || len(present(l)) != 0 {
		t.Errorf("something was added: %+v", l)
	}
}

// fetch keeps the pinned files and refuses a tampered one, naming it.
func TestTrustFetch(t *testing.T) {
	dataDir(t)
	good, _ := os.ReadFile(jlisPath(t, "signca03"))
	tampered := append([]byte(nil), good...)
	tampered[len(tampered)-30] ^= 0x04
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ca/pdf/signca03.cer":
			w.Write(good)
		case "/mirror/signca03.cer":
			w.Write(tampered)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	r := shomei(t, i18n.EN, nil, "trust", "fetch", "--url", srv.URL+"/ca/pdf/signca03.cer", "--url", srv.URL+"/mirror/signca03.cer", "--url", srv.URL+"/ca/pdf/none.cer")
	if r.code != 1 || !strings.Contains(r.stdout, "imported: signca03") || !strings.Contains(r.stdout, "Imported 1 of 3") ||
		!strings.Contains(r.stderr, "/mirror/signca03.cer: refused") || !strings.Contains(r.stderr, "/ca/pdf/none.cer: the server did not return") {
		t.Errorf("%+v", r)
	}
	if got := present(list(t)); len(got) != 1 || got[0] != "signca03" {
		t.Errorf("present: %v", got)
	}
}

// A damaged anchors file is reported, not trusted, and not overwritten.
func TestTrustDamagedStore(t *testing.T) {
	dir := dataDir(t)
	os.MkdirAll(filepath.Join(dir, "trust"), 0o700)
	p := filepath.Join(dir, "trust", "anchors.json")
	os.WriteFile(p, []byte("{not json"), 0o600)
	for _, args := range [][]string{{"trust", "list"}, {"trust", "remove", strings.Repeat("A", 64)}} {
		r := shomei(t, i18n.EN, nil, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, p) {
			t.Errorf("%v: %+v", args, r)
		}
	}
	if raw, _ := os.ReadFile(p); string(raw) != "{not json" {
		t.Error("the damaged file was changed")
	}
	if r := shomei(t, i18n.EN, nil, "trust", "frobnicate"); r.code != 2 {
		t.Errorf("unknown subcommand: %+v", r)
	}
}
