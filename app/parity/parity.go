// Package parity holds what the parity tests share (app/parity on
// in-memory cards, integration/parity_test.go through pcscd): the inputs,
// the flows' steps through the command line and through the UI service,
// and the history events with what legitimately differs between two runs
// taken out. Each flow must end with the same outcome, the same error code
// and the same history events, field for field, whichever shell ran it.
package parity

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/pin"
)

// Fixture is one shell's copy of the inputs, in Dir.
type Fixture struct {
	Dir     string
	Sign    []string // a PDF, a text, a binary
	Consent string   // a consent document (shomei-consent/1)
	App     []string // an e-application's files
	Egov    string   // an e-Gov application folder
}

// repo is the repository's root (this file is app/parity/parity.go).
func repo() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Inputs writes the inputs into dir.
func Inputs(t *testing.T, dir string) Fixture {
	t.Helper()
	fx := Fixture{Dir: dir}
	pdftest.Minimal(t, filepath.Join(dir, "申請書.pdf"), 2, false)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fx.Sign = []string{filepath.Join(dir, "申請書.pdf"), write("添付.txt", []byte("添付資料")), write("図面.bin", []byte(strings.Repeat("図面", 4096)))}
	raw, err := os.ReadFile(filepath.Join(repo(), "backend", "consent", "testdata", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	fx.Consent = write("同意.json", raw)
	fx.App = []string{write("申請.json", []byte(`{"申請者":"山田","件数":2}`)), write("添付書類.txt", []byte("添付"))}
	fx.Egov = filepath.Join(dir, "app")
	src := filepath.Join(repo(), "backend", "egov", "testdata", "app")
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(fx.Egov, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(fx.Egov, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

// Step is one command line: what standard input gives, the arguments.
type Step struct {
	Stdin string
	Args  []string
}

// Want is every step's outcome, in order: "ok" or the error code.
var Want = []string{"ok", "batch_refused", "pin_wrong", "pin_wrong", "ok", "pin_wrong", "ok", "ok", "ok", "ok", "ok"}

// CLISteps are the flows through the command line (reader: --reader, or
// none).
func CLISteps(fx Fixture, reader string) []Step {
	r := []string{}
	if reader != "" {
		r = []string{"--reader", reader}
	}
	sign := func(p string, extra ...string) Step {
		return Step{p + "\n", append(append([]string{"sign", "--json", "--pin-stdin", "--accept-disclosure"}, r...), extra...)}
	}
	consent := func(p, sub string, extra ...string) Step {
		return Step{p + "\n", append(append([]string{"consent", sub, "--json", "--pin-stdin", "--accept-disclosure"}, r...), extra...)}
	}
	signed := strings.TrimSuffix(fx.Consent, ".json") + ".consent.p7m"
	return []Step{
		sign("TEST1234", fx.Sign...),
		sign("TEST1234", fx.Sign[0]), // the output exists now: refused before the card
		sign("WRONG999", "--overwrite", fx.Sign[1]),
		{"9999\n5678\n", append([]string{"pin", "change", "auth", "--json", "--pin-stdin"}, r...)},
		{"1234\n5678\n", append([]string{"pin", "change", "auth", "--json", "--pin-stdin"}, r...)},
		consent("WRONG999", "sign", "--decision", "agree", fx.Consent),
		consent("TEST1234", "sign", "--decision", "agree", fx.Consent),
		consent("TEST1234", "withdraw", signed),
		consent("", "sign", "--decision", "disagree", fx.Consent),
		sign("TEST1234", append([]string{"--application", fx.App[0]}, fx.App[1:]...)...),
		sign("TEST1234", "--egov", fx.Egov, "--out", filepath.Join(fx.Dir, "app.signed")),
	}
}

// Code is the error code of a UI service call ("ok" for none).
func Code(err error) string {
	var e *uiservice.Error
	switch {
	case errors.As(err, &e):
		return e.Code
	case err != nil:
		return "internal: " + err.Error()
	}
	return "ok"
}

// UISteps are the same flows through the UI service, answered as the
// screens answer; the outputs go to ~/ (HOME is fx.Dir, as the e-Gov
// screen writes to the home folder).
func UISteps(t *testing.T, svc *uiservice.Service, reader string, fx Fixture) []string {
	t.Helper()
	t.Setenv("HOME", fx.Dir)
	guard := func(id pin.ID) uiservice.Guard {
		st, err := svc.Status(reader)
		if err != nil {
			t.Fatal(err)
		}
		return uiservice.Guard{Reader: reader, CardID: st.CardID, TriesLeft: st.PINs[id].TriesLeft}
	}
	sign := func(p string, files []string, overwrite bool) string {
		res, err := svc.Sign(uiservice.SignRequest{Guard: guard(pin.Sign), PIN: uiservice.Secret(p), AcceptDisclosure: true, Files: files, Overwrite: overwrite})
		if err == nil && res.Signed != res.Total {
			return "batch_refused"
		}
		return Code(err)
	}
	change := func(cur string) string {
		return Code(svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(pin.Auth), PIN: "auth", Current: uiservice.Secret(cur), New: uiservice.Secret("5678")}))
	}
	doc, err := svc.ConsentOpen(fx.Consent)
	if err != nil || !doc.Valid {
		t.Fatalf("consent: %v %+v", err, doc)
	}
	decide := func(p, d string) string {
		_, err := svc.ConsentSign(uiservice.ConsentSignRequest{Guard: guard(pin.Sign), Ref: fx.Consent, DocumentSHA256: doc.DocumentSHA256, Decision: d,
			PIN: uiservice.Secret(p), AcceptDisclosure: true})
		return Code(err)
	}
	withdraw := func() string {
		ref := strings.TrimSuffix(fx.Consent, ".json") + ".consent.p7m"
		c, err := svc.ConsentInspect(ref)
		if err != nil {
			return Code(err)
		}
		_, err = svc.ConsentWithdraw(uiservice.ConsentWithdrawRequest{Guard: guard(pin.Sign), Ref: ref, ConsentSHA256: c.ConsentSHA256,
			PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
		return Code(err)
	}
	app := func() string {
		v, err := svc.ApplicationOpen(fx.App)
		if err != nil {
			return Code(err)
		}
		_, err = svc.ApplicationSign(uiservice.ApplicationSignRequest{Guard: guard(pin.Sign), Files: fx.App, Digest: v.Digest,
			PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
		return Code(err)
	}
	egov := func() string {
		ref := filepath.Join(fx.Egov, "kousei.xml")
		v, err := svc.EgovOpen(ref)
		if err != nil {
			return Code(err)
		}
		_, err = svc.EgovSign(uiservice.EgovSignRequest{Guard: guard(pin.Sign), Ref: ref, Digest: v.Digest, PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
		return Code(err)
	}
	return []string{
		sign("TEST1234", fx.Sign, false),
		sign("TEST1234", fx.Sign[:1], false),
		sign("WRONG999", fx.Sign[1:2], true),
		change("9999"),
		change("1234"),
		decide("WRONG999", "agree"),
		decide("TEST1234", "agree"),
		withdraw(),
		decide("", "disagree"),
		app(),
		egov(),
	}
}

// NopPlatform is a shell without events or dialogs.
type NopPlatform struct{}

func (NopPlatform) Emit(string, any)                   {}
func (NopPlatform) OpenFiles(string) ([]string, error) { return nil, uiservice.ErrUnsupported }
func (NopPlatform) Reveal(string) error                { return uiservice.ErrUnsupported }

// Service is the desktop UI service (the person's own files) over cards,
// with its data in dataDir and no card events.
func Service(t *testing.T, cards *cardsvc.Service, dataDir string) *uiservice.Service {
	t.Helper()
	svc, err := uiservice.New(uiservice.Config{Cards: cards, Platform: NopPlatform{}, Files: uiservice.LocalFiles{},
		DataDir: dataDir, Mode: "desktop", Log: func(string, ...any) {},
		Watch: cardsvctest.NoEvents})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uiservice.Close(svc) })
	return svc
}

// Events reads the history at path, oldest first, with what legitimately
// differs between two runs taken out: sequence, time, chain, interface,
// the reader's name, the folder the files were in, and digests of outputs
// that hold a signing time (kept as present or not).
func Events(t *testing.T, path, dir string) []map[string]any {
	t.Helper()
	st, err := history.Open(path, history.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("history %s: %v", path, err)
	}
	defer st.Close()
	page, err := st.List(history.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for i := len(page.Events) - 1; i >= 0; i-- {
		ev := page.Events[i]
		data := map[string]any{}
		for k, v := range ev.Data {
			switch {
			case k == "output_sha256", k == "consent_sha256", k == "withdrawal_sha256", k == "kousei_sha256",
				k == "decided_at", k == "withdrawn_at":
				v = v != ""
			case k == "path" || strings.HasSuffix(k, "_path"):
				v = strings.TrimPrefix(v.(string), dir)
			case k == "reader":
				v = "reader"
			}
			data[k] = v
		}
		b, _ := json.Marshal(data)
		var norm map[string]any
		json.Unmarshal(b, &norm)
		out = append(out, map[string]any{"kind": ev.Kind, "outcome": ev.Outcome, "app": ev.App, "data": norm})
	}
	return out
}

// Compare asserts the same outcomes (each as want) and the same events,
// field for field.
func Compare(t *testing.T, want, cli, ui []string, cliEvents, uiEvents []map[string]any) {
	t.Helper()
	if !reflect.DeepEqual(cli, want) || !reflect.DeepEqual(ui, want) {
		t.Errorf("outcomes:\ncli  %v\nui   %v\nwant %v", cli, ui, want)
	}
	if len(cliEvents) < len(want) || len(cliEvents) != len(uiEvents) {
		t.Fatalf("%d events from the CLI, %d from the UI:\ncli %v\nui  %v", len(cliEvents), len(uiEvents), cliEvents, uiEvents)
	}
	var kinds []string
	for i := range cliEvents {
		kinds = append(kinds, cliEvents[i]["kind"].(string)+"/"+cliEvents[i]["outcome"].(string))
		if !reflect.DeepEqual(cliEvents[i], uiEvents[i]) {
			a, _ := json.Marshal(cliEvents[i])
			b, _ := json.Marshal(uiEvents[i])
			t.Errorf("event %d differs:\ncli %s\nui  %s", i, a, b)
		}
	}
	t.Logf("%d events compared, field for field: %v", len(cliEvents), kinds)
}
