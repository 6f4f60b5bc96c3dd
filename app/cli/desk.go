package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/shomei-app/shomei/internal/errs"
	"github.com/spf13/pflag"
	"time"

	"github.com/shomei-app/shomei/backend/desk"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
)

// counterView reads the card in reader (status only) and assesses it.
func counterView(e *Env, reader string) desk.View {
	st, err := e.Cards.Status(reader)
	if err == nil {
		recordLocks(e, st)
	}
	return desk.Assess(st, err, time.Now())
}

func counterStatus(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		v := counterView(e, *reader)
		if *asJSON {
			writeJSON(e.Stdout, map[string]any{"view": v, "line": v.Line(e.Lang)})
			return exitOK
		}
		for _, l := range v.Lines(e.Lang) {
			fmt.Fprintln(e.Stdout, l)
		}
		return exitOK
	}
}

// readResetCode reads the reset code like a PIN (no echo, or a stdin line)
// and checks it is 8 printable ASCII characters; the input is wiped on error.
func readResetCode(e *Env, src *pinSource) ([]byte, error) {
	raw, err := src.read(i18n.T(e.Lang, "counter.code.prompt"))
	if err != nil {
		return nil, err
	}
	code := bytes.TrimSpace(raw)
	ok := len(code) == 8
	for _, c := range code {
		ok = ok && c > ' ' && c < 0x7F
	}
	if !ok {
		for i := range raw {
			raw[i] = 0
		}
		return nil, errs.New(errs.ResetCodeFormat)
	}
	return code, nil
}

func counterReset(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	fromStdin := fs.Bool("pin-stdin", false, "")
	confirmed := fs.Bool("staff-confirmed", false, "")
	return func(args []string) int {
		pos := args
		id, err := pin.ParseID(pos[0])
		if err != nil {
			return usage(e, "cli.usage.choice", pos[0], "sign, auth, text, juki")
		}
		L := e.Lang
		v := counterView(e, *reader)
		for _, l := range v.Lines(L) {
			fmt.Fprintln(e.Stderr, l)
		}
		now := time.Now()
		// What can be refused is refused before anything is asked or sent.
		if err := desk.CanReset(v, id); err != nil {
			return counterFail(e, err)
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "counter.reset.title", i18n.T(L, "pin."+string(id)), i18n.PINRule(L, string(id))))
		ok := *confirmed
		if !ok {
			if *fromStdin || e.IsTerminal == nil || !e.IsTerminal() {
				fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "counter.confirm.flag"))
				return counterFail(e, desk.ErrNotConfirmed)
			}
			ok = askYes(e, i18n.T(L, "counter.confirm.prompt", i18n.T(L, "pin."+string(id))))
		}
		if !ok {
			return counterFail(e, desk.ErrNotConfirmed)
		}
		src, err := newPINSource(e, *fromStdin)
		if err != nil {
			fail(e, err)
			return exitUsage
		}
		code, err := readResetCode(e, src)
		if err != nil {
			return fail(e, err)
		}
		next, err := src.ask(id, i18n.T(L, "change.new"))
		if err != nil {
			for i := range code {
				code[i] = 0
			}
			return fail(e, err)
		}
		if src.stdin == nil {
			again, err := src.ask(id, i18n.T(L, "change.again"))
			if err != nil {
				next.Wipe()
				return fail(e, err)
			}
			same := bytes.Equal(again.Bytes(), next.Bytes())
			again.Wipe()
			if !same {
				next.Wipe()
				return fail(e, errs.New(errs.PINMismatch))
			}
		}
		out, err := desk.Reset(e.Cards, v, id, code, next, true, now)
		record(e, history.Event{Kind: history.KindPINReset, Outcome: out.Result,
			Data: map[string]any{"pin_id": string(id), "mode": "counter", "reader": v.Reader, "test_card": v.TestCard}})
		if err != nil {
			return counterFail(e, err)
		}
		fmt.Fprintln(e.Stdout, i18n.T(L, "counter.reset.done", i18n.T(L, "pin."+string(id))))
		return exitOK
	}
}

// counterFail explains a reset refusal or failure.
func counterFail(e *Env, err error) int {
	L := e.Lang
	var key string
	switch {
	case errors.Is(err, desk.ErrNotConfirmed):
		key = "counter.err.not_confirmed"
	case errors.Is(err, desk.ErrRealCard):
		key = "counter.err.real_card"
	case errors.Is(err, desk.ErrNoSuchPIN):
		key = "counter.err.no_pin"
	case errors.Is(err, desk.ErrNoCard):
		key = "counter.err.no_card"
	case errors.Is(err, cardio.ErrUnsupported):
		key = "counter.err.unsupported"
	case errors.Is(err, cardio.ErrPINWrong):
		var ce *cardio.Error
		errors.As(err, &ce)
		fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "counter.err.wrong_code", ce.TriesLeft))
		return exitError
	default:
		return fail(e, err)
	}
	fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, key))
	return exitError
}

// watchEvent is one line of `counter watch --json`.
type watchEvent struct {
	Event  string     `json:"event"` // shown, cleared
	Reason string     `json:"reason,omitempty"`
	View   *desk.View `json:"view,omitempty"`
	Line   string     `json:"line,omitempty"`
}

// counterWatch is counter mode at a terminal: each card put on the reader
// is shown; its removal, or Enter for the next person, clears the screen.
func counterWatch(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		L := e.Lang
		tty := !*asJSON && e.IsTerminal != nil && e.IsTerminal()
		emit := func(ev watchEvent) {
			if *asJSON {
				b, _ := json.Marshal(ev)
				fmt.Fprintln(e.Stdout, string(b))
				return
			}
			if ev.Event == "cleared" {
				if tty {
					fmt.Fprint(e.Stdout, "\033[2J\033[H") // erase the screen and its scrollback position
				}
				fmt.Fprintln(e.Stdout, i18n.T(L, "counter.cleared."+ev.Reason))
				return
			}
			for _, l := range ev.View.Lines(L) {
				fmt.Fprintln(e.Stdout, l)
			}
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "counter.watch.start"))
		next := make(chan struct{})
		go func() {
			in := bufio.NewScanner(e.Stdin)
			for in.Scan() {
				next <- struct{}{}
			}
		}()
		var desk desk.Desk
		events := pcsc.Watch(e.Ctx)
		for {
			select {
			case <-e.Ctx.Done():
				desk.Next()
				return exitOK
			case <-next:
				desk.Next()
				emit(watchEvent{Event: "cleared", Reason: "next"})
			case ev, ok := <-events:
				if !ok {
					return exitOK
				}
				if *reader != "" && ev.Reader != *reader {
					continue
				}
				switch ev.Kind {
				case pcsc.CardInserted:
					v := counterView(e, ev.Reader)
					desk.Show(v)
					emit(watchEvent{Event: "shown", View: &v, Line: v.Line(L)})
				case pcsc.CardRemoved, pcsc.ReaderRemoved:
					if desk.CardRemoved(ev.Reader) {
						emit(watchEvent{Event: "cleared", Reason: "card_removed"})
					}
				}
			}
		}
	}
}
