package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"github.com/shomei-app/shomei/internal/errs"
	"github.com/spf13/pflag"
	"io"
	"strings"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
)

type pcscReader = pcsc.ReaderInfo

var pinOrder = pin.Every

// pinSource hands out PINs: from standard input (one line each, in the
// order asked) or from the terminal without echo.
type pinSource struct {
	e     *Env
	stdin *bufio.Reader
}

func newPINSource(e *Env, fromStdin bool) (*pinSource, error) {
	if fromStdin {
		return &pinSource{e: e, stdin: bufio.NewReader(e.Stdin)}, nil
	}
	if e.IsTerminal == nil || !e.IsTerminal() {
		return nil, errs.New(errs.NoTerminal)
	}
	return &pinSource{e: e}, nil
}

// read returns one PIN's raw bytes; the caller parses (and so wipes) them.
func (p *pinSource) read(prompt string) ([]byte, error) {
	if p.stdin != nil {
		line, err := p.stdin.ReadBytes('\n')
		if err != nil && (err != io.EOF || len(line) == 0) {
			for i := range line {
				line[i] = 0
			}
			return nil, errs.New(errs.NoPINInput)
		}
		return bytes.TrimRight(line, "\r\n"), nil
	}
	return p.e.ReadSecret(prompt)
}

// ask reads one PIN and checks its format (the raw input is wiped).
func (p *pinSource) ask(id pin.ID, prompt string) (*pin.Secret, error) {
	raw, err := p.read(prompt)
	if err != nil {
		return nil, err
	}
	return pin.Parse(id, raw)
}

// beforePIN is what precedes every PIN entry: read and show the card's
// state (the PIN is only asked for a card and a tries count the user has
// seen), refuse a locked or absent PIN, ask for confirmation at the last
// try, and open the PIN source. check, if set, vets the status first. On
// failure it returns a nil status and the exit code.
func beforePIN(e *Env, reader string, id pin.ID, confirm, fromStdin bool, check func(*cardsvc.Status) error) (st *cardsvc.Status, lastTry bool, src *pinSource, code int) {
	L := e.Lang
	st, err := e.Cards.Status(reader)
	if err != nil {
		return nil, false, nil, fail(e, err)
	}
	if st.TestCard {
		fmt.Fprintf(e.Stderr, "*** %s ***\n", i18n.T(L, "status.testcard"))
	}
	if check != nil {
		if err := check(st); err != nil {
			return nil, false, nil, fail(e, err)
		}
	}
	ps := st.PINs[id]
	switch {
	case !ps.Available:
		return nil, false, nil, fail(e, cardio.ErrUnsupported)
	case ps.Locked:
		recordLocks(e, st)
		return nil, false, nil, fail(e, cardio.ErrPINLocked)
	}
	fmt.Fprintln(e.Stderr, i18n.T(L, "change.tries", ps.TriesLeft, ps.MaxTries))
	if ps.TriesLeft == 1 {
		if !confirmLastTry(e, id, confirm, fromStdin) {
			fmt.Fprintln(e.Stderr, i18n.T(L, "lasttry.declined"))
			return nil, false, nil, exitError
		}
		lastTry = true
	}
	src, err = newPINSource(e, fromStdin)
	if err != nil {
		fail(e, err)
		return nil, false, nil, exitUsage
	}
	return st, lastTry, src, exitOK
}

// confirmLastTry asks for explicit consent when one try is left.
func confirmLastTry(e *Env, id pin.ID, flagGiven, fromStdin bool) bool {
	fmt.Fprintln(e.Stderr, i18n.T(e.Lang, "lasttry.warn", i18n.T(e.Lang, "pin."+string(id))))
	if flagGiven {
		return true
	}
	if fromStdin || e.IsTerminal == nil || !e.IsTerminal() {
		fmt.Fprintln(e.Stderr, i18n.T(e.Lang, "lasttry.flag"))
		return false
	}
	fmt.Fprint(e.Stderr, i18n.T(e.Lang, "lasttry.prompt"))
	ans, _ := bufio.NewReader(e.Stdin).ReadString('\n')
	return strings.TrimSpace(strings.ToLower(ans)) == "yes"
}

func cmdPINChange(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	fromStdin := fs.Bool("pin-stdin", false, "")
	confirm := fs.Bool("confirm-last-try", false, "")
	return func(args []string) int {
		pos := args
		id, err := pin.ParseID(pos[0])
		if err != nil || id == pin.Juki {
			return usage(e, "cli.usage.choice", pos[0], "sign, auth, text")
		}
		L := e.Lang
		fmt.Fprintln(e.Stderr, i18n.T(L, "change.title", i18n.T(L, "pin."+string(id)), i18n.PINRule(L, string(id))))

		st, lastTry, src, code := beforePIN(e, *reader, id, *confirm, *fromStdin, nil)
		if st == nil {
			return code
		}
		cur, err := src.ask(id, i18n.T(L, "change.current"))
		if err != nil {
			return fail(e, err)
		}
		defer cur.Wipe()
		next, err := src.ask(id, i18n.T(L, "change.new"))
		if err != nil {
			return fail(e, err)
		}
		defer next.Wipe()
		if src.stdin == nil { // at a terminal, type the new PIN twice
			again, err := src.ask(id, i18n.T(L, "change.again"))
			if err != nil {
				return fail(e, err)
			}
			same := bytes.Equal(again.Bytes(), next.Bytes())
			again.Wipe()
			if !same {
				return fail(e, errs.New(errs.PINMismatch))
			}
		}
		err = e.Cards.ChangePIN(st.Reader, jpki.Attempt{PIN: id, Secret: cur, Seen: st.Seen(id), ConfirmLastTry: lastTry}, next)
		if err != nil {
			code := fail(e, err)
			recordPINChange(e, st, id, err)
			return code
		}
		fmt.Fprintln(e.Stdout, i18n.T(L, "change.done"))
		recordPINChange(e, st, id, nil)
		return exitOK
	}
}
