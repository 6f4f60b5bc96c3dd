package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// wfCard serves an in-memory virtual card and logs every command APDU.
type wfCard struct {
	card *vcard.Card
	mu   sync.Mutex
	log  [][]byte
}

type wfLink struct{ c *wfCard }

func (l wfLink) Transmit(cmd []byte) ([]byte, error) {
	l.c.mu.Lock()
	l.c.log = append(l.c.log, append([]byte(nil), cmd...))
	l.c.mu.Unlock()
	return l.c.card.Transmit(cmd)
}
func (wfLink) Reader() string     { return "memory" }
func (l wfLink) Reconnect() error { l.c.card.Reset(); return nil }
func (l wfLink) Close(reset bool) error {
	if reset {
		l.c.card.Reset()
	}
	return nil
}
func (c *wfCard) Readers() ([]pcsc.ReaderInfo, error) {
	return []pcsc.ReaderInfo{{Name: "memory", Present: true}}, nil
}
func (c *wfCard) Open(string) (cardsvc.Link, error) { return wfLink{c}, nil }

// verifies counts VERIFY commands that carry a PIN (status reads send none).
func (c *wfCard) verifies() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, a := range c.log {
		if len(a) > 4 && a[1] == 0x20 {
			n++
		}
	}
	return n
}

type wfResult struct {
	code           int
	stdout, stderr string
}

// wf runs the CLI in-process on card, with stdin and a terminal or not.
func wf(t *testing.T, c *wfCard, stdin string, terminal bool, args ...string) wfResult {
	t.Helper()
	var out, errb bytes.Buffer
	e := &cli.Env{Ctx: context.Background(), Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Lang: i18n.EN,
		IsTerminal: func() bool { return terminal }, Cards: cardsvc.New(c),
		ReadSecret: func(string) ([]byte, error) { t.Fatal("no secret is typed in these tests"); return nil, nil }}
	code := cli.Run(e, args)
	return wfResult{code, out.String(), errb.String()}
}

func newWF(t *testing.T) *wfCard {
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	return &wfCard{card: vcardtest.New(t)}
}

// lockPIN spends every try of id with wrong PINs through the card service.
func lockPIN(t *testing.T, c *wfCard, id pin.ID, wrong string) {
	t.Helper()
	svc := cardsvc.New(c)
	for {
		st, err := svc.Status("")
		if err != nil {
			t.Fatal(err)
		}
		if st.PINs[id].Locked {
			return
		}
		s, _ := pin.Parse(id, []byte(wrong))
		n, _ := pin.Parse(id, []byte(wrong))
		if err := svc.ChangePIN("", jpki.Attempt{PIN: id, Secret: s, Seen: st.Seen(id), ConfirmLastTry: true}, n); cardio.CodeOf(err) != cardio.CodePINWrong {
			t.Fatalf("lock %s: %v", id, err)
		}
	}
}

