package cli

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/advisor"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/pin"
)

// yesNo reads a yes/no answer ("" when not given).
func yesNo(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "はい", "true":
		return true, true
	case "no", "n", "いいえ", "false":
		return false, true
	}
	return false, false
}

// cmdPINAdvise says how to get locked or forgotten PINs back. It reads the
// card's status only (no VERIFY: no try is ever used) and asks the person
// what the card cannot tell, only what matters for their case.
func cmdPINAdvise(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	remember := fs.String("remember", "", "")
	nfc := fs.String("nfc-phone", "", "")
	camera := fs.String("camera", "", "")
	photo := fs.String("clear-photo", "", "")
	birth := fs.String("birth-date", "", "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		L := e.Lang
		st, err := e.flows().Status(*reader)
		if err != nil {
			if *asJSON {
				return failJSON(e, err)
			}
			return fail(e, err)
		}
		interactive := e.IsTerminal != nil && e.IsTerminal()
		in := bufio.NewReader(e.Stdin)
		ask := func(key string, args ...any) (bool, bool) {
			if !interactive {
				return false, false
			}
			for range 3 {
				fmt.Fprint(e.Stderr, i18n.T(L, key, args...)+" [yes/no]: ")
				line, err := in.ReadString('\n')
				if v, ok := yesNo(line); ok {
					return v, true
				}
				if err != nil {
					break
				}
			}
			return false, false
		}
		missing := func(flag string) int {
			return usage(e, "advise.missing", flag)
		}

		a := advisor.Answers{Remembers: map[pin.ID]bool{}}
		// Which PINs are remembered matters only for those not locked.
		if *remember != "" {
			for _, s := range strings.Split(*remember, ",") {
				s = strings.TrimSpace(s)
				if s == "none" || s == "" {
					continue
				}
				id, err := pin.ParseID(s)
				if err != nil {
					fmt.Fprintln(e.Stderr, "shomei: --remember:", err)
					return exitUsage
				}
				a.Remembers[id] = true
			}
		} else {
			for _, id := range pin.All {
				p := st.PINs[id]
				if !p.Available || p.Locked {
					continue
				}
				v, ok := ask("advise.q.remember", i18n.T(L, "pin."+string(id)))
				if !ok {
					return missing("--remember sign,auth,text,juki|none")
				}
				a.Remembers[id] = v
			}
		}
		flags := map[string]struct{ flag, val string }{"nfc_phone": {"--nfc-phone", *nfc}, "birth_date_printed": {"--birth-date", *birth},
			"camera": {"--camera", *camera}, "clear_photo": {"--clear-photo", *photo}}
		for _, q := range advisor.FollowUps(st, a.Remembers) {
			f := flags[q.ID]
			if f.val != "" {
				v, ok := yesNo(f.val)
				if !ok {
					return usage(e, "cli.usage.choice", f.val, "yes, no")
				}
				q.Set(&a, v)
				continue
			}
			v, ok := ask(q.Key)
			if !ok {
				return missing(f.flag + " yes|no")
			}
			q.Set(&a, v)
		}
		input := advisor.FromStatus(st, a)
		adv := advisor.Advise(input)
		lines := adv.Lines(L)
		if *asJSON {
			writeJSON(e.Stdout, map[string]any{"test_card": st.TestCard, "input": input, "advice": adv, "lines": lines})
			return exitOK
		}
		if st.TestCard {
			fmt.Fprintf(e.Stdout, "*** %s ***\n", i18n.T(L, "status.testcard"))
		}
		for _, l := range lines {
			fmt.Fprintln(e.Stdout, l)
		}
		return exitOK
	}
}
