package cli

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
)

type pcscReader = pcsc.ReaderInfo

var pinOrder = pin.Every

// cmdPINChange is `shomei pin change`: the flow (backend/flow) with the
// terminal as its UI.
func cmdPINChange(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	fromStdin := fs.Bool("pin-stdin", false, "")
	confirm := fs.Bool("confirm-last-try", false, "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		id, err := pin.ParseID(args[0])
		if err != nil || id == pin.Juki {
			return usage(e, "cli.usage.choice", args[0], "sign, auth, text")
		}
		L := e.Lang
		fmt.Fprintln(e.Stderr, i18n.T(L, "change.title", i18n.T(L, "pin."+string(id)), i18n.PINRule(L, string(id))))
		ui := &termUI{e: e, confirmLast: *confirm, fromStdin: *fromStdin}
		if err := e.flows().ChangePIN(e.Ctx, ui, *reader, id); err != nil {
			return failAs(e, err, *asJSON)
		}
		if *asJSON {
			writeJSON(e.Stdout, map[string]any{"changed": string(id)})
		} else {
			fmt.Fprintln(e.Stdout, i18n.T(L, "change.done"))
		}
		return exitOK
	}
}