func events(t *testing.T, kind string) []history.Event {
	t.Helper()
	p, err := history.Path()
	if err != nil {
		t.Fatal(err)
	}
	var evs []history.Event
	err = history.Do(p, history.Options{ReadOnly: true}, func(s *history.Store) error {
		page, err := s.List(history.Query{Kinds: []string{kind}})
		evs = page.Events
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// pin advise reads the card's state and never sends a VERIFY with a PIN;
// with the auth PIN locked and the signing password remembered it sends
// the person to the app and the five chains that reset that PIN; without a
// terminal, a missing answer is asked for by its flag; at a terminal only
// the questions that matter are asked.
func TestPINAdviseCLI(t *testing.T) {
	c := newWF(t)
	lockPIN(t, c, pin.Auth, "0000")
	before := c.verifies()
	r := wf(t, c, "", false, "pin", "advise", "--remember", "sign,text,juki", "--nfc-phone", "yes", "--birth-date", "yes", "--json")
	if r.code != 0 {
		t.Fatalf("advise: %+v", r)
	}
	var out struct {
		Advice struct {
			Route string `json:"route"`
			PINs  []struct {
				PIN    string `json:"pin"`
				Route  string `json:"route"`
				Kiosks []struct {
					ID string `json:"id"`
				} `json:"kiosks"`
			} `json:"pins"`
		} `json:"advice"`
		Lines []string `json:"lines"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Advice.Route != "app_kiosk" || len(out.Advice.PINs) != 1 || out.Advice.PINs[0].PIN != "auth" || len(out.Advice.PINs[0].Kiosks) != 5 {
		t.Errorf("advice: %s", r.stdout)
	}
	if c.verifies() != before {
		t.Errorf("pin advise sent %d VERIFY commands with data", c.verifies()-before)
	}
	// The locked state found was recorded; the answers were not asked for.
	if len(events(t, history.KindPINLocked)) == 0 {
		t.Error("the lock was not recorded")
	}

	r = wf(t, c, "", false, "pin", "advise", "--remember", "sign")
	if r.code != 2 || !strings.Contains(r.stderr, "--nfc-phone yes|no") {
		t.Errorf("missing answer: %+v", r)
	}
	// At a terminal: sign, text and juki remembered? then NFC and birth date;
	// no camera or photo question (those concern the signing password only).
	r = wf(t, c, "yes\nyes\nyes\nno\nyes\n", true, "pin", "advise")
	if r.code != 0 || strings.Count(r.stderr, "[yes/no]") != 5 || strings.Contains(r.stderr, "camera") {
		t.Fatalf("interactive: %+v", r)
	}
	if !strings.Contains(r.stdout, "municipal counter") || !strings.Contains(r.stdout, "smartphone with NFC") {
		t.Errorf("no NFC phone should mean the counter:\n%s", r.stdout)
	}
	if c.verifies() != before {
		t.Error("VERIFY sent")
	}
	// Nothing locked and everything remembered: nothing to do, nothing asked.
	c2 := newWF(t)
	r = wf(t, c2, "", false, "pin", "advise", "--remember", "sign,auth,text,juki")
	if r.code != 0 || !strings.Contains(r.stdout, "No PIN needs a reset") {
		t.Errorf("nothing to do: %+v", r)
	}
	// card status points to the advice when a PIN is locked.
	r = wf(t, c, "", false, "card", "status")
	if !strings.Contains(r.stdout, "shomei pin advise") || !strings.Contains(r.stdout, "A move, or a change of name") {
		t.Errorf("card status:\n%s", r.stdout)
	}
	r = wf(t, c, "", false, "card", "status", "--json")
	var js struct {
		Life []struct {
			Cert        string `json:"certificate"`
			RenewalFrom string `json:"renewal_from"`
		} `json:"certificate_life"`
		PINs map[string]any `json:"pins"`
	}
	if json.Unmarshal([]byte(r.stdout), &js) != nil || len(js.Life) != 1 || js.Life[0].Cert != "auth" || js.Life[0].RenewalFrom == "" || len(js.PINs) != 8 { // sign, auth, text, juki and the four 照合番号
		t.Errorf("card status --json: %s", r.stdout)
	}
}

func writeRoot(t *testing.T, c *wfCard) string {
	p := filepath.Join(t.TempDir(), "root.pem")
	if err := os.WriteFile(p, c.card.State().RootPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func opensslVerify(t *testing.T, file, root string) []byte {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed (make setup installs it)")
	}
	out := filepath.Join(t.TempDir(), "content")
	if o, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", file, "-CAfile", root, "-purpose", "any", "-out", out).CombinedOutput(); err != nil {
		t.Fatalf("openssl cms -verify %s: %v\n%s", file, err, o)
	}
	b, _ := os.ReadFile(out)
	return b
}

// shomei verify passes a file with the card's test root as the anchor.
func shomeiVerifies(t *testing.T, c *wfCard, file, root string) {
	t.Helper()
	r := wf(t, c, "", false, "verify", "--no-stored-trust", "--trust", root, "--json", file)
	var v struct {
		Passed bool `json:"passed"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &v) != nil || !v.Passed {
		t.Errorf("shomei verify %s: %d\n%s\n%s", file, r.code, r.stdout, r.stderr)
	}
}

// The consent flow through the CLI with the virtual card: a refusal signs
// nothing and is recorded; an agreement needs the disclosure accepted, uses
// one PIN entry and writes a CMS that openssl and shomei verify both accept;
// the withdrawal names it by hash; the list shows the consent as withdrawn.
// An invalid document is refused with every problem named; a wrong PIN
// writes nothing.
func TestConsentCLI(t *testing.T) {
	c := newWF(t)
	dir := t.TempDir()
	doc := filepath.Join(dir, "mirai.json")
	raw, _ := os.ReadFile("../../backend/consent/testdata/example.json")
	os.WriteFile(doc, raw, 0o644)
	root := writeRoot(t, c)

	r := wf(t, c, "", false, "consent", "sign", doc, "--decision", "disagree")
	if r.code != 0 || !strings.Contains(r.stderr, "Nothing was signed") || c.verifies() != 0 {
		t.Fatalf("disagree: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "mirai.consent.p7m")); err == nil {
		t.Fatal("a refusal wrote a file")
	}
	// At a terminal the person answers on the screen, and may read the details first.
	r = wf(t, c, "details\ndisagree\n", true, "consent", "sign", doc)
	if r.code != 0 || !strings.Contains(r.stderr, "12. Contact (required)") || strings.Count(r.stderr, "[ I agree ]    [ I do not agree ]") != 2 || !strings.Contains(r.stderr, "Nothing was signed") {
		t.Fatalf("interactive refusal: %+v", r)
	}
	r = wf(t, c, "TEST1234\n", false, "consent", "sign", doc, "--decision", "agree", "--pin-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "--accept-disclosure") || c.verifies() != 0 {
		t.Fatalf("no disclosure: %+v", r)
	}
	r = wf(t, c, "WRONG999\n", false, "consent", "sign", doc, "--decision", "agree", "--pin-stdin", "--accept-disclosure")
	if r.code != 1 || !strings.Contains(r.stderr, "4 tries left") {
		t.Fatalf("wrong PIN: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "mirai.consent.p7m")); err == nil {
		t.Fatal("a wrong PIN wrote a file")
	}
	r = wf(t, c, "TEST1234\n", false, "consent", "sign", doc, "--decision", "agree", "--pin-stdin", "--accept-disclosure", "--json")
	if r.code != 0 {
		t.Fatalf("agree: %+v", r)
	}
	var res struct {
		Output        string `json:"output"`
		ConsentSHA256 string `json:"consent_sha256"`
		Validity      struct {
			Until string `json:"valid_until"`
		} `json:"validity"`
	}
	json.Unmarshal([]byte(r.stdout), &res)
	if res.Output != filepath.Join(dir, "mirai.consent.p7m") || res.Validity.Until == "" {
		t.Fatalf("agree output: %s", r.stdout)
	}
	var st consent.Statement
	if err := json.Unmarshal(opensslVerify(t, res.Output, root), &st); err != nil || st.Decision != consent.Agree {
		t.Fatalf("statement: %v %+v", err, st)
	}
	shomeiVerifies(t, c, res.Output, root)
	// The same output again is refused before the card is used.
	n := c.verifies()
	r = wf(t, c, "TEST1234\n", false, "consent", "sign", doc, "--decision", "agree", "--pin-stdin", "--accept-disclosure")
	if r.code != 1 || !strings.Contains(r.stderr, "The output file exists already") || c.verifies() != n {
		t.Errorf("existing output: %+v", r)
	}

	r = wf(t, c, "TEST1234\n", false, "consent", "withdraw", res.Output, "--pin-stdin", "--accept-disclosure")
	if r.code != 0 {
		t.Fatalf("withdraw: %+v", r)
	}
	wpath := filepath.Join(dir, "mirai.withdrawal.p7m")
	var wd consent.Withdrawal
	if err := json.Unmarshal(opensslVerify(t, wpath, root), &wd); err != nil || wd.ConsentSHA256 != res.ConsentSHA256 {
		t.Fatalf("withdrawal: %v %+v", err, wd)
	}
	shomeiVerifies(t, c, wpath, root)
	r = wf(t, c, "TEST1234\n", false, "consent", "withdraw", doc, "--pin-stdin", "--accept-disclosure")
	if r.code != 1 || !strings.Contains(r.stderr, "is not a consent signed with Shomei") {
		t.Errorf("withdrawing a plain document: %+v", r)
	}

	r = wf(t, c, "", false, "consent", "list", "--json")
	var list struct {
		Consents []struct {
			Service, Decision, Date, WithdrawnOn, ValidUntil string
		} `json:"consents"`
	}
	if err := json.Unmarshal([]byte(strings.ReplaceAll(strings.ReplaceAll(r.stdout, "withdrawn_on", "WithdrawnOn"), "valid_until", "ValidUntil")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Consents) != 3 || list.Consents[1].Decision != "disagree" || list.Consents[2].Decision != "agree" || list.Consents[2].WithdrawnOn == "" || list.Consents[2].ValidUntil == "" {
		t.Errorf("list: %s", r.stdout)
	}
	if ev := events(t, history.KindConsent); len(ev) != 4 { // disagree twice, the wrong PIN, agree
		t.Errorf("%d consent events", len(ev))
	}

	// The history holds what was decided, not who decided it.
	hp, _ := history.Path()
	db, _ := os.ReadFile(hp)
	h := vcard.DefaultHolder
	for _, personal := range []string{h.Address, h.BirthDate, "TEST1234", "WRONG999"} {
		if bytes.Contains(db, []byte(personal)) {
			t.Errorf("the history holds %q", personal)
		}
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, bytes.Replace(raw, []byte(`"kind": "voluntary"`), []byte(`"kind": "voluntry"`), 1), 0o644)
	r = wf(t, c, "", false, "consent", "show", bad)
	if r.code != 1 || !strings.Contains(r.stderr, `Unknown details section kind: "voluntry"`) || !strings.Contains(r.stderr, "A required details section is missing: voluntary") {
		t.Errorf("invalid: %+v", r)
	}
}

// Counter mode through the CLI: the status says to reset the locked PIN
// here (a test card); a reset without the staff's confirmation sends
// nothing; with it, the reset code and the new PIN from stdin reset the
// PIN; the history records the reset without the code or the PIN.
func TestCounterCLI(t *testing.T) {
	c := newWF(t)
	lockPIN(t, c, pin.Sign, "WRONG999")
	r := wf(t, c, "", false, "counter", "status", "--json")
	var v struct {
		View struct {
			Kind   string   `json:"kind"`
			Action string   `json:"action"`
			Locked []string `json:"locked"`
		} `json:"view"`
		Line string `json:"line"`
	}
	if json.Unmarshal([]byte(r.stdout), &v) != nil || v.View.Kind != "mynumber_card" || v.View.Action != "reset_here" || len(v.View.Locked) != 1 {
		t.Fatalf("status: %+v", r)
	}
	n := len(c.log)
	r = wf(t, c, vcardtest.ResetCode+"\nNEWPASS1\n", false, "counter", "reset", "sign", "--pin-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "did not confirm") {
		t.Fatalf("unconfirmed: %+v", r)
	}
	for _, a := range c.log[n:] {
		if a[1] == 0x2C && len(a) > 4 { // the data-less probe asks only whether the card takes a code
			t.Fatal("RESET RETRY COUNTER sent without confirmation")
		}
	}
	r = wf(t, c, "0000000X\nNEWPASS1\n", false, "counter", "reset", "sign", "--pin-stdin", "--staff-confirmed")
	if r.code != 1 || !strings.Contains(r.stderr, "Wrong reset code") {
		t.Fatalf("wrong code: %+v", r)
	}
	r = wf(t, c, vcardtest.ResetCode+"\nNEWPASS1\n", false, "counter", "reset", "sign", "--pin-stdin", "--staff-confirmed")
	if r.code != 0 || !strings.Contains(r.stdout, "was reset") {
		t.Fatalf("reset: %+v", r)
	}
	if c.card.State().Tries(pin.Sign) != 5 {
		t.Error("tries not restored")
	}
	// The new password signs.
	r = wf(t, c, "NEWPASS1\n", false, "consent", "sign", "../../backend/consent/testdata/example.json", "--decision", "agree", "--pin-stdin", "--accept-disclosure", "--out", filepath.Join(t.TempDir(), "c.p7m"))
	if r.code != 0 {
		t.Errorf("new password: %+v", r)
	}
	evs := events(t, history.KindPINReset)
	if len(evs) != 2 || evs[0].Outcome != "ok" || evs[1].Outcome != "reset_code_wrong" || evs[0].Data["pin_id"] != "sign" {
		t.Errorf("reset events: %+v", evs)
	}
	p, _ := history.Path()
	db, _ := os.ReadFile(p)
	for _, secret := range []string{vcardtest.ResetCode, "NEWPASS1", "0000000X"} {
		if bytes.Contains(db, []byte(secret)) {
			t.Errorf("the history holds %q", secret)
		}
	}
}

// shomei sign --application: a folder with a JSON and an XML document is
// summarised, then signed into one response; openssl and shomei verify
// accept it, Check matches the files, and the history records it.
func TestApplicationCLI(t *testing.T) {
	c := newWF(t)
	dir := t.TempDir()
	app := filepath.Join(dir, "転入届")
	os.MkdirAll(app, 0o755)
	os.WriteFile(filepath.Join(app, "form.json"), []byte(`{"手続":"転入届","世帯":{"人数":2}}`), 0o644)
	os.WriteFile(filepath.Join(app, "attach.xml"), []byte(`<添付><書類 種類="本人確認">運転免許証</書類></添付>`), 0o644)
	root := writeRoot(t, c)
	r := wf(t, c, "TEST1234\n", false, "sign", "--application", app, "--pin-stdin", "--accept-disclosure", "--json")
	if r.code != 0 {
		t.Fatalf("sign: %+v", r)
	}
	for _, s := range []string{"2 files will be signed", "手続: 転入届", "世帯.人数: 2", "添付/書類/@種類: 本人確認"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("summary lacks %q:\n%s", s, r.stderr)
		}
	}
	out := filepath.Join(dir, "転入届.response.p7m")
	var m application.Manifest
	if err := json.Unmarshal(opensslVerify(t, out, root), &m); err != nil || len(m.Files) != 2 || m.Files[0].Name != "転入届/attach.xml" {
		t.Fatalf("manifest: %v %+v", err, m)
	}
	shomeiVerifies(t, c, out, root)
	resp, _ := os.ReadFile(out)
	if _, _, err := application.Check(resp, func(name string) (io.ReadCloser, error) {
		return os.Open(filepath.Join(dir, filepath.FromSlash(name)))
	}); err != nil {
		t.Errorf("check: %v", err)
	}
	evs := events(t, history.KindSign)
	if len(evs) != 1 || evs[0].Data["format"] != "application-response" || evs[0].Outcome != "ok" {
		t.Errorf("history: %+v", evs)
	}
	// Broken JSON is refused before the card is asked anything.
	os.WriteFile(filepath.Join(app, "form.json"), []byte(`{"手続":`), 0o644)
	n := c.verifies()
	r = wf(t, c, "TEST1234\n", false, "sign", "--application", app, "--pin-stdin", "--accept-disclosure")
	if r.code != 1 || !strings.Contains(r.stderr, "form.json: Not well-formed JSON") || c.verifies() != n {
		t.Errorf("broken JSON: %+v", r)
	}
}
