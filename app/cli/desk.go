package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/desk"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
)

// counterView reads the card in reader (status only) and assesses it.
func counterView(e *Env, reader string) desk.View {
	st, err := e.flows().Status(reader)
	return desk.Probe(desk.Assess(st, err, time.Now()), e.Cards)
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

func counterReset(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	fromStdin := fs.Bool("pin-stdin", false, "")
	confirmed := fs.Bool("staff-confirmed", false, "")
	asJSON := fs.Bool("json", false, "")
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
		// What can be refused is refused before anything is asked or sent.
		if err := desk.CanReset(v, id); err != nil {
			return failAs(e, err, *asJSON)
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "counter.reset.title", i18n.T(L, "pin."+string(id)), i18n.PINRule(L, string(id))))
		ui := &termUI{e: e, fromStdin: *fromStdin, staff: *confirmed, resetPIN: id}
		if _, err := e.flows().DeskReset(ui, v, id, time.Now()); err != nil {
			return failAs(e, err, *asJSON)
		}
		if *asJSON {
			writeJSON(e.Stdout, map[string]any{"reset": string(id)})
		} else {
			fmt.Fprintln(e.Stdout, i18n.T(L, "counter.reset.done", i18n.T(L, "pin."+string(id))))
		}
		return exitOK
	}
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
		tty := !*asJSON && e.OutIsTerminal != nil && e.OutIsTerminal()
		emit := func(ev watchEvent) {
			if *asJSON {
				b, _ := json.Marshal(ev)
				fmt.Fprintln(e.Stdout, string(b))
				return
			}
			if ev.Event == "cleared" {
				if tty {
					// Home, erase the screen and the scrollback (ESC[3J): the
					// previous citizen must not be a scroll away.
					fmt.Fprint(e.Stdout, "\033[H\033[2J\033[3J")
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
