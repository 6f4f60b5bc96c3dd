package uiservice_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// lock uses up a PIN's tries with wrong entries through the UI's own
// PIN-change call (the last one confirmed, as the screen makes the user do).
func lock(t *testing.T, f *fixture, id, wrong, next string) {
	t.Helper()
	for range 20 {
		st := f.status(t)
		g := guard(st, id)
		if g.TriesLeft == 0 {
			return
		}
		g.ConfirmLastTry = g.TriesLeft == 1
		err := f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: g, PIN: id, Current: uiservice.Secret(wrong), New: uiservice.Secret(next)})
		if c := apiErr(t, err).Code; c != "pin_wrong" && c != "pin_locked" {
			t.Fatalf("locking %s: %v", id, err)
		}
	}
	t.Fatalf("%s never locked", id)
}

func yes() *bool { v := true; return &v }
func no() *bool  { v := false; return &v }

func questionIDs(v *uiservice.AdviceView) []string {
	var out []string
	for _, q := range v.Questions {
		out = append(out, q.ID)
	}
	return out
}

// The advisor reads the status only (no try is used), asks only what
// matters for the card at hand, and gives no advice before every question
// is answered; the route follows the answers.
func TestAdvise(t *testing.T) {
	f := newFixture(t)
	// Nothing locked: only the "do you remember" questions.
	v, err := f.svc.Advise(uiservice.AdviseRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// Unanswered "remember" questions count as remembered for choosing the
	// others, so with nothing locked no phone question is asked yet.
	if got := strings.Join(questionIDs(v), " "); got != "remember.sign remember.auth remember.text remember.juki" {
		t.Errorf("questions with nothing locked: %s", got)
	}
	// Forgetting the auth PIN brings the phone questions (not the camera:
	// that is the signing password's face check).
	v, _ = f.svc.Advise(uiservice.AdviseRequest{Remembers: map[string]*bool{"auth": no()}})
	if got := strings.Join(questionIDs(v), " "); got != "remember.sign remember.auth remember.text remember.juki nfc_phone birth_date_printed" {
		t.Errorf("questions with the auth PIN forgotten: %s", got)
	}
	if v.Complete || v.Headline != "" {
		t.Errorf("advice before the answers: %+v", v)
	}
	all := map[string]*bool{"sign": yes(), "auth": yes(), "text": yes(), "juki": yes()}
	v, _ = f.svc.Advise(uiservice.AdviseRequest{Remembers: all})
	if !v.Complete || v.Route != "none" || v.Headline != "再設定が必要な暗証番号はありません。" {
		t.Errorf("nothing to do: %+v", v)
	}

	lock(t, f, "sign", "WRONG1", "NEWPASS1")
	before := f.status(t)
	v, err = f.svc.Advise(uiservice.AdviseRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(questionIDs(v), " "); got != "remember.auth remember.text remember.juki nfc_phone birth_date_printed camera clear_photo" {
		t.Errorf("questions with the signing password locked: %s", got)
	}
	if !slices.Equal(v.Locked, []string{"sign"}) || v.Complete || len(v.PINs) != 0 {
		t.Errorf("locked sign, no answers: %+v", v)
	}
	ok := uiservice.AdviseRequest{Remembers: map[string]*bool{"auth": yes(), "text": yes(), "juki": yes()}, NFCPhone: yes(), BirthDate: yes(), Camera: yes(), ClearPhoto: yes()}
	v, _ = f.svc.Advise(ok)
	if !v.Complete || v.Route != "app_kiosk" || len(v.PINs) != 1 || v.PINs[0].PIN != "sign" || len(v.PINs[0].Kiosks) != 9 {
		t.Fatalf("app and kiosk: %+v", v)
	}
	if !strings.Contains(strings.Join(v.Notes, "\n"), "24 時間以内") || !slices.Contains(v.Bring, "カード本体") {
		t.Errorf("notes %q bring %q", v.Notes, v.Bring)
	}
	// No NFC phone: the counter, with the reason.
	noNFC := ok
	noNFC.NFCPhone = no()
	v, _ = f.svc.Advise(noNFC)
	if v.Route != "counter" || len(v.PINs[0].Reasons) != 1 || !strings.Contains(v.PINs[0].Reasons[0], "NFC") {
		t.Errorf("no NFC phone: %+v", v)
	}
	// The auth PIN forgotten too: both need the counter (each resets the other in the app).
	forgot := ok
	forgot.Remembers = map[string]*bool{"auth": no(), "text": yes(), "juki": yes()}
	v, _ = f.svc.Advise(forgot)
	if v.Route != "counter" || len(v.PINs) != 2 {
		t.Errorf("both forgotten: %+v", v)
	}
	// English.
	if _, err := f.svc.SaveSettings(uiservice.Settings{Language: "en"}); err != nil {
		t.Fatal(err)
	}
	v, _ = f.svc.Advise(ok)
	if !strings.HasPrefix(v.Headline, "Book the reset") || v.PINs[0].Kiosks[0] != "Lawson (nationwide)" {
		t.Errorf("english: %+v", v)
	}
	// All of that used no try: the card's counters are as they were.
	after := f.status(t)
	for _, id := range []string{"sign", "auth", "text", "juki"} {
		if tries(after, id) != tries(before, id) {
			t.Errorf("%s: tries %d → %d", id, tries(before, id), tries(after, id))
		}
	}
}

// The card status carries each certificate's life: the warning 90 days
// ahead, the renewal window, and what ends the signing certificate.
func TestStatusLife(t *testing.T) {
	f := newFixture(t)
	st := f.status(t)
	if len(st.Life) != 1 || st.Life[0].Cert != "auth" || len(st.SignNotes) != 2 || !strings.Contains(st.SignNotes[1], "失効") {
		t.Fatalf("life before signing: %+v %q", st.Life, st.SignNotes)
	}
	exp := st.AuthCert.NotAfter
	// A service whose clock is 30 days before the expiry warns.
	g := newFixtureOn(t, f, exp.Add(-30*24*time.Hour))
	st = g.status(t)
	l := st.Life[0]
	if !l.Warn || l.Expired || !strings.Contains(l.Lines[0], "残り 30 日") && !strings.Contains(l.Lines[0], "残り 29 日") {
		t.Errorf("30 days before: %+v", l)
	}
	if !l.RenewableNow || !strings.Contains(l.Lines[1], "更新の手続きができる期間") {
		t.Errorf("renewal window: %q", l.Lines)
	}
	g = newFixtureOn(t, f, exp.Add(-200*24*time.Hour))
	l = g.status(t).Life[0]
	if l.Warn || l.RenewableNow || !strings.Contains(l.Lines[1], "3 か月前の翌日から") {
		t.Errorf("200 days before: %+v", l)
	}
	g = newFixtureOn(t, f, exp.Add(24*time.Hour))
	l = g.status(t).Life[0]
	if !l.Expired || !strings.Contains(l.Lines[0], "有効期限が切れました") || len(l.Lines) != 2 {
		t.Errorf("expired: %+v", l)
	}
}

// newWatchedFixture is newFixture with card events the test sends.
func newWatchedFixture(t *testing.T) (*fixture, chan<- pcsc.Event) {
	t.Helper()
	f := &fixture{card: vcardtest.New(t), rec: &recorder{}, log: &strings.Builder{}, dir: t.TempDir()}
	events := make(chan pcsc.Event)
	svc, err := uiservice.New(uiservice.Config{Cards: cardsvc.New(cardsvctest.Memory(f.card)), Platform: f.rec, DataDir: f.dir, Log: func(string, ...any) {},
		Watch: func(ctx context.Context) <-chan pcsc.Event {
			out := make(chan pcsc.Event)
			go func() {
				defer close(out)
				for {
					select {
					case <-ctx.Done():
						return
					case ev := <-events:
						out <- ev
					}
				}
			}()
			return out
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uiservice.Close(svc) })
	f.svc = svc
	return f, events
}

// count is how many recorded events start with prefix.
func (r *recorder) count(prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if strings.HasPrefix(e, prefix) {
			n++
		}
	}
	return n
}

// wait waits until at least n (default 1) events start with prefix.
func (r *recorder) wait(t *testing.T, prefix string, n ...int) {
	t.Helper()
	want := 1
	if len(n) > 0 {
		want = n[0]
	}
	for range 200 {
		if r.count(prefix) >= want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t.Fatalf("no event %q in %q", prefix, r.events)
}

// newFixtureOn is a second service over f's card whose clock says now.
func newFixtureOn(t *testing.T, f *fixture, now time.Time) *fixture {
	t.Helper()
	g := *f
	g.dir = t.TempDir()
	svc, err := uiservice.New(uiservice.Config{Cards: cardsvc.New(cardsvctest.Memory(f.card)), Platform: f.rec, DataDir: g.dir, Log: func(string, ...any) {}, Now: func() time.Time { return now },
		Watch: cardsvctest.NoEvents})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uiservice.Close(svc) })
	g.svc = svc
	return &g
}

// Counter mode: the view of the card, a reset refused without the staff's
// confirmation and with a wrong code (nothing changed), done with the
// right code and recorded without personal data; the desk clears on
// removal and for the next person, and a reset for a card no longer shown
// is refused.
func TestCounter(t *testing.T) {
	f, events := newWatchedFixture(t)
	lock(t, f, "auth", "9999", "1111")
	v := f.svc.CounterStatus("")
	if !v.Shown || v.Kind != "mynumber_card" || !v.ResetHere || v.Action != "reset_here" || !strings.Contains(v.Line, "利用者証明用") {
		t.Fatalf("view: %+v", v)
	}
	var auth uiservice.CounterPIN
	for _, p := range v.PINList {
		if p.ID == "auth" {
			auth = p
		}
	}
	if !auth.Locked || !auth.CanReset || auth.State != "ロック中" {
		t.Errorf("auth: %+v", auth)
	}
	req := func(confirmed bool, code, next string) uiservice.CounterResetRequest {
		return uiservice.CounterResetRequest{CardID: v.CardID, PIN: "auth", StaffConfirmed: confirmed, ResetCode: uiservice.Secret(code), New: uiservice.Secret(next)}
	}
	if _, err := f.svc.CounterReset(req(false, vcardtest.ResetCode, "4321")); apiErr(t, err).Code != "not_confirmed" {
		t.Errorf("unconfirmed: %v", err)
	}
	if _, err := f.svc.CounterReset(req(true, "1234567", "4321")); apiErr(t, err).Code != "reset_code_format" {
		t.Errorf("short code: %v", err)
	}
	if _, err := f.svc.CounterReset(req(true, vcardtest.ResetCode, "43210")); apiErr(t, err).Code != "pin_format" {
		t.Errorf("bad new PIN: %v", err)
	}
	_, err := f.svc.CounterReset(req(true, "11111111", "4321"))
	if e := apiErr(t, err); e.Code != "reset_code_wrong" || e.TriesLeft == nil || !strings.Contains(e.Message, "リセットコードが違います") {
		t.Errorf("wrong code: %+v", e)
	}
	if tries(f.status(t), "auth") != 0 {
		t.Error("a wrong code unlocked the PIN")
	}
	v2, err := f.svc.CounterReset(req(true, vcardtest.ResetCode, "4321"))
	if err != nil {
		t.Fatal(err)
	}
	if v2.Action == "reset_here" || tries(f.status(t), "auth") != 3 {
		t.Errorf("after the reset: %+v", v2)
	}
	// The new PIN works (it is the card's, not a display).
	st := f.status(t)
	if err := f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(st, "auth"), PIN: "auth", Current: uiservice.Secret("4321"), New: uiservice.Secret("1234")}); err != nil {
		t.Errorf("new PIN: %v", err)
	}
	// History: the reset and the wrong code, by PIN and outcome only.
	raw, _ := os.ReadFile(filepath.Join(f.dir, history.FileName))
	if len(raw) == 0 {
		t.Fatal("no history file")
	}
	// A four-digit PIN can turn up by chance inside a hex digest; one that leaked would
	// stand on its own, between characters that are not hex digits.
	for _, secret := range []string{vcardtest.ResetCode, "11111111", "4321"} {
		alone := regexp.MustCompile(`(^|[^0-9a-fA-F])` + secret + `([^0-9a-fA-F]|$)`)
		if bytes.Contains(raw, []byte(secret)) && (len(secret) >= 8 || alone.Match(raw)) {
			t.Errorf("the history holds %q", secret)
		}
	}
	page, err := f.svc.History(uiservice.HistoryQuery{Op: string(history.KindPINReset)})
	if err != nil || len(page.Records) != 2 || !page.Records[0].OK || page.Records[1].OK {
		t.Errorf("history %+v %v", page, err)
	}
	// In words, with nothing left of a format verb ("残り %d 回").
	if r := page.Records[1]; r.Result != "リセットコードが違いました。" {
		t.Errorf("the wrong reset code's row %+v", r)
	}

	// Card removed: cleared (with an event); a reset for it is refused.
	f.rec.mu.Lock()
	f.rec.events = nil
	f.rec.mu.Unlock()
	v = f.svc.CounterStatus("")
	events <- pcsc.Event{Kind: pcsc.CardRemoved, Reader: "another reader"} // not the desk's card
	events <- pcsc.Event{Kind: pcsc.CardRemoved, Reader: "memory"}
	f.rec.wait(t, `counter {"event":"cleared","reason":"card_removed"`)
	if _, err := f.svc.CounterReset(req(true, vcardtest.ResetCode, "4321")); apiErr(t, err).Code != "desk_no_card" {
		t.Errorf("reset after removal: %v", err)
	}
	events <- pcsc.Event{Kind: pcsc.CardRemoved, Reader: "memory"} // nothing shown: no second event
	f.rec.wait(t, `card {"kind":"card_removed","reader":"memory"}`, 2)
	if n := f.rec.count("counter "); n != 1 {
		t.Errorf("%d counter events: %q", n, f.rec.events)
	}
	// Next person: cleared too, and the signing certificate's holder seen
	// in this run is forgotten.
	f.svc.CounterStatus("")
	f.svc.CounterNext()
	f.rec.wait(t, `counter {"event":"cleared","reason":"next"`)
	// Another card shown than the one reset: refused before the card.
	f.svc.CounterStatus("")
	r := req(true, vcardtest.ResetCode, "4321")
	r.CardID = "another"
	if _, err := f.svc.CounterReset(r); apiErr(t, err).Code != "card_changed" {
		t.Errorf("other card: %v", err)
	}
}

