// Package cli is Shomei's command line: an adapter over the backend
// services. Human output follows the locale (Japanese or English); --json
// output is for scripts. Errors are printed in one place (fail).
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/errs"
	"github.com/shomei-app/shomei/internal/version"
)

// Version is this build's version (internal/version, stamped from git).
var Version = version.String()

// Env is what a command sees of the world.
type Env struct {
	Ctx    context.Context
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Lang   i18n.Lang
	Cards  *cardsvc.Service
	// IsTerminal reports whether stdin is an interactive terminal, and
	// ReadSecret reads a line from it without echo.
	IsTerminal func() bool
	ReadSecret func(prompt string) ([]byte, error)
	// ReadLine reads an answer from the terminal (raw mode: Ctrl-C cancels
	// before anything typed after it); nil: standard input's lines.
	ReadLine func(prompt string) ([]byte, error)

	// ErrIsTerminal and OutIsTerminal report whether stderr (progress
	// bars) and stdout (clearing the counter screen) are terminals.
	ErrIsTerminal, OutIsTerminal func() bool

	cmd *cobra.Command // the command running
	in  *bufio.Reader  // standard input, buffered once
}

func (e *Env) errTerminal() bool { return e.ErrIsTerminal != nil && e.ErrIsTerminal() }

// Exit codes (README, "Exit codes").
const (
	exitOK            = 0
	exitError         = 1
	exitUsage         = 2
	exitIndeterminate = 3 // verify: the signature could not be confirmed either way
	exitUnreadable    = 4 // verify: a file could not be read as a signature
	exitCancelled     = 130
)

// Exit codes of a cancelled command: Ctrl-C (SIGINT), and SIGTERM (which
// main turns ExitCancelled into).
const (
	ExitCancelled  = exitCancelled
	ExitTerminated = 143
)

// Run runs the command line args (without the program name) and returns
// the exit code.
func Run(e *Env, args []string) int {
	if e.Ctx == nil {
		e.Ctx = context.Background()
	}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(e.Stdin)
	root.SetOut(e.Stdout)
	root.SetErr(e.Stderr)
	err := root.ExecuteContext(e.Ctx)
	if err == nil {
		return exitOK
	}
	var ec exitCode
	if errors.As(err, &ec) {
		return int(ec)
	}
	var ue *usageError
	if !errors.As(err, &ue) {
		// cobra's own complaint (an unknown command at the top level).
		ue = &usageError{cmd: root, msg: i18n.T(e.Lang, "cli.usage.unknown", firstWord(args))}
	}
	path := ue.cmd.CommandPath()
	if wantsJSON(args) {
		writeJSON(e.Stdout, map[string]any{"error": i18n.Failure{Code: string(errs.Usage), Message: ue.msg}})
	}
	fmt.Fprintf(e.Stderr, "shomei: %s\n", i18n.T(e.Lang, "err.usage", ue.msg, path))
	return exitUsage
}

func firstWord(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

func wantsJSON(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "--json" || a == "--json=true" {
			return true
		}
	}
	return false
}

// exitCode ends a command with that code, its output already written.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

func exitWith(code int) error {
	if code == exitOK {
		return nil
	}
	return exitCode(code)
}

// fail prints err for a person (in the UI language, never the internal
// cause) and returns the exit code. The cause goes to stderr only with
// SHOMEI_DEBUG=1, and even then a PIN cannot be in it.
func fail(e *Env, err error) int {
	x := errs.From(err)
	fmt.Fprintf(e.Stderr, "shomei: %s\n", i18n.Error(e.Lang, x))
	if os.Getenv("SHOMEI_DEBUG") == "1" && x.Cause != nil {
		fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", x.Cause)
	}
	if x.Code == errs.Cancelled {
		return exitCancelled
	}
	return exitError
}

// failJSON prints an error as JSON on stdout for --json callers
// ({"error":{"code","message"}}), and the message on stderr.
func failJSON(e *Env, err error) int {
	writeJSON(e.Stdout, map[string]any{"error": i18n.FailureOf(e.Lang, err, false)})
	return fail(e, err)
}

// failAs is failJSON when asJSON, else fail.
func failAs(e *Env, err error, asJSON bool) int {
	if asJSON {
		return failJSON(e, err)
	}
	return fail(e, err)
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func cmdReaders(e *Env, fs *pflag.FlagSet) func(args []string) int {
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		rs, err := e.Cards.Readers()
		if err != nil {
			if *asJSON {
				return failJSON(e, err)
			}
			return fail(e, err)
		}
		if *asJSON {
			if rs == nil {
				rs = []pcscReader{}
			}
			writeJSON(e.Stdout, map[string]any{"readers": rs})
			return exitOK
		}
		if len(rs) == 0 {
			fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "readers.none"))
			return exitOK
		}
		for _, r := range rs {
			state := i18n.T(e.Lang, "readers.empty")
			if r.Present {
				state = i18n.T(e.Lang, "readers.card")
			}
			fmt.Fprintf(e.Stdout, "%s\t%s\n", r.Name, state)
		}
		return exitOK
	}
}

func cmdCardStatus(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		st, err := e.flows().Status(*reader)
		if err != nil {
			if *asJSON {
				return failJSON(e, err)
			}
			return fail(e, err)
		}
		if *asJSON {
			writeJSON(e.Stdout, withLife(st))
		} else {
			printStatus(e, st)
		}
		return exitOK
	}
}

func printStatus(e *Env, st *cardsvc.Status) {
	L := e.Lang
	if st.TestCard {
		fmt.Fprintf(e.Stdout, "*** %s ***\n", i18n.T(L, "status.testcard"))
	}
	fmt.Fprintf(e.Stdout, "%s: %s\n", i18n.T(L, "status.reader"), st.Reader)
	fmt.Fprintf(e.Stdout, "%s: %s (%s)\n", i18n.T(L, "status.card"), i18n.T(L, "status.kind."+string(st.Card.Kind)), st.Card.Label)
	if st.AuthCert != nil {
		fmt.Fprintf(e.Stdout, "%s: %s (%s)\n", i18n.T(L, "status.authcert"), st.AuthCert.NotAfter.Local().Format("2006-01-02"), i18n.T(L, "status.days", st.AuthCert.DaysLeft))
	}
	if !st.Card.SignCert {
		fmt.Fprintln(e.Stdout, i18n.T(L, "status.signcert.none"))
	}
	for _, id := range pinOrder {
		p, ok := st.PINs[id]
		if !ok {
			continue
		}
		state := i18n.PINState(L, p.Available, p.Locked, p.TriesLeft, p.MaxTries)
		fmt.Fprintf(e.Stdout, "  %-10s %s: %s\n", strings.ToUpper(string(id)), i18n.T(L, "pin."+string(id)), state)
	}
	printLife(e, st)
}
