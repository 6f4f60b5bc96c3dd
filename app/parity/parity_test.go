// Package parity checks that the command line and the UI service run the
// same flow with the same outcome, error code and history events, field for
// field, on in-memory virtual cards (integration/parity_test.go does the
// same through pcscd).
package parity_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

type nopPlatform struct{}

func (nopPlatform) Emit(string, any)                   {}
func (nopPlatform) OpenFiles(string) ([]string, error) { return nil, uiservice.ErrUnsupported }
func (nopPlatform) Reveal(string) error                { return uiservice.ErrUnsupported }

func events(t *testing.T, path, dir string) []map[string]any {
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

func inputs(t *testing.T, dir string) []string {
	pdftest.Minimal(t, filepath.Join(dir, "申請書.pdf"), 2, false)
	os.WriteFile(filepath.Join(dir, "添付.txt"), []byte("添付資料"), 0o644)
	os.WriteFile(filepath.Join(dir, "図面.bin"), []byte(strings.Repeat("図面", 4096)), 0o644)
	return []string{filepath.Join(dir, "申請書.pdf"), filepath.Join(dir, "添付.txt"), filepath.Join(dir, "図面.bin")}
}

func TestParity(t *testing.T) {
	// The command line.
	cliData, cliDir := t.TempDir(), t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", cliData)
	cliCard := vcardtest.New(t)
	files := inputs(t, cliDir)
	run := func(stdin string, args ...string) string {
		var out, errb bytes.Buffer
		e := &cli.Env{Ctx: context.Background(), Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Lang: i18n.EN,
			IsTerminal: func() bool { return false }, Cards: cardsvc.New(cardsvctest.Memory(cliCard))}
		if cli.Run(e, args) == 0 {
			return "ok"
		}
		var v struct {
			Error struct{ Code string } `json:"error"`
		}
		json.Unmarshal(out.Bytes(), &v)
		if v.Error.Code == "" {
			return "exit: " + errb.String()
		}
		return v.Error.Code
	}
	sign := func(pin string, extra []string, files ...string) string {
		return run(pin+"\n", append(append([]string{"sign", "--json", "--pin-stdin", "--accept-disclosure"}, extra...), files...)...)
	}
	var cliCodes []string
	cliCodes = append(cliCodes, sign("TEST1234", nil, files...))
	cliCodes = append(cliCodes, sign("TEST1234", nil, files[0]))
	cliCodes = append(cliCodes, sign("WRONG999", []string{"--overwrite"}, files[1]))
	cliCodes = append(cliCodes, run("9999\n5678\n", "pin", "change", "auth", "--json", "--pin-stdin"))
	cliCodes = append(cliCodes, run("1234\n5678\n", "pin", "change", "auth", "--json", "--pin-stdin"))
	// The desk: a wrong reset code, then the right one.
	cliCodes = append(cliCodes, run("0000000X\nNEWPASS1\n", "counter", "reset", "sign", "--json", "--pin-stdin", "--staff-confirmed"))
	cliCodes = append(cliCodes, run(vcardtest.ResetCode+"\nNEWPASS1\n", "counter", "reset", "sign", "--json", "--pin-stdin", "--staff-confirmed"))
	cliEvents := events(t, filepath.Join(cliData, history.FileName), cliDir)

	// The UI service (desktop: the person's own files) on a card alike.
	uiData, uiDir := t.TempDir(), t.TempDir()
	uiCard := vcardtest.New(t)
	files = inputs(t, uiDir)
	svc, err := uiservice.New(uiservice.Config{Cards: cardsvc.New(cardsvctest.Memory(uiCard)), Platform: nopPlatform{}, Files: uiservice.LocalFiles{},
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
	guard := func(id pin.ID) uiservice.Guard {
		st, err := svc.Status("")
		if err != nil {
			t.Fatal(err)
		}
		return uiservice.Guard{CardID: st.CardID, TriesLeft: st.PINs[id].TriesLeft}
	}
	code := func(res *uiservice.SignResponse, err error) string {
		var e *uiservice.Error
		switch {
		case errors.As(err, &e):
			return e.Code
		case err != nil:
			return err.Error()
		case res.Signed != res.Total:
			return "batch_refused"
		}
		return "ok"
	}
	pinCode := func(err error) string {
		var e *uiservice.Error
		if errors.As(err, &e) {
			return e.Code
		}
		if err != nil {
			return err.Error()
		}
		return "ok"
	}
	var uiCodes []string
	uiCodes = append(uiCodes, code(svc.Sign(uiservice.SignRequest{Guard: guard(pin.Sign), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files})))
	uiCodes = append(uiCodes, code(svc.Sign(uiservice.SignRequest{Guard: guard(pin.Sign), PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true, Files: files[:1]})))
	uiCodes = append(uiCodes, code(svc.Sign(uiservice.SignRequest{Guard: guard(pin.Sign), PIN: uiservice.Secret("WRONG999"), AcceptDisclosure: true, Files: files[1:2], Overwrite: true})))
	uiCodes = append(uiCodes, pinCode(svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(pin.Auth), PIN: "auth", Current: uiservice.Secret("9999"), New: uiservice.Secret("5678")})))
	uiCodes = append(uiCodes, pinCode(svc.ChangePIN(uiservice.ChangePINRequest{Guard: guard(pin.Auth), PIN: "auth", Current: uiservice.Secret("1234"), New: uiservice.Secret("5678")})))
	reset := func(code string) string {
		v := svc.CounterStatus("")
		_, err := svc.CounterReset(uiservice.CounterResetRequest{CardID: v.CardID, PIN: "sign", StaffConfirmed: true, ResetCode: uiservice.Secret(code), New: uiservice.Secret("NEWPASS1")})
		return pinCode(err)
	}
	uiCodes = append(uiCodes, reset("0000000X"))
	uiCodes = append(uiCodes, reset(vcardtest.ResetCode))
	uiEvents := events(t, filepath.Join(uiData, history.FileName), uiDir)

	want := []string{"ok", "batch_refused", "pin_wrong", "pin_wrong", "ok", "reset_code_wrong", "ok"}
	if !reflect.DeepEqual(cliCodes, want) || !reflect.DeepEqual(uiCodes, want) {
		t.Errorf("outcomes:\ncli  %v\nui   %v\nwant %v", cliCodes, uiCodes, want)
	}
	for _, id := range pin.All {
		if a, b := cliCard.State().Tries(id), uiCard.State().Tries(id); a != b {
			t.Errorf("%s: %d tries left after the CLI, %d after the UI", id, a, b)
		}
	}
	if len(cliEvents) < 7 || len(cliEvents) != len(uiEvents) {
		t.Fatalf("%d events from the CLI, %d from the UI:\ncli %v\nui  %v", len(cliEvents), len(uiEvents), cliEvents, uiEvents)
	}
	t.Logf("%d events compared, field for field", len(cliEvents))
	for i := range cliEvents {
		if !reflect.DeepEqual(cliEvents[i], uiEvents[i]) {
			a, _ := json.Marshal(cliEvents[i])
			b, _ := json.Marshal(uiEvents[i])
			t.Errorf("event %d differs:\ncli %s\nui  %s", i, a, b)
		}
	}
}
