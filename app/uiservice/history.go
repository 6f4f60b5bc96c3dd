package uiservice

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/safetext"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio"
)

func features() []string { return []string{"verify", "history", "trust"} }

func (s *Service) historyPath() string { return filepath.Join(s.cfg.DataDir, history.FileName) }

// record appends events to the history, stamped with this version and the
// shell. Recording never changes an operation's result: a failure is
// logged and announced to the UI (EventHistoryWarn).
func (s *Service) record(evs ...history.Event) {
	iface := history.InterfaceWeb
	if s.cfg.Mode == "desktop" {
		iface = history.InterfaceDesktop
	}
	for i := range evs {
		evs[i].App = Version
		evs[i].Interface = iface
	}
	if _, err := history.Record(s.historyPath(), evs...); err != nil {
		s.logf("history: %v", err)
		s.emit(EventHistoryWarn, map[string]string{"message": i18n.T(s.lang(), "history.warn", s.historyReason(err))})
	}
}

// EventHistoryWarn says an operation could not be recorded: {message}.
const EventHistoryWarn = "history.warn"

func (s *Service) historyReason(err error) string { return i18n.Error(s.lang(), history.Failure(err)) }

// HistoryQuery filters the history table.
type HistoryQuery struct {
	Op     string    `json:"op,omitempty"`     // sign | verify | pin_change | consent | "" (all)
	Result string    `json:"result,omitempty"` // ok | error | "" (all)
	Text   string    `json:"text,omitempty"`
	From   time.Time `json:"from,omitempty"`
	To     time.Time `json:"to,omitempty"`
	Limit  int       `json:"limit,omitempty"` // default 500
}

