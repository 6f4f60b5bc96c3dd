package uiservice_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// recorder is a Platform that keeps the events.
type recorder struct {
	mu     sync.Mutex
	events []string
	onEmit func(name string, data any)
}

func (r *recorder) Emit(name string, data any) {
	b, _ := json.Marshal(data)
	r.mu.Lock()
	r.events = append(r.events, name+" "+string(b))
	f := r.onEmit
	r.mu.Unlock()
	if f != nil {
		f(name, data)
	}
}
func (r *recorder) OpenFiles(string) ([]string, error) { return nil, uiservice.ErrUnsupported }
func (r *recorder) Reveal(string) error                { return uiservice.ErrUnsupported }

type fixture struct {
	svc  *uiservice.Service
	card *vcard.Card
	slot *cardsvctest.Slot // the card's reader: take it out with slot.Remove
	rec  *recorder
	log  *strings.Builder
	dir  string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{card: vcardtest.New(t), rec: &recorder{}, log: &strings.Builder{}, dir: t.TempDir()}
	f.slot = cardsvctest.NewSlot(f.card)
	var mu sync.Mutex
	svc, err := uiservice.New(uiservice.Config{
		Cards:    cardsvc.New(f.slot),
		Platform: f.rec,
		DataDir:  f.dir,
		Watch:    cardsvctest.NoEvents,
		Log: func(format string, args ...any) {
			mu.Lock()
			fmt.Fprintf(f.log, format+"\n", args...)
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uiservice.Close(svc) })
	f.svc = svc
	return f
}

func (f *fixture) status(t *testing.T) *uiservice.CardStatus {
	t.Helper()
	st, err := f.svc.Status("")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func tries(st *uiservice.CardStatus, id string) int {
	for _, p := range st.PINList {
		if p.ID == id {
			return p.TriesLeft
		}
	}
	return -1
}

func apiErr(t *testing.T, err error) *uiservice.Error {
	t.Helper()
	var e *uiservice.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want *uiservice.Error", err, err)
	}
	return e
}

func guard(st *uiservice.CardStatus, id string) uiservice.Guard {
	return uiservice.Guard{Reader: st.Reader, CardID: st.CardID, TriesLeft: tries(st, id)}
}

// Status lists the four PINs in display order with Japanese names and rules,
// marks the virtual card as a test card, and knows no signing certificate
// before anything was signed.
func TestStatus(t *testing.T) {
	f := newFixture(t)
	st := f.status(t)
	var ids []string
	for _, p := range st.PINList {
		ids = append(ids, fmt.Sprintf("%s:%d/%d", p.ID, p.TriesLeft, p.MaxTries))
	}
	if got := strings.Join(ids, " "); got != "sign:5/5 auth:3/3 text:3/3 juki:3/3" {
		t.Errorf("pins %s", got)
	}
	if !st.TestCard || st.SignCert != nil || st.AuthCert == nil {
		t.Errorf("status %+v", st)
	}
	if st.PINList[0].Name != "署名用電子証明書の暗証番号" || !strings.Contains(st.PINList[0].Rule, "6〜16") {
		t.Errorf("sign PIN view %+v", st.PINList[0])
	}
	b, _ := json.Marshal(st)
	for _, k := range []string{`"card_id"`, `"test_card":true`, `"pin_list"`, `"tries_left":5`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
}

// A wrong current PIN costs exactly one try and says how many are left; the
// status shown before it is then stale, and the guard refuses it without a
// try; a format error reaches nothing.
func TestChangePINGuard(t *testing.T) {
	f := newFixture(t)
	st := f.status(t)
	err := f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(st, "auth"), PIN: "auth", Current: uiservice.Secret("9999"), New: uiservice.Secret("1111")})
	e := apiErr(t, err)
	if e.Code != "pin_wrong" || e.TriesLeft == nil || *e.TriesLeft != 2 || !strings.Contains(e.Message, "残り 2 回") {
		t.Fatalf("wrong PIN: %+v", e)
	}
	if n := tries(f.status(t), "auth"); n != 2 {
		t.Fatalf("tries after one wrong PIN: %d", n)
	}
	err = f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(st, "auth"), PIN: "auth", Current: uiservice.Secret("1234"), New: uiservice.Secret("1111")})
	if e := apiErr(t, err); e.Code != "pin_state_changed" {
		t.Fatalf("stale guard: %+v", e)
	}
	err = f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(f.status(t), "auth"), PIN: "auth", Current: uiservice.Secret("12a4"), New: uiservice.Secret("1111")})
	if e := apiErr(t, err); e.Code != "pin_format" {
		t.Fatalf("format: %+v", e)
	}
	if n := tries(f.status(t), "auth"); n != 2 {
		t.Fatalf("tries after refusals: %d", n)
	}
	// The right PIN, with the state just shown, changes it.
	if err := f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(f.status(t), "auth"), PIN: "auth", Current: uiservice.Secret("1234"), New: uiservice.Secret("4321")}); err != nil {
		t.Fatal(err)
	}
	if n := tries(f.status(t), "auth"); n != 3 {
		t.Fatalf("tries after a good PIN: %d", n)
	}
	if strings.Contains(f.log.String(), "1234") || strings.Contains(f.log.String(), "9999") {
		t.Errorf("a PIN reached the log:\n%s", f.log)
	}
}

