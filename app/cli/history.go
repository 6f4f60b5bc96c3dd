package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/safetext"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/internal/errs"
)

// filterFlags are the query options of list and export.
type filterFlags struct {
	kinds, since, until, grep *string
}

func addFilters(fs interface {
	String(name, value, usage string) *string
}) filterFlags {
	return filterFlags{
		kinds: fs.String("kind", "", ""),
		since: fs.String("since", "", ""),
		until: fs.String("until", "", ""),
		grep:  fs.String("grep", "", ""),
	}
}

func (f filterFlags) query(L i18n.Lang) (history.Query, error) {
	var q history.Query
	for _, k := range strings.Split(*f.kinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			q.Kinds = append(q.Kinds, k)
		}
	}
	var err error
	if q.Since, err = parseDate(L, *f.since, false); err != nil {
		return q, err
	}
	if q.Until, err = parseDate(L, *f.until, true); err != nil {
		return q, err
	}
	q.Text = *f.grep
	return q, nil
}

// parseDate reads YYYY-MM-DD as local midnight (the next midnight when
// endOfDay, so the day is included), or an RFC 3339 time as it is.
func parseDate(L i18n.Lang, s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, errs.New(errs.BadDate, s)
}

// openHistory opens the user's history for one command.
func openHistory(readOnly bool) (*history.Store, error) {
	path, err := history.Path()
	if err != nil {
		return nil, err
	}
	return history.Open(path, history.Options{ReadOnly: readOnly})
}

// historyFail prints why the history could not be used.
func historyFail(e *Env, err error, asJSON bool) int {
	if x := errs.From(err); x.Code == errs.Internal {
		err = history.Failure(err)
	}
	return failAs(e, err, asJSON)
}

func historyList(e *Env, fs *pflag.FlagSet) func(args []string) int {
	ff := addFilters(fs)
	limit := fs.Int("limit", 50, "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		q, err := ff.query(e.Lang)
		if err != nil {
			return fail(e, err)
		}
		q.Limit = *limit
		page := history.Page{Events: []history.Event{}}
		s, err := openHistory(true)
		switch {
		case errors.Is(err, history.ErrNoHistory):
		case err != nil:
			return historyFail(e, err, *asJSON)
		default:
			page, err = s.List(q)
			s.Close()
			if err != nil {
				return historyFail(e, err, *asJSON)
			}
		}
		if *asJSON {
			writeJSON(e.Stdout, page)
			return exitOK
		}
		if len(page.Events) == 0 {
			if q.Kinds == nil && q.Text == "" && q.Since.IsZero() && q.Until.IsZero() {
				fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "history.none"))
			} else {
				fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "history.nomatch"))
			}
			return exitOK
		}
		for _, ev := range page.Events {
			fmt.Fprintln(e.Stdout, eventLine(e.Lang, ev))
		}
		if page.Next != 0 {
			fmt.Fprintln(e.Stderr, i18n.T(e.Lang, "history.more"))
		}
		return exitOK
	}
}

// eventLine is one event for a person: number, local time, kind, outcome,
// interface and what it was about.
func eventLine(L i18n.Lang, ev history.Event) string {
	kind := ev.Kind
	if i18n.Has("history.kind." + kind) {
		kind = i18n.T(L, "history.kind."+kind)
	}
	out := ev.Outcome
	if i18n.Has("history.outcome." + out) {
		out = i18n.T(L, "history.outcome."+out)
	}
	line := fmt.Sprintf("#%-6d %s  %s  %s", ev.Seq, ev.Time.Local().Format("2006-01-02 15:04:05"), kind, out)
	if ev.Interface != "" {
		line += "  [" + ev.Interface + "]"
	}
	if s := eventSummary(L, ev); s != "" {
		line += "  " + s
	}
	return line
}

// str is a recorded text for display (file names are anyone's choice).
func str(d map[string]any, k string) string {
	s, _ := d[k].(string)
	return safetext.Show(s)
}

func num(d map[string]any, k string) int {
	f, _ := d[k].(float64)
	return int(f)
}

// eventSummary is what an event was about, by kind.
func eventSummary(L i18n.Lang, ev history.Event) string {
	d := ev.Data
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	pinName := func(id string) string {
		if i18n.Has("pin." + id) {
			return i18n.T(L, "pin."+id)
		}
		return id
	}
	switch ev.Kind {
	case history.KindSign:
		add(str(d, "file"))
		if f := str(d, "format"); f != "" {
			add("(" + f + " " + str(d, "level") + ")")
		}
		add(str(d, "signer"))
	case history.KindSignBatch:
		add(i18n.T(L, "history.batch", num(d, "total"), num(d, "signed")))
		add(str(d, "signer"))
	case history.KindPINChange, history.KindPINReset:
		add(pinName(str(d, "pin_id")))
		if _, ok := d["tries_left"]; ok {
			add(i18n.T(L, "history.tries_left", num(d, "tries_left")))
		}
	case history.KindPINLocked:
		if ps, ok := d["pins"].([]any); ok {
			for _, p := range ps {
				if s, ok := p.(string); ok {
					add(pinName(s))
				}
			}
		}
	case history.KindVerify:
		add(str(d, "file"))
		if sigs, ok := d["signatures"].([]any); ok {
			for _, s := range sigs {
				if m, ok := s.(map[string]any); ok {
					v := str(m, "indication")
					if sub := str(m, "sub_indication"); sub != "" {
						v += "/" + sub
					}
					add(v)
				}
			}
		}
	case history.KindConsent, history.KindConsentWithdraw:
		add(str(d, "service"))
		add(str(d, "business"))
		add(str(d, "decision"))
	case history.KindCheckpoint:
		add(i18n.T(L, "history.removed", num(d, "removed")))
	default:
		add(str(d, "file"))
	}
	return strings.Join(parts, "  ")
}

