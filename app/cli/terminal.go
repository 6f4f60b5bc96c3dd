package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/errs"
)

// stdin is the one buffered reader over standard input: PIN lines
// (--pin-stdin) and answers come from it in the order asked.
func (e *Env) stdin() *bufio.Reader {
	if e.in == nil {
		e.in = bufio.NewReader(e.Stdin)
	}
	return e.in
}

// readLine reads one line of standard input; Ctrl-C (the context ends)
// cancels the wait at once, so nothing typed afterwards is taken.
func readLine(e *Env) (string, error) {
	type line struct {
		s   string
		err error
	}
	ch := make(chan line, 1)
	go func() {
		s, err := e.stdin().ReadString('\n')
		ch <- line{s, err}
	}()
	select {
	case <-e.Ctx.Done():
		return "", errs.Wrap(e.Ctx.Err(), errs.Cancelled)
	case l := <-ch:
		if l.err != nil && l.s == "" {
			return "", l.err
		}
		return strings.TrimRight(l.s, "\r\n"), nil
	}
}

// askYes asks a yes/no question at the terminal; only "yes" is yes. At a
// terminal the answer is read in raw mode (ReadLine), so a Ctrl-C typed
// before the answer always wins over it.
func askYes(e *Env, prompt string) (bool, error) {
	var ans string
	var err error
	if e.ReadLine != nil && e.terminal() {
		var b []byte
		b, err = e.ReadLine(prompt)
		ans = string(b)
	} else {
		fmt.Fprint(e.Stderr, prompt)
		ans, err = readLine(e)
	}
	if errs.CodeOf(err) == errs.Cancelled {
		fmt.Fprintln(e.Stderr)
		return false, err
	}
	return strings.TrimSpace(strings.ToLower(ans)) == "yes", nil
}

func (e *Env) terminal() bool { return e.IsTerminal != nil && e.IsTerminal() }

// ReadSecretTTY reads a line from the terminal fd without echo, in raw
// mode so that Ctrl-C is a key, not a signal: it cancels (errs.Cancelled)
// and whatever was typed is wiped; Ctrl-D on an empty line ends input.
// Backspace and Ctrl-U edit the line.
func ReadSecretTTY(fd int, r io.Reader, w io.Writer, prompt string) ([]byte, error) {
	return readTTY(fd, r, w, prompt, false)
}

// ReadLineTTY is ReadSecretTTY with the answer echoed (yes/no questions).
func ReadLineTTY(fd int, r io.Reader, w io.Writer, prompt string) ([]byte, error) {
	return readTTY(fd, r, w, prompt, true)
}

func readTTY(fd int, r io.Reader, w io.Writer, prompt string, echo bool) ([]byte, error) {
	old, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	defer term.Restore(fd, old)
	io.WriteString(w, prompt)
	defer io.WriteString(w, "\r\n")
	var line []byte
	wipe := func() {
		for i := range line {
			line[i] = 0
		}
		line = line[:0]
	}
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if err != nil || n == 0 {
			wipe()
			return nil, errs.Wrap(err, errs.NoPINInput)
		}
		switch c := b[0]; c {
		case 3: // Ctrl-C
			wipe()
			return nil, errs.New(errs.Cancelled)
		case 4: // Ctrl-D
			if len(line) == 0 {
				return nil, errs.New(errs.NoPINInput)
			}
		case '\r', '\n':
			out := bytes.Clone(line)
			wipe()
			return out, nil
		case 8, 127: // backspace
			if len(line) > 0 && echo {
				io.WriteString(w, "\b \b")
			}
			if len(line) > 0 {
				_, size := utf8.DecodeLastRune(line)
				for i := len(line) - size; i < len(line); i++ {
					line[i] = 0
				}
				line = line[:len(line)-size]
			}
		case 21: // Ctrl-U
			wipe()
		default:
			if c >= 0x20 {
				line = append(line, c)
				if echo {
					w.Write([]byte{c})
				}
			}
		}
		b[0] = 0
	}
}

// flows is the backend's flows with this command line's history.
func (e *Env) flows() *flow.Flows {
	return &flow.Flows{Cards: e.Cards, Paths: true, Record: func(evs ...history.Event) { record(e, evs...) }}
}

// termUI answers a flow from the terminal, or from the options given for
// scripts (--accept-disclosure, --confirm-last-try, --pin-stdin,
// --staff-confirmed).
type termUI struct {
	e                                    *Env
	acceptDisclosure, confirmLast, staff bool
	fromStdin                            bool
	signing                              bool   // the signing password, not a PIN change
	resetPIN                             pin.ID // the PIN the desk resets (StaffConfirm names it)
	progress                             bool   // draw a progress bar (stderr is a terminal)
}

func (u *termUI) ShowStatus(st *cardsvc.Status, id pin.ID) (jpki.Observed, error) {
	L := u.e.Lang
	if st.TestCard {
		fmt.Fprintf(u.e.Stderr, "*** %s ***\n", i18n.T(L, "status.testcard"))
	}
	if ps := st.PINs[id]; ps.Available && !ps.Locked {
		fmt.Fprintln(u.e.Stderr, i18n.T(L, "change.tries", ps.TriesLeft, ps.MaxTries))
	}
	return st.Seen(id), nil
}