// At the last try the PIN is refused unless the request confirms it.
func TestLastTryNeedsConfirmation(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 2; i++ {
		f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(f.status(t), "text"), PIN: "text", Current: uiservice.Secret("0000"), New: uiservice.Secret("1111")})
	}
	st := f.status(t)
	if tries(st, "text") != 1 {
		t.Fatalf("tries %d", tries(st, "text"))
	}
	err := f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(st, "text"), PIN: "text", Current: uiservice.Secret("1234"), New: uiservice.Secret("1111")})
	if e := apiErr(t, err); e.Code != "pin_last_try" {
		t.Fatalf("unconfirmed last try: %+v", e)
	}
	g := guard(st, "text")
	g.ConfirmLastTry = true
	if err := f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: g, PIN: "text", Current: uiservice.Secret("1234"), New: uiservice.Secret("1111")}); err != nil {
		t.Fatal(err)
	}
}

// A PIN never prints or marshals.
func TestSecretRedacted(t *testing.T) {
	req := uiservice.SignRequest{PIN: uiservice.Secret("TEST1234")}
	b, _ := json.Marshal(req)
	s := fmt.Sprintf("%v %+v %#v %s", req, req, req, b)
	if strings.Contains(s, "TEST1234") {
		t.Errorf("PIN printed: %s", s)
	}
	var back uiservice.SignRequest
	if err := json.Unmarshal([]byte(`{"pin":"test1234"}`), &back); err != nil || string(back.PIN) != "test1234" {
		t.Errorf("unmarshal: %v %q", err, back.PIN)
	}
}

func makePDFs(t *testing.T, dir string, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("doc%02d.pdf", i))
		pdftest.Minimal(t, p, 2, false)
		out = append(out, p)
	}
	return out
}