// HistoryRow is one event as the table shows it.
type HistoryRow struct {
	Seq     uint64 `json:"seq"`
	Time    string `json:"time"`
	Kind    string `json:"kind"`
	Op      string `json:"op"`     // the kind, in the UI language
	Result  string `json:"result"` // ok, or what went wrong, in the UI language
	OK      bool   `json:"ok"`
	File    string `json:"file,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Channel string `json:"interface,omitempty"`
}

// HistoryPage is the table and whether the chain verifies.
type HistoryPage struct {
	Records      []HistoryRow `json:"records"`
	Total        int          `json:"total"`
	More         bool         `json:"more"`
	ChainOK      bool         `json:"chain_ok"`
	ChainMessage string       `json:"chain_message"`
	Head         string       `json:"head"`
}

func (q HistoryQuery) store() history.Query {
	hq := history.Query{Text: strings.TrimSpace(q.Text), Since: q.From}
	if !q.To.IsZero() {
		hq.Until = q.To
	}
	switch q.Op {
	case "sign":
		hq.Kinds = []string{history.KindSign, history.KindSignBatch}
	case "pin_change":
		hq.Kinds = []string{history.KindPINChange, history.KindPINReset, history.KindPINLocked}
	case "consent":
		hq.Kinds = []string{history.KindConsent, history.KindConsentWithdraw}
	case "":
	default:
		hq.Kinds = []string{q.Op}
	}
	return hq
}

func okOutcome(o string) bool { return o == history.OutcomeOK || o == "passed" }

func (s *Service) historyErr(err error) error {
	return &Error{Code: "history", Message: s.historyReason(err)}
}

// History lists events, newest first, and verifies the whole chain.
func (s *Service) History(q HistoryQuery) (*HistoryPage, error) {
	L := s.lang()
	page := &HistoryPage{Records: []HistoryRow{}, ChainOK: true, ChainMessage: i18n.T(L, "history.verify.empty")}
	limit := q.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	err := history.Do(s.historyPath(), history.Options{ReadOnly: true}, func(st *history.Store) error {
		rep, err := st.Verify()
		if err != nil {
			return err
		}
		page.ChainOK, page.ChainMessage, page.Head = rep.OK, chainMessage(L, rep), rep.Head.Hash
		hq := q.store()
		for {
			p, err := st.List(hq)
			if err != nil {
				return err
			}
			for _, ev := range p.Events {
				row := s.row(L, ev)
				if (q.Result == "ok" && !row.OK) || (q.Result == "error" && row.OK) {
					continue
				}
				if len(page.Records) == limit {
					page.More = true
					return nil
				}
				page.Records = append(page.Records, row)
			}
			if p.Next == 0 {
				return nil
			}
			hq.Before = p.Next
		}
	})
	if errors.Is(err, history.ErrNoHistory) {
		return page, nil
	}
	if err != nil {
		return nil, s.historyErr(err)
	}
	page.Total = len(page.Records)
	return page, nil
}

func chainMessage(L i18n.Lang, rep history.Report) string {
	if rep.Problem == nil {
		if rep.Events == 0 {
			return i18n.T(L, "history.verify.empty")
		}
		return i18n.T(L, "history.verify.ok", rep.Events, rep.First, rep.Last)
	}
	p := rep.Problem
	switch p.Kind {
	case history.ProblemEdited:
		return i18n.T(L, "history.verify.edited", p.Seq)
	case history.ProblemRemoved:
		return i18n.T(L, "history.verify.removed", p.Seq, p.To)
	case history.ProblemReordered:
		return i18n.T(L, "history.verify.reordered", p.Seq, p.To)
	}
	return i18n.T(L, "history.verify.meta", p.Seq)
}

// str is a recorded text for display (file names are anyone's choice).
func str(v any) string {
	if s, ok := v.(string); ok {
		return safetext.Show(s)
	}
	return ""
}

func (s *Service) row(L i18n.Lang, ev history.Event) HistoryRow {
	r := HistoryRow{Seq: ev.Seq, Time: ev.Time.Format(time.RFC3339), Kind: ev.Kind, Op: i18n.T(L, "history.kind."+ev.Kind), OK: okOutcome(ev.Outcome), File: str(ev.Data["file"]), Channel: ev.Interface}
	switch {
	case ev.Outcome == "":
	case i18n.Has("history.outcome." + ev.Outcome):
		r.Result = i18n.T(L, "history.outcome."+ev.Outcome)
	case i18n.Has("file." + ev.Outcome):
		r.Result = i18n.T(L, "file."+ev.Outcome)
	case i18n.Has("err." + ev.Outcome):
		r.Result = i18n.T(L, "err."+ev.Outcome)
		if ev.Outcome == string(cardio.CodePINWrong) || ev.Outcome == string(cardio.CodeStateChanged) {
			if n, ok := ev.Data["tries_left"].(float64); ok {
				r.Result = i18n.Error(L, &cardio.Error{Code: cardio.Code(ev.Outcome), TriesLeft: int(n)})
			} else {
				// The sentence wants the tries left, which this event lacks
				// (a counter reset's wrong reset code, for one).
				r.Result = i18n.T(L, "history.outcome."+ev.Outcome+".past")
				if ev.Kind == history.KindPINReset {
					r.Result = i18n.T(L, "history.outcome.reset_code_wrong")
				}
			}
		}
	case i18n.Has("verify.file." + strings.ToUpper(ev.Outcome)):
		r.Result = i18n.T(L, "verify.file."+strings.ToUpper(ev.Outcome))
	default:
		r.Result = i18n.T(L, "history.outcome.failed") // never a raw code
	}
	var d []string
	switch ev.Kind {
	case history.KindSign:
		if k := "history.format." + str(ev.Data["format"]); i18n.Has(k) {
			d = append(d, i18n.T(L, k))
		}
		if str(ev.Data["level"]) == "b-t" {
			d = append(d, i18n.T(L, "history.level.b-t"))
		}
		if o := str(ev.Data["output"]); o != "" {
			d = append(d, "→ "+filepath.Base(o))
		}
	case history.KindSignEgov:
		if files, ok := ev.Data["files"].([]any); ok {
			d = append(d, i18n.T(L, "history.files", len(files)))
		}
		if z := str(ev.Data["zip"]); z != "" {
			d = append(d, "→ "+filepath.Base(z))
		}
	case history.KindSignDigest:
		n, _ := ev.Data["count"].(float64)
		d = append(d, i18n.T(L, "history.digests", int(n)))
		if str(ev.Data["key"]) == "auth" {
			d = append(d, i18n.T(L, "history.key.auth"))
		}
	case history.KindSignBatch:
		t, _ := ev.Data["total"].(float64)
		n, _ := ev.Data["signed"].(float64)
		d = append(d, i18n.T(L, "history.batch", int(t), int(n)))
	case history.KindPINChange, history.KindPINReset:
		d = append(d, i18n.T(L, "pin."+str(ev.Data["pin_id"])))
		if str(ev.Data["mode"]) == "counter" {
			d = append(d, i18n.T(L, "history.mode.counter"))
		}
	case history.KindConsent, history.KindConsentWithdraw:
		d = append(d, str(ev.Data["service"]))
		if dec := str(ev.Data["decision"]); dec != "" && ev.Kind == history.KindConsent {
			d = append(d, "("+i18n.T(L, "consent.decision."+dec)+")")
		}
		if o := str(ev.Data["output"]); o != "" {
			d = append(d, "→ "+filepath.Base(o))
		}
	case history.KindPINLocked:
		if ps, ok := ev.Data["pins"].([]any); ok {
			for _, p := range ps {
				d = append(d, i18n.T(L, "pin."+str(p)))
			}
		}
	case history.KindVerify:
		if sigs, ok := ev.Data["signatures"].([]any); ok {
			d = append(d, i18n.T(L, "history.signatures", len(sigs)))
		}
	}
	if tc, _ := ev.Data["test_card"].(bool); tc {
		d = append(d, i18n.T(L, "history.test_card"))
	}
	r.Detail = strings.TrimSpace(strings.Join(d, " "))
	return r
}

// ExportRequest chooses an export's format and the events in it.
type ExportRequest struct {
	Format string       `json:"format"` // csv | json
	Query  HistoryQuery `json:"query"`
}

// ExportHistory writes the matching events (oldest first) to a new file
// and returns it.
func (s *Service) ExportHistory(req ExportRequest) (*FileInfo, error) {
	f := history.Format(req.Format)
	if f != history.CSV && f != history.JSON {
		return nil, s.userErr("bad_request", "api.bad_request")
	}
	name := "shomei-history-" + s.now().Format("20060102-150405") + "." + req.Format
	out, err := s.cfg.Files.NewOutput(name)
	if err != nil {
		return nil, s.fail("export", err)
	}
	var n int64
	err = history.Do(s.historyPath(), history.Options{ReadOnly: true}, func(st *history.Store) error {
		return signing.WriteAtomic(out, false, func(w io.Writer) error {
			cw := &countWriter{w: w}
			err := st.Export(cw, f, req.Query.store(), time.Local)
			n = cw.n
			return err
		})
	})
	if errors.Is(err, history.ErrNoHistory) {
		return nil, &Error{Code: "history_empty", Message: i18n.T(s.lang(), "history.none")}
	}
	if err != nil {
		s.logf("export: %v", err)
		return nil, &Error{Code: "export_failed", Message: i18n.T(s.lang(), "history.export.failed")}
	}
	return &FileInfo{Ref: s.cfg.Files.Ref(out), Name: filepath.Base(out), Size: n}, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