func (u *termUI) AcceptDisclosure() (bool, error) {
	L := u.e.Lang
	fmt.Fprintln(u.e.Stderr, i18n.T(L, "sign.disclosure"))
	if u.acceptDisclosure {
		return true, nil
	}
	if u.fromStdin || !u.e.terminal() {
		fmt.Fprintln(u.e.Stderr, i18n.T(L, "sign.disclosure.flag"))
		return false, nil
	}
	return askYes(u.e, i18n.T(L, "sign.disclosure.prompt"))
}

func (u *termUI) ConfirmLastTry(id pin.ID) (bool, error) {
	L := u.e.Lang
	fmt.Fprintln(u.e.Stderr, i18n.T(L, "lasttry.warn", i18n.T(L, "pin."+string(id))))
	if u.confirmLast {
		return true, nil
	}
	if u.fromStdin || !u.e.terminal() {
		fmt.Fprintln(u.e.Stderr, i18n.T(L, "lasttry.flag"))
		return false, nil
	}
	return askYes(u.e, i18n.T(L, "lasttry.prompt"))
}

// readRaw reads one secret's bytes: a line of standard input, or the
// terminal without echo. The caller parses (and so wipes) them.
func (u *termUI) readRaw(prompt string) ([]byte, error) {
	if u.fromStdin {
		line, err := readLine(u.e)
		if err != nil {
			if errs.CodeOf(err) == errs.Cancelled {
				return nil, err
			}
			return nil, errs.Wrap(err, errs.NoPINInput)
		}
		return []byte(line), nil
	}
	if !u.e.terminal() || u.e.ReadSecret == nil {
		return nil, errs.New(errs.NoTerminal)
	}
	type res struct {
		b   []byte
		err error
	}
	ch := make(chan res, 1)
	go func() {
		b, err := u.e.ReadSecret(prompt)
		ch <- res{b, err}
	}()
	select {
	case <-u.e.Ctx.Done():
		return nil, errs.Wrap(u.e.Ctx.Err(), errs.Cancelled)
	case r := <-ch:
		return r.b, r.err
	}
}

func (u *termUI) ReadPIN(id pin.ID, p flow.Prompt) (*pin.Secret, error) {
	L := u.e.Lang
	if p == flow.PromptResetCode {
		raw, err := u.readRaw(i18n.T(L, "counter.code.prompt"))
		if err != nil {
			return nil, err
		}
		return pin.ParseResetCode(raw)
	}
	prompt := i18n.T(L, "change.current")
	switch {
	case u.signing:
		prompt = i18n.T(L, "pin.sign") + ": "
	case p == flow.PromptNew:
		prompt = i18n.T(L, "change.new")
	}
	raw, err := u.readRaw(prompt)
	if err != nil {
		return nil, err
	}
	s, err := pin.Parse(id, raw)
	if err != nil {
		return nil, err
	}
	if p == flow.PromptNew && !u.fromStdin { // at a terminal, the new PIN twice
		raw, err := u.readRaw(i18n.T(L, "change.again"))
		if err != nil {
			s.Wipe()
			return nil, err
		}
		again, err := pin.Parse(id, raw)
		if err != nil {
			s.Wipe()
			return nil, errs.New(errs.PINMismatch)
		}
		same := bytes.Equal(again.Bytes(), s.Bytes())
		again.Wipe()
		if !same {
			s.Wipe()
			return nil, errs.New(errs.PINMismatch)
		}
	}
	return s, nil
}

func (u *termUI) StaffConfirm() (bool, error) {
	L := u.e.Lang
	if u.staff {
		return true, nil
	}
	if u.fromStdin || !u.e.terminal() {
		fmt.Fprintln(u.e.Stderr, "shomei: "+i18n.T(L, "counter.confirm.flag"))
		return false, nil
	}
	return askYes(u.e, i18n.T(L, "counter.confirm.prompt", i18n.T(L, "pin."+string(u.resetPIN))))
}

func (u *termUI) Progress(p flow.Progress) {
	L := u.e.Lang
	if p.Result == nil {
		if u.progress {
			fmt.Fprintf(u.e.Stderr, "%s %s\n", bar(p.Done, p.Total), i18n.T(L, "sign.progress", p.Done+1, p.Total, p.Current))
		}
		return
	}
	if p.Result.OK() {
		fmt.Fprintln(u.e.Stderr, "  "+i18n.T(L, "sign.ok", p.Result.Output))
	} else {
		fmt.Fprintln(u.e.Stderr, "  "+i18n.T(L, "sign.failed", p.Result.Input, i18n.Error(L, p.Result.Err)))
	}
	if u.progress && p.Done == p.Total {
		fmt.Fprintln(u.e.Stderr, bar(p.Done, p.Total))
	}
}

// bar draws done/total as a 20-cell progress bar with its percentage.
func bar(done, total int) string {
	const cells = 20
	if total <= 0 {
		return ""
	}
	n := done * cells / total
	return "[" + strings.Repeat("#", n) + strings.Repeat("-", cells-n) + "] " + fmt.Sprintf("%3d%%", done*100/total)
}
