package consent

import (
	"errors"
	"sort"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
)

// Row is one consent as the history knows it: signed or refused, and
// withdrawn when a withdrawal names its hash.
type Row struct {
	Seq           uint64 `json:"seq"`
	Service       string `json:"service"`
	Business      string `json:"business"`
	Decision      string `json:"decision"` // agree | disagree
	DecisionText  string `json:"decision_text"`
	Date          string `json:"date"` // YYYY-MM-DD (JST)
	ValidUntil    string `json:"valid_until,omitempty"`
	Estimated     bool   `json:"validity_estimated,omitempty"`
	WithdrawnOn   string `json:"withdrawn_on,omitempty"`
	State         string `json:"state"` // valid until…, withdrawn on…, not signed: in words
	ConsentSHA256 string `json:"consent_sha256,omitempty"`
	Output        string `json:"output,omitempty"` // as recorded: a name (older command lines: a path)
	OutputPath    string `json:"-"`                // where it was written (command line, desktop)
	RecordedRef   string `json:"-"`                // the browser UI's reference, as recorded
}

// HistoryData is what the history keeps of a consent document, in every
// shell: the service, the business, the platform operator and the
// document's digest (never its text or the holder's data).
func (p *Parsed) HistoryData() map[string]any {
	d := p.Doc
	data := map[string]any{"service": d.Service.Name, "business": d.Business.Name, "platform_operator": d.PlatformOperator.Name, "document_sha256": p.SHA256}
	if d.Service.ID != "" {
		data["service_id"] = d.Service.ID
	}
	return data
}

// List reads the consents from the history at path, oldest first; no
// history yet is an empty list.
func List(path string, lang i18n.Lang) ([]Row, error) {
	var evs []history.Event
	err := history.Do(path, history.Options{ReadOnly: true}, func(st *history.Store) error {
		q := history.Query{Kinds: []string{history.KindConsent, history.KindConsentWithdraw}}
		for {
			p, err := st.List(q)
			if err != nil {
				return err
			}
			evs = append(evs, p.Events...)
			if p.Next == 0 {
				return nil
			}
			q.Before = p.Next
		}
	})
	if errors.Is(err, history.ErrNoHistory) {
		return []Row{}, nil
	}
	if err != nil {
		return nil, err
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].Seq < evs[j].Seq })
	str := func(d map[string]any, k string) string { s, _ := d[k].(string); return s }
	rows := []Row{}
	byHash := map[string]int{}
	for _, ev := range evs {
		if ev.Outcome != history.OutcomeOK {
			continue
		}
		d := ev.Data
		switch ev.Kind {
		case history.KindConsent:
			r := Row{Seq: ev.Seq, Service: str(d, "service"), Business: str(d, "business"), Decision: str(d, "decision"), Date: str(d, "date"),
				ValidUntil: str(d, "valid_until"), ConsentSHA256: str(d, "consent_sha256"), Output: str(d, "output"), OutputPath: str(d, "output_path"), RecordedRef: str(d, "ref")}
			r.Estimated, _ = d["validity_estimated"].(bool)
			if r.ConsentSHA256 != "" {
				byHash[r.ConsentSHA256] = len(rows)
			}
			rows = append(rows, r)
		case history.KindConsentWithdraw:
			if i, ok := byHash[str(d, "consent_sha256")]; ok {
				rows[i].WithdrawnOn = str(d, "date")
			}
		}
	}
	for i := range rows {
		r := &rows[i]
		r.DecisionText = i18n.T(lang, "consent.decision."+r.Decision)
		switch {
		case r.WithdrawnOn != "":
			r.State = i18n.T(lang, "consent.list.withdrawn", r.WithdrawnOn)
		case r.Decision == string(Agree):
			r.State = i18n.T(lang, "consent.list.valid", r.ValidUntil)
		default:
			r.State = i18n.T(lang, "consent.list.refused")
		}
	}
	return rows, nil
}
