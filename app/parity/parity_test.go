package parity_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/app/parity"
	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// Each flow through cli.Run and through the UI service on in-memory
// virtual cards alike (the steps of package parity, then the desk's
// reset): the same outcome, error code and history events, field for field.
func TestParity(t *testing.T) {
	// The command line.
	cliData := t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", cliData)
	cliCard := vcardtest.New(t)
	fx := parity.Inputs(t, t.TempDir())
	run := func(s parity.Step) string {
		var out, errb bytes.Buffer
		e := &cli.Env{Ctx: context.Background(), Stdin: strings.NewReader(s.Stdin), Stdout: &out, Stderr: &errb, Lang: i18n.EN,
			IsTerminal: func() bool { return false }, Cards: cardsvc.New(cardsvctest.Memory(cliCard))}
		if cli.Run(e, s.Args) == 0 {
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
	var cliCodes []string
	steps := append(parity.CLISteps(fx, ""),
		// The desk: a wrong reset code, then the right one.
		parity.Step{Stdin: "0000000X\nNEWPASS1\n", Args: []string{"counter", "reset", "sign", "--json", "--pin-stdin", "--staff-confirmed"}},
		parity.Step{Stdin: vcardtest.ResetCode + "\nNEWPASS1\n", Args: []string{"counter", "reset", "sign", "--json", "--pin-stdin", "--staff-confirmed"}})
	for _, s := range steps {
		cliCodes = append(cliCodes, run(s))
	}
	cliEvents := parity.Events(t, filepath.Join(cliData, history.FileName), fx.Dir)

	// The UI service (desktop: the person's own files) on a card alike.
	uiData := t.TempDir()
	uiCard := vcardtest.New(t)
	ufx := parity.Inputs(t, t.TempDir())
	svc := parity.Service(t, cardsvc.New(cardsvctest.Memory(uiCard)), uiData)
	uiCodes := parity.UISteps(t, svc, "", ufx)
	reset := func(code string) string {
		v := svc.CounterStatus("")
		_, err := svc.CounterReset(uiservice.CounterResetRequest{CardID: v.CardID, PIN: "sign", StaffConfirmed: true, ResetCode: uiservice.Secret(code), New: uiservice.Secret("NEWPASS1")})
		return parity.Code(err)
	}
	uiCodes = append(uiCodes, reset("0000000X"), reset(vcardtest.ResetCode))
	uiEvents := parity.Events(t, filepath.Join(uiData, history.FileName), ufx.Dir)

	parity.Compare(t, append(append([]string{}, parity.Want...), "reset_code_wrong", "ok"), cliCodes, uiCodes, cliEvents, uiEvents)
	for _, id := range pin.All {
		if a, b := cliCard.State().Tries(id), uiCard.State().Tries(id); a != b {
			t.Errorf("%s: %d tries left after the CLI, %d after the UI", id, a, b)
		}
	}
}