func exampleConsent(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile("../../backend/consent/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "mirai.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// rootPool is the virtual card's test root.
func rootPool(t *testing.T, f *fixture) (*x509.CertPool, string) {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(f.card.State().Root())
	p := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(p, f.card.State().RootPEM(), 0o600)
	return pool, p
}

// opensslVerify checks a CMS file with openssl against the test root and
// returns the content it outputs.
func opensslVerify(t *testing.T, file, root string) []byte {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	out, err := exec.Command("openssl", "cms", "-verify", "-inform", "DER", "-in", file, "-CAfile", root, "-purpose", "any").Output()
	if err != nil {
		t.Fatalf("openssl cms -verify %s: %v", file, err)
	}
	return out
}

// Consent: the render model, a refusal that signs nothing, an agreement
// signed into a CMS file openssl verifies, a changed document refused, the
// withdrawal, and the list from the history.
func TestConsent(t *testing.T) {
	f := newFixture(t)
	docs := t.TempDir()
	doc := exampleConsent(t, docs)
	cd, err := f.svc.ConsentOpen(doc)
	if err != nil || !cd.Valid || cd.View == nil {
		t.Fatalf("open: %+v %v", cd, err)
	}
	if cd.View.Screen.Buttons[0].Label != "同意する" || cd.View.Screen.DetailsLink != "同意事項の詳細・補足説明" || len(cd.View.Details.Sections) != 12 || cd.View.Details.Sections[11].Number != 12 || cd.View.Details.Sections[11].Kind != "contact" {
		t.Errorf("render: %+v", cd.View.Screen)
	}
	// An invalid document comes back with every problem, in words.
	bad := filepath.Join(docs, "bad.json")
	os.WriteFile(bad, []byte(`{"format":"shomei-consent/1","title":"x"}`), 0o600)
	bd, err := f.svc.ConsentOpen(bad)
	if err != nil || bd.Valid || len(bd.Problems) < 5 || !strings.Contains(strings.Join(bd.Problems, "\n"), "要旨") {
		t.Errorf("invalid: %+v %v", bd, err)
	}
	st := f.status(t)
	// Refusal: no card, nothing written, recorded.
	res, err := f.svc.ConsentSign(uiservice.ConsentSignRequest{Ref: doc, DocumentSHA256: cd.DocumentSHA256, Decision: "disagree"})
	if err != nil || res.Signed || !strings.Contains(res.Message, "署名はしていません") {
		t.Errorf("refusal: %+v %v", res, err)
	}
	if ents, _ := os.ReadDir(docs); len(ents) != 2 {
		t.Errorf("a refusal wrote files: %v", ents)
	}
	// Agreement without the notice accepted, or with another document: refused, nothing sent.
	if _, err := f.svc.ConsentSign(uiservice.ConsentSignRequest{Guard: guard(st, "sign"), Ref: doc, DocumentSHA256: cd.DocumentSHA256, Decision: "agree", PIN: uiservice.Secret("TEST1234")}); apiErr(t, err).Code != "disclosure" {
		t.Errorf("no disclosure: %v", err)
	}
	if _, err := f.svc.ConsentSign(uiservice.ConsentSignRequest{Guard: guard(st, "sign"), Ref: doc, DocumentSHA256: strings.Repeat("0", 64), Decision: "agree", PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true}); apiErr(t, err).Code != "consent_changed" {
		t.Errorf("other document: %v", err)
	}
	// A wrong password costs one try and signs nothing.
	if _, err := f.svc.ConsentSign(uiservice.ConsentSignRequest{Guard: guard(st, "sign"), Ref: doc, DocumentSHA256: cd.DocumentSHA256, Decision: "agree", PIN: uiservice.Secret("WRONG1"), AcceptDisclosure: true}); apiErr(t, err).Code != "pin_wrong" {
		t.Errorf("wrong password: %v", err)
	}
	st = f.status(t)
	if tries(st, "sign") != 4 {
		t.Errorf("tries %d", tries(st, "sign"))
	}
	res, err = f.svc.ConsentSign(uiservice.ConsentSignRequest{Guard: guard(st, "sign"), Ref: doc, DocumentSHA256: cd.DocumentSHA256, Decision: "agree", PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
	if err != nil || !res.Signed || res.OutputName != "mirai.consent.p7m" || res.Validity == nil {
		t.Fatalf("agree: %+v %v", res, err)
	}
	_, root := rootPool(t, f)
	content := opensslVerify(t, res.Output, root)
	var stmt consent.Statement
	if err := json.Unmarshal(content, &stmt); err != nil || stmt.Decision != consent.Agree || stmt.DocumentSHA256 != cd.DocumentSHA256 {
		t.Errorf("statement %s: %v", content, err)
	}
	// Withdrawal.
	sc, err := f.svc.ConsentInspect(res.Output)
	if err != nil || sc.Service != "みらい損保 ご住所自動更新" || sc.ConsentSHA256 != res.ConsentSHA256 {
		t.Fatalf("inspect %+v %v", sc, err)
	}
	if _, err := f.svc.ConsentInspect(doc); apiErr(t, err).Code != "not_a_consent" {
		t.Errorf("inspect a document: %v", err)
	}
	st = f.status(t)
	wd, err := f.svc.ConsentWithdraw(uiservice.ConsentWithdrawRequest{Guard: guard(st, "sign"), Ref: res.Output, ConsentSHA256: sc.ConsentSHA256, PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
	if err != nil || wd.OutputName != "mirai.withdrawal.p7m" {
		t.Fatalf("withdraw %+v %v", wd, err)
	}
	var w consent.Withdrawal
	if err := json.Unmarshal(opensslVerify(t, wd.Output, root), &w); err != nil || w.ConsentSHA256 != res.ConsentSHA256 || w.Format != consent.WithdrawalFormat {
		t.Errorf("withdrawal %+v %v", w, err)
	}
	rows, err := f.svc.Consents()
	if err != nil || len(rows) != 2 {
		t.Fatalf("list %+v %v", rows, err)
	}
	if rows[0].Decision != "agree" || rows[0].WithdrawnOn == "" || rows[0].Ref != res.Output || !strings.Contains(rows[0].State, "取消し") {
		t.Errorf("agreed row %+v", rows[0])
	}
	if rows[1].Decision != "disagree" || rows[1].State != "署名なし" {
		t.Errorf("refused row %+v", rows[1])
	}
	raw, _ := os.ReadFile(filepath.Join(f.dir, history.FileName))
	for _, s := range []string{"TEST1234", "WRONG1", "419900401"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("history holds %q", s)
		}
	}
	// A second agreement to the same document gets a new file, never replaces.
	st = f.status(t)
	res2, err := f.svc.ConsentSign(uiservice.ConsentSignRequest{Guard: guard(st, "sign"), Ref: doc, DocumentSHA256: cd.DocumentSHA256, Decision: "agree", PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
	if err != nil || res2.OutputName != "mirai.consent-2.p7m" {
		t.Errorf("second: %+v %v", res2, err)
	}
}

// E-application: the summary, the signature into one response that
// openssl and application.Check accept, and a file changed after it was
// shown refused before the card is used.
func TestApplication(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	form := filepath.Join(dir, "form.json")
	os.WriteFile(form, []byte(`{"applicant":{"name":"署名 花子"},"items":[1,2]}`), 0o600)
	att := filepath.Join(dir, "attachment.xml")
	os.WriteFile(att, []byte(`<a><b c="1">text</b></a>`), 0o600)
	v, err := f.svc.ApplicationOpen([]string{form, att})
	if err != nil || len(v.Files) != 2 || v.Files[0].Name != "attachment.xml" || v.Digest == "" {
		t.Fatalf("open %+v %v", v, err)
	}
	if len(v.Files[1].Preview) == 0 || v.Files[1].Preview[0].Path != "applicant.name" || v.Files[1].Preview[0].Value != "署名 花子" {
		t.Errorf("preview %+v", v.Files[1].Preview)
	}
	badJSON := filepath.Join(dir, "broken.json")
	os.WriteFile(badJSON, []byte(`{"a":`), 0o600)
	if _, err := f.svc.ApplicationOpen([]string{badJSON}); apiErr(t, err).Code != "application_json" || !strings.HasPrefix(apiErr(t, err).Message, "broken.json: ") {
		t.Errorf("broken JSON: %v", err)
	}
	st := f.status(t)
	// Changed after it was shown: refused, no try used.
	os.WriteFile(att, []byte(`<a><b c="2">text</b></a>`), 0o600)
	_, err = f.svc.ApplicationSign(uiservice.ApplicationSignRequest{Guard: guard(st, "sign"), Files: []string{form, att}, Digest: v.Digest, PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
	if apiErr(t, err).Code != "application_changed" {
		t.Errorf("changed: %v", err)
	}
	if tries(f.status(t), "sign") != 5 {
		t.Error("a try was used")
	}
	v, _ = f.svc.ApplicationOpen([]string{form, att})
	// A wrong password: its history row says so, with the tries left.
	if _, err := f.svc.ApplicationSign(uiservice.ApplicationSignRequest{Guard: guard(st, "sign"), Files: []string{form, att}, Digest: v.Digest, PIN: uiservice.Secret("WRONG999"), AcceptDisclosure: true}); apiErr(t, err).Code != "pin_wrong" {
		t.Fatalf("wrong password: %v", err)
	}
	if page, _ := f.svc.History(uiservice.HistoryQuery{}); len(page.Records) != 1 || page.Records[0].Result != "暗証番号が違います。残り 4 回です。" {
		t.Errorf("history after a wrong password %+v", page.Records)
	}
	st = f.status(t)
	res, err := f.svc.ApplicationSign(uiservice.ApplicationSignRequest{Guard: guard(st, "sign"), Files: []string{form, att}, Digest: v.Digest, PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
	if err != nil || res.OutputName != "form.json.response.p7m" || res.Files != 2 {
		t.Fatalf("sign %+v %v", res, err)
	}
	_, root := rootPool(t, f)
	var m application.Manifest
	if err := json.Unmarshal(opensslVerify(t, res.Output, root), &m); err != nil || len(m.Files) != 2 || m.Format != application.Format {
		t.Errorf("manifest %+v %v", m, err)
	}
	b, _ := os.ReadFile(res.Output)
	if _, _, err := application.Check(b, func(name string) (io.ReadCloser, error) { return os.Open(filepath.Join(dir, name)) }); err != nil {
		t.Errorf("Check: %v", err)
	}
	s, err := cmsv.Parse(b)
	if err != nil || s.EContent == nil {
		t.Errorf("cms %v", err)
	}
	page, _ := f.svc.History(uiservice.HistoryQuery{Op: "sign"})
	if len(page.Records) != 2 || page.Records[0].Detail != "電子申請の応答ファイル → form.json.response.p7m テストカード" {
		t.Errorf("history %+v", page.Records)
	}
}
