package integration

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/consent"
)

// exportRoot writes the virtual card's test root for openssl and shomei verify.
func exportRoot(t *testing.T, state string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "root.pem")
	if r := shomei(t, "", "vcard", "export-root", "--state", state, "--out", root); r.code != 0 {
		t.Fatal(r.stderr)
	}
	return root
}

// opensslContent verifies an enveloping CMS with openssl against root and
// returns the signed content.
func opensslContent(t *testing.T, file, root string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "content")
	if o, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", file, "-CAfile", root, "-purpose", "any", "-out", out).CombinedOutput(); err != nil {
		t.Fatalf("openssl cms -verify %s: %v\n%s", file, err, o)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verifiedByShomei runs shomei verify with root as the only anchor.
func verifiedByShomei(t *testing.T, file, root string) {
	t.Helper()
	r := shomei(t, "", "verify", "--no-stored-trust", "--trust", root, "--json", file)
	var v struct {
		Passed bool `json:"passed"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &v) != nil || !v.Passed {
		t.Errorf("shomei verify %s: %d\n%s\n%s", file, r.code, r.stdout, r.stderr)
	}
}

// Consent signing end to end with the virtual card in its own process and
// the CLI as a process: refusal signs nothing; agreement gives a CMS that
// openssl and shomei verify accept, holding the canonical document, the
// decision and the time; the withdrawal names it by hash and verifies too;
// consent list shows it withdrawn.
func TestCLIConsent(t *testing.T) {
	need(t)
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)
	root := exportRoot(t, state)
	dir := t.TempDir()
	doc := filepath.Join(dir, "同意書.json")
	raw, err := os.ReadFile("../backend/consent/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(doc, raw, 0o644)

	r := shomei(t, "", "consent", "sign", doc, "--decision", "disagree", "--reader", readerCLI)
	if r.code != 0 || !strings.Contains(r.stderr, "Nothing was signed") {
		t.Fatalf("disagree: %d %s", r.code, r.stderr)
	}
	if p := status(t)["sign"]; p.TriesLeft != 5 {
		t.Fatalf("refusal touched the card: %+v", p)
	}
	r = shomei(t, "TEST1234\n", "consent", "sign", doc, "--decision", "agree", "--reader", readerCLI, "--pin-stdin", "--accept-disclosure")
	if r.code != 0 {
		t.Fatalf("agree: %d %s", r.code, r.stderr)
	}
	signed := filepath.Join(dir, "同意書.consent.p7m")
	if strings.TrimSpace(r.stdout) != signed {
		t.Errorf("stdout %q", r.stdout)
	}
	var st consent.Statement
	if err := json.Unmarshal(opensslContent(t, signed, root), &st); err != nil {
		t.Fatal(err)
	}
	p, _ := consent.Parse(raw)
	if st.Decision != consent.Agree || st.DocumentSHA256 != p.SHA256 || string(st.Document) != string(p.Canonical) {
		t.Errorf("statement: %+v", st)
	}
	if at, err := time.Parse(time.RFC3339, st.DecidedAt); err != nil || time.Since(at) > time.Minute {
		t.Errorf("decided at %q", st.DecidedAt)
	}
	verifiedByShomei(t, signed, root)

	r = shomei(t, "TEST1234\n", "consent", "withdraw", signed, "--reader", readerCLI, "--pin-stdin", "--accept-disclosure")
	if r.code != 0 {
		t.Fatalf("withdraw: %d %s", r.code, r.stderr)
	}
	withdrawal := filepath.Join(dir, "同意書.withdrawal.p7m")
	var wd consent.Withdrawal
	if err := json.Unmarshal(opensslContent(t, withdrawal, root), &wd); err != nil {
		t.Fatal(err)
	}
	c, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := consent.ReadSigned(c)
	if err != nil || wd.ConsentSHA256 != rc.FileSHA256 {
		t.Errorf("withdrawal names %s, consent is %s (%v)", wd.ConsentSHA256, rc.FileSHA256, err)
	}
	verifiedByShomei(t, withdrawal, root)

	r = shomei(t, "", "consent", "list")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.Contains(lines[0], "refused") || !strings.Contains(lines[1], "withdrawn on") || !strings.Contains(lines[1], "みらい損保 ご住所自動更新") {
		t.Errorf("list: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// E-application signing end to end: a JSON document, an XML document and a
// folder each become one response file that openssl and shomei verify
// accept, whose manifest matches the files as sha256sum sees them.
func TestCLIApplication(t *testing.T) {
	need(t)
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)
	root := exportRoot(t, state)
	dir := t.TempDir()
	js := filepath.Join(dir, "申請.json")
	os.WriteFile(js, []byte(`{"申請":"児童手当","口座":{"銀行":"架空銀行","番号":"0000000"}}`), 0o644)
	xml := filepath.Join(dir, "申請.xml")
	os.WriteFile(xml, []byte(`<?xml version="1.0"?><申請><種別>転居届</種別></申請>`), 0o644)
	folder := filepath.Join(dir, "一式")
	os.MkdirAll(filepath.Join(folder, "添付"), 0o755)
	os.WriteFile(filepath.Join(folder, "form.json"), []byte(`{"a":1}`), 0o644)
	os.WriteFile(filepath.Join(folder, "添付", "scan.pdf"), []byte("%PDF-1.4 not really"), 0o644)

	for _, tc := range []struct {
		input string
		names []string
	}{
		{js, []string{"申請.json"}},
		{xml, []string{"申請.xml"}},
		{folder, []string{"一式/form.json", "一式/添付/scan.pdf"}},
	} {
		r := shomei(t, "TEST1234\n", "sign", "--application", tc.input, "--reader", readerCLI, "--pin-stdin", "--accept-disclosure")
		if r.code != 0 {
			t.Fatalf("%s: %d %s", tc.input, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "will be signed") {
			t.Errorf("no summary:\n%s", r.stderr)
		}
		out := tc.input + ".response.p7m"
		var m application.Manifest
		if err := json.Unmarshal(opensslContent(t, out, root), &m); err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != len(tc.names) {
			t.Fatalf("%s: manifest %+v", tc.input, m)
		}
		for i, f := range m.Files {
			if f.Name != tc.names[i] {
				t.Errorf("name %q, want %q", f.Name, tc.names[i])
			}
			o, err := exec.Command("sha256sum", filepath.Join(dir, filepath.FromSlash(f.Name))).Output()
			if err != nil || !strings.HasPrefix(string(o), f.SHA256+" ") {
				t.Errorf("%s: sha256sum %s, manifest %s", f.Name, o, f.SHA256)
			}
		}
		verifiedByShomei(t, out, root)
	}
	if p := status(t)["sign"]; p.TriesLeft != 5 {
		t.Errorf("sign PIN after three signatures: %+v", p)
	}
}

// Counter mode end to end: the citizen locks the auth PIN; pin advise
// sends them to the app and kiosks without touching the card; at the
// counter the status says to reset it here (the virtual card), the staff
// confirms, and the reset code from the card's config resets it.
func TestCLICounterReset(t *testing.T) {
	need(t)
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	dir := t.TempDir()
	cfg := filepath.Join(dir, "card.json")
	os.WriteFile(cfg, []byte(`{"reset_code": "13572468"}`), 0o644)
	state := filepath.Join(dir, "card")
	if r := shomei(t, "", "vcard", "init", "--state", state, "--config", cfg); r.code != 0 {
		t.Fatal(r.stderr)
	}
	startVCard(t, state)
	for i := 0; i < 3; i++ {
		shomei(t, "0000\n1111\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin", "--confirm-last-try")
	}
	if p := status(t)["auth"]; !p.Locked {
		t.Fatalf("auth not locked: %+v", p)
	}
	r := shomei(t, "", "pin", "advise", "--reader", readerCLI, "--remember", "sign", "--nfc-phone", "yes", "--birth-date", "yes")
	if r.code != 0 || !strings.Contains(r.stdout, "JPKI PIN-reset app") || !strings.Contains(r.stdout, "Seven-Eleven (nationwide)") || strings.Contains(r.stdout, "Lawson") {
		t.Errorf("advise: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = shomei(t, "", "counter", "status", "--reader", readerCLI)
	if r.code != 0 || !strings.Contains(r.stdout, "Card: My Number Card") || !strings.Contains(r.stdout, "→ Locked: User-authentication PIN. This test card can be reset here") {
		t.Errorf("counter status:\n%s", r.stdout)
	}
	r = shomei(t, "13572468\n9876\n", "counter", "reset", "auth", "--reader", readerCLI, "--pin-stdin", "--staff-confirmed")
	if r.code != 0 {
		t.Fatalf("reset: %d %s", r.code, r.stderr)
	}
	if p := status(t)["auth"]; p.Locked || p.TriesLeft != 3 {
		t.Errorf("after reset: %+v", p)
	}
	r = shomei(t, "9876\n1234\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin")
	if r.code != 0 {
		t.Errorf("the new PIN does not work: %s", r.stderr)
	}
}

// counter watch: a card put on the reader is shown; pulling it out clears
// the screen; the next card is shown; Enter clears for the next person.
func TestCLICounterWatch(t *testing.T) {
	need(t)
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	state := filepath.Join(t.TempDir(), "card")
	if r := shomei(t, "", "vcard", "init", "--state", state); r.code != 0 {
		t.Fatal(r.stderr)
	}
	cmd := exec.Command(shomeiBin, "counter", "watch", "--reader", readerCLI, "--json")
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	lines := make(chan map[string]any, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				lines <- m
			}
		}
		close(lines)
	}()
	expect := func(event, reason string) map[string]any {
		t.Helper()
		select {
		case m, ok := <-lines:
			if !ok {
				t.Fatalf("watch ended before %s %s", event, reason)
			}
			if m["event"] != event || (reason != "" && m["reason"] != reason) {
				t.Fatalf("got %v, want %s %s", m, event, reason)
			}
			return m
		case <-time.After(20 * time.Second):
			t.Fatalf("no %s %s event", event, reason)
		}
		return nil
	}
	card := startVCard(t, state)
	m := expect("shown", "")
	if v, _ := m["view"].(map[string]any); v["kind"] != "mynumber_card" || v["test_card"] != true {
		t.Errorf("shown: %v", m)
	}
	card.stop()
	expect("cleared", "card_removed")
	card.start()
	expect("shown", "")
	io.WriteString(stdin, "\n")
	expect("cleared", "next")
}