// Signing a batch: one VERIFY, every file signed with a visible stamp,
// progress events for each file, and the signing certificate's holder
// known to the card screen afterwards.
func TestSign(t *testing.T) {
	f := newFixture(t)
	files := makePDFs(t, t.TempDir(), 3)
	txt := filepath.Join(filepath.Dir(files[0]), "note.txt")
	os.WriteFile(txt, []byte("hello"), 0o644)
	files = append(files, txt)
	st := f.status(t)
	res, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(st, "sign"), Job: "j1", PIN: uiservice.Secret("test1234"), AcceptDisclosure: true,
		Files: files, Visible: &uiservice.Stamp{Page: 2, X: 50, Y: 60, W: 180, H: 50}, Reason: "承認"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Signed != 4 || res.Total != 4 {
		t.Fatalf("result %+v", res)
	}
	for _, r := range res.Results[:3] {
		if !r.OK || r.Format != "pades-b-b" || !strings.HasSuffix(r.Output, ".signed.pdf") {
			t.Errorf("pdf result %+v", r)
		}
		if _, err := os.Stat(r.Output); err != nil {
			t.Error(err)
		}
	}
	if r := res.Results[3]; !r.OK || r.OutputName != "note.txt.p7s" {
		t.Errorf("cms result %+v", r)
	}
	f.rec.mu.Lock()
	var progress int
	for _, e := range f.rec.events {
		if strings.HasPrefix(e, uiservice.EventProgress+" ") && strings.Contains(e, `"job":"j1"`) {
			progress++
		}
	}
	f.rec.mu.Unlock()
	if progress != 8 { // a start and a result per file
		t.Errorf("progress events %d", progress)
	}
	after := f.status(t)
	if tries(after, "sign") != 5 || after.SignCert == nil || after.SignCert.Holder == "" || after.SignCert.DaysLeft < 100 {
		t.Errorf("after signing: tries %d cert %+v", tries(after, "sign"), after.SignCert)
	}
	// The same batch again: outputs exist, so the batch is refused before
	// the card (no try, no history row), and each file says why.
	before, _ := f.svc.History(uiservice.HistoryQuery{})
	res, err = f.svc.Sign(uiservice.SignRequest{Guard: guard(after, "sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files[:2]})
	if err != nil || res.Signed != 0 || len(res.Results) != 2 || res.Results[0].Code != "output_exists" || res.Results[0].Message == "" ||
		res.Results[1].Code != "output_exists" {
		t.Errorf("second run: %v %+v", err, res)
	}
	if tries(f.status(t), "sign") != 5 {
		t.Error("a refused batch used a try")
	}
	// The history table tells what happened in the UI's words: no CLI
	// flag, no raw code, no format acronym.
	page, err := f.svc.History(uiservice.HistoryQuery{})
	if err != nil || len(page.Records) == 0 {
		t.Fatalf("history %v", err)
	}
	if page.Records[0].Seq != before.Records[0].Seq {
		t.Errorf("a refused batch was recorded: %+v", page.Records[0])
	}
	for _, r := range page.Records {
		if row := r.Result + " " + r.Detail; strings.Contains(row, "--") || strings.Contains(row, "PADES") || strings.Contains(row, "CMS") || strings.Contains(row, "B-B") {
			t.Errorf("history row %q", row)
		}
	}
	if strings.Contains(strings.ToUpper(f.log.String()), "TEST1234") {
		t.Errorf("the PIN reached the log:\n%s", f.log)
	}
}

// Without the disclosure accepted, or with a wrong password, nothing is
// signed; the wrong password costs exactly one try.
func TestSignRefusals(t *testing.T) {
	f := newFixture(t)
	files := makePDFs(t, t.TempDir(), 1)
	st := f.status(t)
	_, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(st, "sign"), PIN: uiservice.Secret("TEST1234"), Files: files})
	if e := apiErr(t, err); e.Code != "disclosure" {
		t.Fatalf("no disclosure: %+v", e)
	}
	_, err = f.svc.Sign(uiservice.SignRequest{Guard: guard(st, "sign"), PIN: uiservice.Secret("WRONG99"), AcceptDisclosure: true, Files: files})
	if e := apiErr(t, err); e.Code != "pin_wrong" || *e.TriesLeft != 4 {
		t.Fatalf("wrong password: %+v", e)
	}
	if n := tries(f.status(t), "sign"); n != 4 {
		t.Fatalf("tries %d", n)
	}
	if _, err := os.Stat(strings.TrimSuffix(files[0], ".pdf") + ".signed.pdf"); err == nil {
		t.Error("an output was written")
	}
	_, err = f.svc.Sign(uiservice.SignRequest{Guard: guard(f.status(t), "sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: []string{"relative.pdf"}})
	if e := apiErr(t, err); e.Code != "file_missing" {
		t.Fatalf("missing file: %+v", e)
	}
	_, err = f.svc.Sign(uiservice.SignRequest{Guard: guard(f.status(t), "sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files, Level: "b-t"})
	if e := apiErr(t, err); e.Code != "tsa_missing" {
		t.Fatalf("b-t without TSA: %+v", e)
	}
	if n := tries(f.status(t), "sign"); n != 4 {
		t.Fatalf("tries after refusals %d", n)
	}
}

// CancelSign stops a batch after the document at hand.
func TestCancel(t *testing.T) {
	f := newFixture(t)
	files := makePDFs(t, t.TempDir(), 5)
	f.rec.onEmit = func(name string, data any) {
		if p, ok := data.(uiservice.Progress); ok && p.Result != nil && p.Done == 2 {
			f.svc.CancelSign("c1")
		}
	}
	res, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(f.status(t), "sign"), Job: "c1", PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	if res.Signed != 2 || res.Results[2].Code != "cancelled" || res.Results[4].Code != "cancelled" {
		t.Errorf("cancelled batch %+v", res)
	}
}

// Settings persist across service restarts; bad values are refused.
func TestSettings(t *testing.T) {
	f := newFixture(t)
	if got := f.svc.Settings(); got.Language != "ja" {
		t.Errorf("default language %q", got.Language)
	}
	if _, err := f.svc.SaveSettings(uiservice.Settings{Language: "en", TSA: "ftp://x"}); apiErr(t, err).Code != "tsa_url" {
		t.Errorf("bad TSA accepted")
	}
	if _, err := f.svc.SaveSettings(uiservice.Settings{Language: "en", TSA: "http://127.0.0.1:9/tsa"}); err != nil {
		t.Fatal(err)
	}
	svc2, err := uiservice.New(uiservice.Config{Cards: cardsvc.New(cardsvctest.Memory(f.card)), DataDir: f.dir, Watch: func(ctx context.Context) <-chan pcsc.Event { return make(chan pcsc.Event) }})
	if err != nil {
		t.Fatal(err)
	}
	defer uiservice.Close(svc2)
	if got := svc2.Settings(); got.Language != "en" || got.TSA == "" {
		t.Errorf("reloaded %+v", got)
	}
	if st, _ := svc2.Status(""); st.PINList[0].Name != "Signing password" {
		t.Errorf("English names: %+v", st.PINList[0])
	}
}

// After signing: the history holds each document and the batch, its chain
// verifies; the signed PDF verifies as not chained until the virtual card's
// test root is taken from the card (then PASSED, anchor flagged TEST); a PDF
// signed twice shows its first signature covering an earlier revision, which
// ExtractRevision gives back byte for byte; an export writes the events.
func TestVerifyHistoryTrust(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	files := makePDFs(t, dir, 2)
	res, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(f.status(t), "sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files})
	if err != nil || res.Signed != 2 {
		t.Fatalf("sign: %v %+v", err, res)
	}
	page, err := f.svc.History(uiservice.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range page.Records {
		kinds = append(kinds, r.Kind)
	}
	if got := strings.Join(kinds, " "); got != "sign_batch sign sign" || !page.ChainOK || page.Records[1].Op != "署名" || page.Records[1].Detail != "PDF 署名 → doc01.signed.pdf テストカード" {
		t.Fatalf("history %s %+v", got, page)
	}

	signed := res.Results[0].Output
	reps, err := f.svc.Verify(uiservice.VerifyRequest{Files: []string{signed}})
	if err != nil {
		t.Fatal(err)
	}
	if s := reps[0].Signatures[0]; s.Indication != "INDETERMINATE" || s.Subindication != "NO_CERTIFICATE_CHAIN_FOUND" || !s.Intact {
		t.Fatalf("untrusted verdict %+v", s)
	}
	// The one rule of every shell: a card's test root is not taken from
	// the card; the person adds it as a file.
	if _, err := f.svc.AddCardRoots(""); apiErr(t, err).Code != "no_roots" {
		t.Fatalf("test root from the card: %v", err)
	}
	rootFile := filepath.Join(t.TempDir(), "test-root.pem")
	os.WriteFile(rootFile, vcardtest.State(t).RootPEM(), 0o644)
	as, err := f.svc.AddAnchor(rootFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || !as[0].Test || as[0].Source != "user" {
		t.Fatalf("anchors %+v", as)
	}
	// Sign the signed file again: two revisions.
	again, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(f.status(t), "sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: []string{signed}, Visible: &uiservice.Stamp{Page: 1, X: 10, Y: 10, W: 150, H: 40}})
	if err != nil || again.Signed != 1 {
		t.Fatalf("second signature: %v %+v", err, again)
	}
	reps, err = f.svc.Verify(uiservice.VerifyRequest{Files: []string{again.Results[0].Output}})
	if err != nil {
		t.Fatal(err)
	}
	sigs := reps[0].Signatures
	if len(sigs) != 2 || sigs[0].Indication != "PASSED" || sigs[1].Indication != "PASSED" || sigs[0].CoversWholeFile || !sigs[1].CoversWholeFile || sigs[0].TrustAnchor == nil || !sigs[0].TrustAnchor.Test {
		b, _ := json.MarshalIndent(sigs, "", " ")
		t.Fatalf("two signatures:\n%s", b)
	}
	// The first signature's pages were drawn and compared, the new stamp
	// left out; the side-by-side pictures of page 1 differ by the stamp.
	if rd := sigs[0].Rendering; rd == nil || rd.Status != "same" || rd.Pages != 2 || rd.Masked != 1 {
		t.Fatalf("rendering comparison: %+v", sigs[0].Rendering)
	}
	pics, err := f.svc.ComparePage(uiservice.CompareRequest{Ref: again.Results[0].Output, Index: 1, Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pics.Signed, "data:image/png;base64,") || !strings.HasPrefix(pics.Now, "data:image/png;base64,") || pics.Signed == pics.Now {
		t.Fatalf("pictures: %d / %d bytes, equal %v", len(pics.Signed), len(pics.Now), pics.Signed == pics.Now)
	}
	if pics, err := f.svc.ComparePage(uiservice.CompareRequest{Ref: again.Results[0].Output, Index: 1, Page: 3}); err != nil || pics.Signed != "" || pics.Now != "" {
		t.Fatalf("a page neither version has: %v %+v", err, pics)
	}
	if _, err := f.svc.ComparePage(uiservice.CompareRequest{Ref: again.Results[0].Output, Index: 3, Page: 1}); err == nil {
		t.Fatal("a signature the file does not have")
	}
	if _, err := os.Stat(filepath.Join(f.dir, "cache", "pdfium")); err != nil {
		t.Fatalf("the engine's compiled module is not cached in the data folder: %v", err)
	}
	x, err := f.svc.ExtractRevision(uiservice.ExtractRequest{Ref: again.Results[0].Output, Index: 1})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(signed)
	got, _ := os.ReadFile(x.Ref)
	if string(want) != string(got) || !strings.HasSuffix(x.Name, ".signed-rev-1.pdf") {
		t.Errorf("extracted %s: %d bytes, want the first signed file's %d", x.Name, len(got), len(want))
	}
	page, _ = f.svc.History(uiservice.HistoryQuery{Op: "verify"})
	if len(page.Records) != 2 || page.Records[0].Kind != "verify" || !page.Records[0].OK || page.Records[1].OK {
		t.Errorf("verify history %+v", page.Records)
	}
	// A detached signature is verified with its data found by name.
	txt := filepath.Join(dir, "note.txt")
	os.WriteFile(txt, []byte("hello"), 0o644)
	cms, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(f.status(t), "sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: []string{txt}})
	if err != nil || cms.Signed != 1 {
		t.Fatal(err, cms)
	}
	reps, err = f.svc.Verify(uiservice.VerifyRequest{Files: []string{txt, cms.Results[0].Output}})
	if err != nil || len(reps) != 1 || reps[0].Signatures[0].Indication != "PASSED" {
		t.Fatalf("detached: %v %+v", err, reps)
	}
	t.Setenv("HOME", t.TempDir())
	exp, err := f.svc.ExportHistory(uiservice.ExportRequest{Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(exp.Ref)
	if !strings.HasPrefix(strings.TrimPrefix(string(b), "\ufeff"), "seq,time,kind") || strings.Count(string(b), "\n") < 8 || strings.Contains(string(b), "TEST1234") {
		t.Errorf("export %s:\n%s", exp.Name, b)
	}
	if _, err := f.svc.RemoveAnchor(as[0].ID); err != nil {
		t.Fatal(err)
	}
	if as, _ := f.svc.Anchors(); len(as) != 0 {
		t.Errorf("anchors after remove %+v", as)
	}
}

// A wrong PIN change is recorded with the tries left; a refusal that never
// reached the card is not.
func TestPINHistory(t *testing.T) {
	f := newFixture(t)
	st := f.status(t)
	f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(st, "auth"), PIN: "auth", Current: uiservice.Secret("9999"), New: uiservice.Secret("1111")})
	f.svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(st, "auth"), PIN: "auth", Current: uiservice.Secret("1234"), New: uiservice.Secret("1111")}) // stale
	page, err := f.svc.History(uiservice.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 1 || page.Records[0].Kind != "pin_change" || page.Records[0].OK || !strings.Contains(page.Records[0].Result, "2") {
		t.Errorf("history %+v", page.Records)
	}
}

// widgets lists the visible signature widgets of a PDF as "page-object rect".
func widgets(t *testing.T, path string) []string {
	t.Helper()
	objs := pdftest.Objects(t, path)
	var out []string
	for _, o := range objs {
		if o["/Subtype"] != "/Widget" {
			continue
		}
		r, _ := o["/Rect"].([]any)
		if len(r) != 4 || r[2] == r[0] {
			continue // an invisible signature's empty rectangle
		}
		out = append(out, fmt.Sprintf("%v %v", o["/P"], r))
	}
	return out
}

// A stamp belongs to the document it was placed on: in a batch of a
// 3-page PDF stamped on page 3, a 1-page and a 2-page PDF, the stamp goes
// on the first one only and the others are signed invisibly (before, the
// one batch-wide stamp sent page 3 to every PDF, which failed after the
// password was accepted). A stamp naming a file outside the batch is
// refused before the card is touched.
func TestSignStampsPerDocument(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not installed (make setup installs it)")
	}
	f := newFixture(t)
	dir := t.TempDir()
	var files []string
	for i, pages := range []int{3, 1, 2} {
		p := filepath.Join(dir, fmt.Sprintf("doc%d.pdf", i))
		pdftest.Minimal(t, p, pages, false)
		files = append(files, p)
	}
	st := f.status(t)
	_, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(st, "sign"), PIN: uiservice.Secret("WRONG123"), AcceptDisclosure: true,
		Files: files[1:], Stamps: map[string]*uiservice.Stamp{files[0]: {Page: 3, X: 50, Y: 60, W: 180, H: 54}}})
	if e := apiErr(t, err); e.Code != "bad_request" {
		t.Fatalf("a stamp for a file outside the batch: %+v", e)
	}
	if n := tries(f.status(t), "sign"); n != 5 {
		t.Fatalf("the refused request reached the card: %d tries left", n)
	}
	res, err := f.svc.Sign(uiservice.SignRequest{Guard: guard(st, "sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true,
		Files: files, Stamps: map[string]*uiservice.Stamp{files[0]: {Page: 3, X: 50, Y: 60, W: 180, H: 54}}})
	if err != nil || res.Signed != 3 {
		t.Fatalf("batch: %v %+v", err, res)
	}
	// On the third page of the stamped document, where it was placed.
	var kids []any
	for _, o := range pdftest.Objects(t, res.Results[0].Output) {
		if o["/Type"] == "/Pages" {
			kids, _ = o["/Kids"].([]any)
		}
	}
	if len(kids) != 3 {
		t.Fatalf("page tree kids %v", kids)
	}
	if w := widgets(t, res.Results[0].Output); len(w) != 1 || w[0] != fmt.Sprintf("%v [50 60 230 114]", kids[2]) {
		t.Errorf("stamped document's widgets: %q (pages %v)", w, kids)
	}
	for _, r := range res.Results[1:] {
		if w := widgets(t, r.Output); len(w) != 0 {
			t.Errorf("%s got a stamp it was never given: %q", r.Name, w)
		}
	}
}

// The screens' PIN policy comes from cardio/pin; the frontend's test
// fixture is checked against it.
func TestPINPolicy(t *testing.T) {
	f := newFixture(t)
	got := f.svc.PINPolicy()
	if len(got) != 4 || got["sign"].MinLen != 6 || got["sign"].MaxLen != 16 || got["sign"].Digits || !got["auth"].Digits || got["auth"].MaxTries != 3 || got["sign"].Rule == "" {
		t.Fatalf("policy %+v", got)
	}
	raw, err := os.ReadFile("../../frontend/tests/pinpolicy.json")
	if err != nil {
		t.Fatal(err)
	}
	var fixture map[string]uiservice.PINSpec
	if err := json.Unmarshal(raw, &fixture); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fixture, got) {
		t.Errorf("frontend/tests/pinpolicy.json %+v, backend %+v", fixture, got)
	}
}
