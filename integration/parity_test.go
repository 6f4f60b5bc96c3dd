package integration

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/parity"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/errs"
)

// Each flow through the command line (the program, as a person runs it)
// and through the UI service, against the virtual card through pcscd: the
// same outcome, the same error code and the same history events, field for
// field (the steps of package parity, then trust from the card). The CLI
// runs first on one card, the UI service then on a fresh card of the same
// configuration.
func TestParityCLIAndUIService(t *testing.T) {
	need(t)

	// The command line, with its own data folder.
	cliData := t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", cliData)
	card := startVCard(t, filepath.Join(t.TempDir(), "card-cli"))
	fx := parity.Inputs(t, t.TempDir())
	var cli []string
	for _, s := range parity.CLISteps(fx, readerCLI) {
		r := shomei(t, s.Stdin, s.Args...)
		if r.code == 0 {
			cli = append(cli, "ok")
			continue
		}
		var v struct {
			Error struct{ Code string } `json:"error"`
		}
		json.Unmarshal([]byte(r.stdout), &v)
		if v.Error.Code == "" {
			v.Error.Code = "exit: " + r.stderr
		}
		cli = append(cli, v.Error.Code)
	}
	if r := shomei(t, "", "trust", "from-card", "--reader", readerCLI); r.code == 1 && strings.Contains(r.stderr, i18n.Error(i18n.EN, errs.New(errs.NoRoots))) {
		cli = append(cli, string(errs.NoRoots))
	} else {
		cli = append(cli, r.stderr)
	}
	cliStatus := status(t)
	card.stop()
	cliEvents := parity.Events(t, filepath.Join(cliData, history.FileName), fx.Dir)

	// The UI service (desktop mode: the person's own files) on a fresh card.
	uiData := t.TempDir()
	startVCard(t, filepath.Join(t.TempDir(), "card-ui"))
	ufx := parity.Inputs(t, t.TempDir())
	cards := &cardsvc.PCSC{}
	defer cards.Close()
	svc := parity.Service(t, cardsvc.New(cards), uiData)
	ui := parity.UISteps(t, svc, readerCLI, ufx)
	_, err := svc.AddCardRoots(readerCLI)
	ui = append(ui, parity.Code(err))
	uiStatus := status(t)
	uiEvents := parity.Events(t, filepath.Join(uiData, history.FileName), ufx.Dir)

	parity.Compare(t, append(append([]string{}, parity.Want...), string(errs.NoRoots)), cli, ui, cliEvents, uiEvents)
	if !reflect.DeepEqual(cliStatus, uiStatus) {
		t.Errorf("card after the CLI %+v, after the UI %+v", cliStatus, uiStatus)
	}
}
