package integration

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/vcard"
)

// PINs of this test's card, chosen so that a stray match is unlikely.
const (
	hSignPIN   = "QX7SIGN42"
	hSignNew   = "NEWSIGN77Z"
	hSignWrong = "WRONGPW99"
	hAuthPIN   = "7391"
	hAuthWrong = "9517"
	hAuthNew   = "8642"
	hTextPIN   = "4826"
	hTextNew   = "3159"
)

// Every CLI flow writes the history with the virtual card in its own
// process (card status finding a lock, PIN changes right and wrong,
// signatures alone and in a batch, a wrong signing password), and the raw
// database holds none of the PINs, the certificates (DER, base64, hex, key,
// signature), their serial numbers (decimal, hex), the holder's address,
// birth date or sex; the holder's name and the file names are there. The
// history lists, verifies and exports through the CLI; a busy history
// makes a signature warn, not fail.
func TestHistoryCLI(t *testing.T) {
	need(t)
	data := t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", data)
	state := filepath.Join(t.TempDir(), "card")
	cfg := filepath.Join(t.TempDir(), "card.json")
	b, _ := json.Marshal(map[string]any{"sign_pin": hSignPIN, "auth_pin": hAuthPIN, "text_pin": hTextPIN})
	os.WriteFile(cfg, b, 0o600)
	if r := shomei(t, "", "vcard", "init", "--state", state, "--config", cfg); r.code != 0 {
		t.Fatalf("vcard init: %+v", r)
	}
	startVCard(t, state)
	rd := []string{"--reader", readerCLI, "--pin-stdin"}

	// Lock the auth PIN with wrong PINs: three pin_change events.
	for i := 0; i < 3; i++ {
		r := shomei(t, hAuthWrong+"\n"+hAuthNew+"\n", append([]string{"pin", "change", "auth", "--confirm-last-try"}, rd...)...)
		if r.code != 1 {
			t.Fatalf("wrong auth PIN %d: %+v", i, r)
		}
	}
	if r := shomei(t, "", "card", "status", "--reader", readerCLI); r.code != 0 || !strings.Contains(r.stdout, "LOCKED") {
		t.Fatalf("status: %+v", r)
	}
	if r := shomei(t, hTextPIN+"\n"+hTextNew+"\n", append([]string{"pin", "change", "text"}, rd...)...); r.code != 0 {
		t.Fatalf("text change: %+v", r)
	}
	if r := shomei(t, hSignPIN+"\n"+hSignNew+"\n", append([]string{"pin", "change", "sign"}, rd...)...); r.code != 0 {
		t.Fatalf("sign change: %+v", r)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "申請書.pdf")
	pdftest.Minimal(t, pdf, 1, false)
	var batch []string
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, fmt.Sprintf("添付資料%d.txt", i))
		os.WriteFile(p, []byte(strings.Repeat("添付 ", 100+i)), 0o644)
		batch = append(batch, p)
	}
	missing := filepath.Join(dir, "ない.txt") // missing: the whole batch is refused before the card
	sign := append([]string{"sign", "--accept-disclosure"}, rd...)
	if r := shomei(t, hSignWrong+"\n", append(sign, pdf)...); r.code != 1 {
		t.Fatalf("wrong password: %+v", r)
	}
	if r := shomei(t, hSignNew+"\n", append(sign, pdf)...); r.code != 0 {
		t.Fatalf("sign: %+v", r)
	}
	if r := shomei(t, hSignNew+"\n", append(append(sign, batch...), missing)...); r.code != 1 || !strings.Contains(r.stderr, "cannot be signed") {
		t.Fatalf("refused batch: %+v", r)
	}
	if r := shomei(t, hSignNew+"\n", append(sign, batch...)...); r.code != 0 || !strings.Contains(r.stderr, "Signed 3 of 3 files") {
		t.Fatalf("batch: %+v", r)
	}

	// The history, newest first.
	r := shomei(t, "", "history", "--json", "--limit", "0")
	var page history.Page
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &page) != nil {
		t.Fatalf("history: %+v", r)
	}
	var kinds []string
	for i := len(page.Events) - 1; i >= 0; i-- {
		ev := page.Events[i]
		kinds = append(kinds, ev.Kind+":"+ev.Outcome)
		if ev.Interface != "cli" || ev.App == "" {
			t.Errorf("event %d: interface %q app %q", ev.Seq, ev.Interface, ev.App)
		}
	}
	want := []string{"pin_change:pin_wrong", "pin_change:pin_wrong", "pin_change:pin_wrong", "pin_status_locked:ok",
		"pin_change:ok", "pin_change:ok", "sign_batch:pin_wrong", "sign:ok",
		"sign:ok", "sign:ok", "sign:ok", "sign_batch:ok"}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Fatalf("events:\n got %v\nwant %v", kinds, want)
	}
	signed := page.Events[4] // the single PDF (newest first: the batch's 3 files and its event come after it)
	d := signed.Data
	if d["file"] != "申請書.pdf" || d["format"] != "pades" || d["level"] != "b-b" || d["signer"] != vcard.DefaultHolder.Name || d["test_card"] != true {
		t.Errorf("sign event: %v", d)
	}
	out, _ := os.ReadFile(filepath.Join(dir, "申請書.signed.pdf"))
	in, _ := os.ReadFile(pdf)
	if d["input_sha256"] != sha256hex(in) || d["output_sha256"] != sha256hex(out) {
		t.Errorf("hashes: %v", d)
	}
	if bt := page.Events[0].Data; bt["total"] != float64(3) || bt["signed"] != float64(3) {
		t.Errorf("batch event: %v", bt)
	}
	if lk := page.Events[len(page.Events)-4].Data; fmt.Sprint(lk["pins"]) != "[auth]" {
		t.Errorf("lock event: %v", lk)
	}

	// The raw database bytes hold none of the secrets or personal data.
	db, err := os.ReadFile(filepath.Join(data, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{vcard.DefaultHolder.Name, "申請書.pdf", "添付資料2.txt"} {
		if !bytes.Contains(db, []byte(s)) {
			t.Fatalf("the scan would miss things: %q is not in the database", s)
		}
	}
	for _, p := range []string{hSignPIN, hSignNew, hSignWrong} {
		for _, v := range []string{p, strings.ToLower(p)} {
			if bytes.Contains(db, []byte(v)) {
				t.Errorf("PIN %q is in the history", v)
			}
		}
	}
	for _, p := range []string{hAuthPIN, hAuthWrong, hAuthNew, hTextPIN, hTextNew} {
		if i := standalone(db, []byte(p)); i >= 0 {
			t.Errorf("PIN %q is in the history: %q", p, db[max(0, i-40):min(len(db), i+44)])
		}
	}
	certs := readCerts(t, filepath.Join(state, "certs.pem"))
	for _, c := range certs {
		pub, _ := x509.MarshalPKIXPublicKey(c.PublicKey)
		needles := map[string][]byte{
			"certificate DER":    c.Raw,
			"certificate base64": []byte(base64.StdEncoding.EncodeToString(c.Raw)[:64]),
			"certificate hex":    []byte(hex.EncodeToString(c.Raw)[:64]),
			"public key":         pub,
			"signature":          c.Signature[:64],
			"serial (decimal)":   []byte(c.SerialNumber.String()),
			"serial (hex)":       []byte(fmt.Sprintf("%x", c.SerialNumber)),
			"serial (HEX)":       []byte(fmt.Sprintf("%X", c.SerialNumber)),
			"serial (bytes)":     c.SerialNumber.Bytes(),
			"subject CN":         []byte(c.Subject.CommonName),
		}
		for what, n := range needles {
			if len(n) >= 8 && bytes.Contains(db, n) {
				t.Errorf("%s of %q is in the history", what, c.Subject.CommonName)
			}
		}
	}
	h := vcard.DefaultHolder
	sexDER := otherNameDER(t, vcard.OIDSex, h.Sex)
	for what, n := range map[string][]byte{
		"address": []byte(h.Address), "address (part)": []byte("霞が関"), "birth date": []byte(h.BirthDate),
		"birth date (western)": []byte("19900401"), "birth date (ISO)": []byte("1990-04-01"),
		"sex (otherName)": sexDER, "sex key": []byte(`"sex"`), "gender key": []byte(`"gender"`), "性別": []byte("性別"),
		"birth key": []byte("birth"), "address key": []byte(`"address"`),
	} {
		if bytes.Contains(db, n) {
			t.Errorf("%s is in the history", what)
		}
	}

	// Verify, list for a person, filter, export.
	if r := shomei(t, "", "history", "verify"); r.code != 0 || !strings.Contains(r.stdout, "The history is intact (12 events, #1 to #12)") || !strings.Contains(r.stdout, page.Events[0].Hash) {
		t.Errorf("verify: %+v", r)
	}
	r = shomei(t, "", "history", "--kind", "sign", "--grep", "添付資料", "--since", time.Now().Add(-time.Hour).Format("2006-01-02"))
	if r.code != 0 || strings.Count(r.stdout, "\n") != 3 || !strings.Contains(r.stdout, "添付資料1.txt") || !strings.Contains(r.stdout, "signature  ok  [cli]") {
		t.Errorf("filtered list: %+v", r)
	}
	csvOut := filepath.Join(t.TempDir(), "履歴.csv")
	if r := shomei(t, "", "history", "export", "--format", "csv", "--out", csvOut); r.code != 0 {
		t.Errorf("export: %+v", r)
	}
	if b, _ := os.ReadFile(csvOut); strings.Count(string(b), "\n") != 13 || !strings.Contains(string(b), "申請書.pdf") {
		t.Errorf("csv:\n%s", b)
	}

	// While another process holds the history, a signature still succeeds,
	// with a warning, and its output stays.
	s, err := history.Open(filepath.Join(data, history.FileName), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "申請書.signed.pdf"))
	r = shomei(t, hSignNew+"\n", append(sign, pdf)...)
	s.Close()
	if r.code != 0 || !strings.Contains(r.stderr, "not recorded in the history") || !strings.Contains(r.stderr, "Another Shomei process") {
		t.Errorf("sign with a busy history: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "申請書.signed.pdf")); err != nil {
		t.Error("the signed PDF is missing")
	}
}

func readCerts(t *testing.T, path string) []*x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if len(out) < 2 {
		t.Fatalf("%d certificates in %s", len(out), path)
	}
	return out
}

func otherNameDER(t *testing.T, oid asn1.ObjectIdentifier, v string) []byte {
	t.Helper()
	o, _ := asn1.Marshal(oid)
	u, _ := asn1.MarshalWithParams(v, "utf8")
	e, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: u})
	return append(o, e...)
}

// standalone finds needle not touching a letter or digit on either side (a
// 4-digit PIN would otherwise match inside hashes and times by chance).
func standalone(hay, needle []byte) int {
	alnum := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	for off := 0; ; {
		i := bytes.Index(hay[off:], needle)
		if i < 0 {
			return -1
		}
		i += off
		j := i + len(needle)
		if (i == 0 || !alnum(hay[i-1])) && (j == len(hay) || !alnum(hay[j])) {
			return i
		}
		off = i + 1
	}
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