func historyExport(e *Env, fs *pflag.FlagSet) func(args []string) int {
	ff := addFilters(fs)
	format := fs.String("format", "", "")
	out := fs.String("out", "", "")
	overwrite := fs.Bool("overwrite", false, "")
	return func(args []string) int {
		if *out == "" {
			return usage(e, "cli.usage.needs", "--out")
		}
		if *format != "csv" && *format != "json" {
			return usage(e, "cli.usage.choice", *format, "csv, json")
		}
		q, err := ff.query(e.Lang)
		if err != nil {
			return fail(e, err)
		}
		s, err := openHistory(true)
		if err != nil && !errors.Is(err, history.ErrNoHistory) {
			return historyFail(e, err, false)
		}
		var storeErr error
		err = signing.WriteAtomic(*out, *overwrite, func(w io.Writer) error {
			if s == nil { // nothing recorded yet: an empty export
				return writeEmptyExport(w, history.Format(*format))
			}
			storeErr = s.Export(w, history.Format(*format), q, time.Local)
			return storeErr
		})
		if s != nil {
			s.Close()
		}
		var fe *signing.FileError
		switch {
		case errors.As(err, &fe) && fe.Code == signing.CodeExists:
			return fail(e, errs.New(errs.OutputExists))
		case storeErr != nil:
			return historyFail(e, storeErr, false)
		case err != nil:
			return fail(e, errs.Wrap(err, errs.ExportFailed))
		}
		os.Chmod(*out, 0o600) // the history is the user's own: not for other accounts
		fmt.Fprintln(e.Stderr, i18n.T(e.Lang, "history.export.done", *out))
		return exitOK
	}
}

func writeEmptyExport(w io.Writer, f history.Format) error {
	var err error
	if f == history.CSV {
		_, err = io.WriteString(w, "\uFEFFseq,time,kind,outcome,interface,app,file,data,prev,hash\n")
	} else {
		_, err = fmt.Fprintf(w, "{\n  \"schema\": %d,\n  \"head\": %q,\n  \"events\": []\n}\n", history.SchemaVersion, strings.Repeat("0", 64))
	}
	return err
}

func historyVerify(e *Env, fs *pflag.FlagSet) func(args []string) int {
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		var rep history.Report
		s, err := openHistory(true)
		switch {
		case errors.Is(err, history.ErrNoHistory):
			rep = history.Report{OK: true, Head: history.HeadInfo{Hash: strings.Repeat("0", 64)}}
		case err != nil:
			return historyFail(e, err, *asJSON)
		default:
			rep, err = s.Verify()
			s.Close()
			if err != nil {
				return historyFail(e, err, *asJSON)
			}
		}
		if *asJSON {
			writeJSON(e.Stdout, rep)
		} else {
			printHistoryReport(e, rep)
		}
		if !rep.OK {
			return exitError
		}
		return exitOK
	}
}

func printHistoryReport(e *Env, rep history.Report) {
	L := e.Lang
	if p := rep.Problem; p != nil {
		switch p.Kind {
		case history.ProblemEdited:
			fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.edited", p.Seq))
		case history.ProblemRemoved:
			fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.removed", p.Seq, p.To))
		case history.ProblemReordered:
			fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.reordered", p.Seq, p.To))
		default:
			fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.meta", p.Seq))
		}
	} else if rep.Events == 0 {
		fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.empty"))
	} else {
		fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.ok", rep.Events, rep.First, rep.Last))
		if rep.Base > 0 {
			fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.base", rep.Base))
		}
	}
	fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.head", rep.Head.Seq, rep.Head.Hash))
	if rep.OK && rep.Head.Seq > 0 {
		fmt.Fprintln(e.Stdout, i18n.T(L, "history.verify.note"))
	}
}

func historyPurge(e *Env, fs *pflag.FlagSet) func(args []string) int {
	before := fs.String("before", "", "")
	all := fs.Bool("all", false, "")
	yes := fs.Bool("yes", false, "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		if *before != "" && *all {
			return usage(e, "cli.usage.combo", "--before, --all")
		}
		if *before == "" && !*all {
			return usage(e, "cli.usage.needs", "--before / --all")
		}
		L := e.Lang
		cut, err := parseDate(L, *before, false)
		if err != nil {
			return fail(e, err)
		}
		if !*yes && e.terminal() {
			sure, err := askYes(e, i18n.T(L, "history.purge.prompt"))
			if err != nil {
				return fail(e, err)
			}
			if !sure {
				fmt.Fprintln(e.Stderr, i18n.T(L, "history.purge.no"))
				return exitError
			}
		}
		var res history.PurgeResult
		s, err := openHistory(false)
		if err != nil {
			return historyFail(e, err, *asJSON)
		}
		if *all {
			res, err = s.PurgeAll()
		} else {
			res, err = s.PurgeBefore(cut)
		}
		s.Close()
		if err != nil {
			return historyFail(e, err, *asJSON)
		}
		if *asJSON {
			writeJSON(e.Stdout, res)
			return exitOK
		}
		if res.Checkpoint == nil {
			fmt.Fprintln(e.Stdout, i18n.T(L, "history.purge.none"))
			return exitOK
		}
		fmt.Fprintln(e.Stdout, i18n.T(L, "history.purge.done", res.Removed, res.Checkpoint.Seq))
		return exitOK
	}
}
