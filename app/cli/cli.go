// Package cli is Shomei's command line: an adapter over the backend
// services. Human output follows the locale (Japanese or English); --json
// output is for scripts. Errors are printed in one place (fail).
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio"
)

// Version is set at build time.
var Version = "dev"

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
}

// exit codes
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

type command struct {
	name, summary string
	run           func(e *Env, args []string) int
}

func commands() []command {
	return []command{
		{"readers", "list card readers", cmdReaders},
		{"card", "card status: shomei card status [--reader NAME] [--json]", cmdCard},
		{"pin", "PINs: shomei pin change sign|auth|text [--reader NAME] [--pin-stdin] [--confirm-last-try] | pin advise (how to get a locked PIN reset)", cmdPIN},
		{"sign", "sign files (PAdES for PDFs, CMS otherwise): shomei sign FILE... (see shomei sign -h)", cmdSign},
		{"vcard", "virtual card: shomei vcard [--state DIR] [--port N] | vcard init | vcard export-root", cmdVCard},
		{"verify", "verify signatures (PDF, CMS): shomei verify FILE... [--data F] [--trust F]... [--crl F]... [--json] | --extract-revision N FILE --out F", cmdVerify},
		{"trust", "trust anchors: shomei trust list|import|add|remove|fetch|from-card (see shomei trust)", cmdTrust},
		{"serve", "the UI in a browser on this machine: shomei serve [--addr 127.0.0.1:PORT] [--no-open]", cmdServe},
		{"consent", "consent documents: shomei consent show|sign|withdraw FILE | consent list (see shomei consent)", cmdConsent},
		{"counter", "counter mode for municipal staff: shomei counter status|reset|watch (see shomei counter)", cmdCounter},
		{"history", "the local history: shomei history [--kind K] [--since D] [--until D] [--grep T] [--limit N] [--json] | export | verify | purge", cmdHistory},
		{"version", "print the version", func(e *Env, _ []string) int { fmt.Fprintln(e.Stdout, "shomei", Version); return exitOK }},
	}
}

// Run runs the command line args (without the program name).
func Run(e *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.Stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(e.Stderr, "shomei: unknown command %q\n", args[0])
	usage(e.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: shomei <command> [options]")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}

// userError is a message of the CLI's own, already in the user's language
// and free of secrets: fail prints it as it is.
type userError string

func (u userError) Error() string { return string(u) }

// fail prints err for a person (in the UI language, never the internal
// cause) and returns the exit code. The cause goes to stderr only with
// SHOMEI_DEBUG=1, and even then a PIN cannot be in it.
func fail(e *Env, err error) int {
	var ue userError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.Stderr, "shomei: %s\n", ue)
		return exitError
	}
	fmt.Fprintf(e.Stderr, "shomei: %s\n", i18n.Error(e.Lang, err))
	if code := cardio.CodeOf(err); code != "" {
		fmt.Fprintf(e.Stderr, "shomei: code: %s\n", code)
	}
	if os.Getenv("SHOMEI_DEBUG") == "1" {
		fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", err)
	}
	return exitError
}

// failJSON prints an error as JSON on stdout for --json callers, and the
// message on stderr.
func failJSON(e *Env, err error) int {
	out := map[string]any{"error": map[string]any{"code": cardio.CodeOf(err), "message": i18n.Error(e.Lang, err)}}
	var ce *cardio.Error
	if errors.As(err, &ce) && (ce.Code == cardio.CodePINWrong || ce.Code == cardio.CodeStateChanged || ce.Code == cardio.CodeLastTry) {
		out["error"].(map[string]any)["tries_left"] = ce.TriesLeft
	}
	writeJSON(e.Stdout, out)
	return fail(e, err)
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func newFlags(name string, e *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	return fs
}

// parse parses flags, allowing them after positional arguments too.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func cmdReaders(e *Env, args []string) int {
	fs := newFlags("readers", e)
	asJSON := fs.Bool("json", false, "JSON output")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
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

func cmdCard(e *Env, args []string) int {
	if len(args) > 0 && (args[0] == "identity" || args[0] == "basic-info") {
		fs := newFlags("card "+args[0], e)
		var o identityOpts
		fs.StringVar(&o.reader, "reader", "", "reader name (default: the reader holding a card)")
		fs.BoolVar(&o.pinStdin, "pin-stdin", false, "read the code from one line of standard input")
		fs.BoolVar(&o.json, "json", false, "JSON output")
		fs.BoolVar(&o.lastTry, "confirm-last-try", false, "accept risking the last try")
		if args[0] == "identity" {
			fs.StringVar(&o.photo, "photo", "", "write the face photo to this PNG file")
		} else {
			fs.BoolVar(&o.withMyNumber, "with-mynumber", false, "also read and show the My Number")
		}
		if _, err := parse(fs, args[1:]); err != nil {
			return exitUsage
		}
		o.basicInfo = args[0] == "basic-info"
		return runIdentity(e, o)
	}
	if len(args) == 0 || args[0] != "status" {
		fmt.Fprintln(e.Stderr, "usage: shomei card status|identity|basic-info [--reader NAME] [--json]")
		return exitUsage
	}
	fs := newFlags("card status", e)
	reader := fs.String("reader", "", "reader name (default: the reader holding a card)")
	asJSON := fs.Bool("json", false, "JSON output")
	if _, err := parse(fs, args[1:]); err != nil {
		return exitUsage
	}
	st, err := e.Cards.Status(*reader)
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
	recordLocks(e, st)
	return exitOK
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
		var state string
		switch {
		case !p.Available:
			state = i18n.T(L, "status.absent")
		case p.Locked:
			state = i18n.T(L, "status.locked")
		default:
			state = i18n.T(L, "status.tries", p.TriesLeft, p.MaxTries)
		}
		fmt.Fprintf(e.Stdout, "  %-10s %s: %s\n", strings.ToUpper(string(id)), i18n.T(L, "pin."+string(id)), state)
	}
	printLife(e, st)
}
