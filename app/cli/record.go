package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
)

// record appends events to the user's history (opened and closed around
// it), stamped with this version and the CLI as their interface. Recording
// never changes a command's result: on failure it prints a warning in the
// user's language and the command goes on with its own exit code.
func record(e *Env, evs ...history.Event) {
	history.Stamp(Version, history.InterfaceCLI, evs)
	path, err := history.Path()
	if err == nil {
		_, err = history.Record(path, evs...)
	}
	if err != nil {
		fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(e.Lang, "history.warn", historyReason(e.Lang, err)))
		if os.Getenv("SHOMEI_DEBUG") == "1" {
			fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", err)
		}
	}
}

// historyReason says in the user's language why the history failed.
func historyReason(L i18n.Lang, err error) string { return i18n.Error(L, history.Failure(err)) }

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
