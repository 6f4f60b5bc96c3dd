package integration

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/errs"
)

type nopPlatform struct{}

func (nopPlatform) Emit(string, any)                   {}
func (nopPlatform) OpenFiles(string) ([]string, error) { return nil, uiservice.ErrUnsupported }
func (nopPlatform) Reveal(string) error                { return uiservice.ErrUnsupported }

// parityEvents reads a history file's events with what legitimately
// differs between two runs taken out: sequence, time, chain, interface, the
// folder the files were in, and digests of outputs that hold a signing
// time (kept as present or not).
func parityEvents(t *testing.T, path, dir string) []map[string]any {
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
			switch k {
			case "output_sha256":
				v = v != ""
			case "path", "output_path":
				v = strings.TrimPrefix(v.(string), dir)
			case "reader":
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

func copyFiles(t *testing.T, names []string, from, to string) []string {
	t.Helper()
	var out []string
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(from, n))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(to, n)
		if err := os.WriteFile(p, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// Each flow through the command line and through the UI service, against
// the virtual card through pcscd: the same outcome, the same error code and
// the same history events, field for field. The CLI runs first on one
// card, the UI service then on a fresh card of the same configuration.
func TestParityCLIAndUIService(t *testing.T) {
	need(t)
	src := t.TempDir()
	writeParityInputs(t, src)
	names := []string{"申請書.pdf", "添付.txt", "図面.bin"}

	// The command line, with its own data folder.
	cliData, cliDir := t.TempDir(), t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", cliData)
	card := startVCard(t, filepath.Join(t.TempDir(), "card-cli"))
	files := copyFiles(t, names, src, cliDir)
	var cli []string // error codes, in the order of the steps
	code := func(r result) string {
		if r.code == 0 {
			return "ok"
		}
		var v struct {
			Error struct{ Code string } `json:"error"`
		}
		json.Unmarshal([]byte(r.stdout), &v)
		return v.Error.Code
	}
	cli = append(cli, code(shomei(t, "TEST1234\n", append([]string{"sign", "--json", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI}, files...)...)))
	cli = append(cli, code(shomei(t, "TEST1234\n", append([]string{"sign", "--json", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI}, files[:1]...)...))) // outputs exist now
	cli = append(cli, code(shomei(t, "WRONG999\n", append([]string{"sign", "--json", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--overwrite"}, files[1])...)))
	cli = append(cli, code(shomei(t, "9999\n5678\n", "pin", "change", "auth", "--json", "--pin-stdin", "--reader", readerCLI)))
	cli = append(cli, code(shomei(t, "1234\n5678\n", "pin", "change", "auth", "--json", "--pin-stdin", "--reader", readerCLI)))
	if r := shomei(t, "", "trust", "from-card", "--reader", readerCLI); r.code == 1 && strings.Contains(r.stderr, i18n.Error(i18n.EN, errs.New(errs.NoRoots))) {
		cli = append(cli, string(errs.NoRoots))
	} else {
		cli = append(cli, r.stderr)
	}
	cliStatus := status(t)
	card.stop()
	cliEvents := parityEvents(t, filepath.Join(cliData, history.FileName), cliDir)

	// The UI service (desktop mode: the person's own files) on a fresh card.
	uiData, uiDir := t.TempDir(), t.TempDir()
	startVCard(t, filepath.Join(t.TempDir(), "card-ui"))
	files = copyFiles(t, names, src, uiDir)
	cards := &cardsvc.PCSC{}
	defer cards.Close()
	svc, err := uiservice.New(uiservice.Config{Cards: cardsvc.New(cards), Platform: nopPlatform{}, Files: uiservice.LocalFiles{},
		DataDir: uiData, Mode: "desktop", Log: func(string, ...any) {},
		Watch: func(ctx context.Context) <-chan pcsc.Event {
			c := make(chan pcsc.Event)
			go func() { <-ctx.Done(); close(c) }()
			return c
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer uiservice.Close(svc)
	guard := func(id string) uiservice.Guard {
		st, err := svc.Status(readerCLI)
		if err != nil {
			t.Fatal(err)
		}
		return uiservice.Guard{Reader: readerCLI, CardID: st.CardID, TriesLeft: st.PINs[pinID(id)].TriesLeft}
	}
	uiCode := func(res *uiservice.SignResponse, err error) string {
		var e *uiservice.Error
		switch {
		case errors.As(err, &e):
			return e.Code
		case err != nil:
			return "internal"
		case res.Signed != res.Total:
			return string(errs.BatchRefused)
		}
		return "ok"
	}
	var ui []string
	ui = append(ui, uiCode(svc.Sign(uiservice.SignRequest{Guard: guard("sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files})))
	ui = append(ui, uiCode(svc.Sign(uiservice.SignRequest{Guard: guard("sign"), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files[:1]})))
	ui = append(ui, uiCode(svc.Sign(uiservice.SignRequest{Guard: guard("sign"), PIN: uiservice.Secret("WRONG999"), AcceptDisclosure: true, Files: files[1:2], Overwrite: true})))
	pinCode := func(err error) string {
		var e *uiservice.Error
		if errors.As(err, &e) {
			return e.Code
		}
		if err != nil {
			return "internal"
		}
		return "ok"
	}
	ui = append(ui, pinCode(svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard("auth"), PIN: "auth", Current: uiservice.Secret("9999"), New: uiservice.Secret("5678")})))
	ui = append(ui, pinCode(svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard("auth"), PIN: "auth", Current: uiservice.Secret("1234"), New: uiservice.Secret("5678")})))
	_, err = svc.AddCardRoots(readerCLI)
	ui = append(ui, pinCode(err))
	uiStatus := status(t)
	uiEvents := parityEvents(t, filepath.Join(uiData, history.FileName), uiDir)

	want := []string{"ok", "batch_refused", "pin_wrong", "pin_wrong", "ok", "no_roots"}
	if !reflect.DeepEqual(cli, want) || !reflect.DeepEqual(ui, want) {
		t.Errorf("outcomes:\ncli %v\nui  %v\nwant %v", cli, ui, want)
	}
	if !reflect.DeepEqual(cliStatus, uiStatus) {
		t.Errorf("card after the CLI %+v, after the UI %+v", cliStatus, uiStatus)
	}
	if len(cliEvents) < 7 {
		t.Fatalf("only %d events from the CLI: %v", len(cliEvents), cliEvents)
	}
	if len(cliEvents) != len(uiEvents) {
		t.Fatalf("%d events from the CLI, %d from the UI:\ncli %v\nui  %v", len(cliEvents), len(uiEvents), cliEvents, uiEvents)
	}
	for i := range cliEvents {
		if !reflect.DeepEqual(cliEvents[i], uiEvents[i]) {
			a, _ := json.Marshal(cliEvents[i])
			b, _ := json.Marshal(uiEvents[i])
			t.Errorf("event %d differs:\ncli %s\nui  %s", i, a, b)
		}
	}
	var kinds []string
	for _, e := range cliEvents {
		kinds = append(kinds, e["kind"].(string)+"/"+e["outcome"].(string))
	}
	sort.Strings(kinds)
	t.Logf("events compared: %v", kinds)
}

func writeParityInputs(t *testing.T, dir string) {
	t.Helper()
	pdftest.Minimal(t, filepath.Join(dir, "申請書.pdf"), 2, false)
	os.WriteFile(filepath.Join(dir, "添付.txt"), []byte("添付資料"), 0o644)
	os.WriteFile(filepath.Join(dir, "図面.bin"), []byte(strings.Repeat("図面", 4096)), 0o644)
}

func pinID(s string) pin.ID { return pin.ID(s) }
