package history_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/history"
)

// CSV export: a BOM, a header, one row per matching event oldest first,
// Japanese intact, formula-looking cells defused, the data column as JSON.
// JSON export: the head hash and the events as List returns them.
func TestExport(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "h.db"))
	for i := 0; i < 4; i++ {
		s.Append(signEvent(i, t0.Add(time.Duration(i)*time.Hour)))
	}
	s.Append(history.Event{Time: t0.Add(5 * time.Hour), Kind: history.KindVerify, Outcome: history.OutcomeOK,
		Data: map[string]any{"file": "=HYPERLINK(\"x\").pdf", "signatures": []any{map[string]any{"indication": "INDETERMINATE", "sub_indication": "NO_CERTIFICATE_CHAIN_FOUND"}}}})

	var buf bytes.Buffer
	if err := s.Export(&buf, history.CSV, history.Query{Since: t0.Add(time.Hour)}, time.FixedZone("JST", 9*3600)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
		t.Error("no BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || strings.Join(rows[0], ",") != "seq,time,kind,outcome,interface,app,file,data,prev,hash" {
		t.Fatalf("rows: %v", rows)
	}
	if rows[1][0] != "2" || rows[1][1] != "2026-04-01T19:00:00+09:00" || rows[1][6] != "契約書-00001.pdf" {
		t.Errorf("first row: %v", rows[1])
	}
	if rows[4][6] != `'=HYPERLINK("x").pdf` {
		t.Errorf("formula cell: %q", rows[4][6])
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(rows[4][7]), &data); err != nil || data["signatures"] == nil {
		t.Errorf("data column %q: %v", rows[4][7], err)
	}

	buf.Reset()
	if err := s.Export(&buf, history.JSON, history.Query{Kinds: []string{history.KindSign}}, nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema int             `json:"schema"`
		Head   string          `json:"head"`
		Events []history.Event `json:"events"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	head, _ := s.Head()
	list, _ := s.List(history.Query{Kinds: []string{history.KindSign}})
	if doc.Schema != 1 || doc.Head != head.Hash || len(doc.Events) != 4 {
		t.Fatalf("json export: schema %d head %s, %d events", doc.Schema, doc.Head, len(doc.Events))
	}
	for i, ev := range doc.Events {
		want := list.Events[len(list.Events)-1-i]
		if ev.Seq != want.Seq || ev.Hash != want.Hash || !ev.Time.Equal(want.Time) || ev.Data["file"] != want.Data["file"] {
			t.Errorf("event %d: %+v, want %+v", i, ev, want)
		}
	}
	buf.Reset()
	s.Export(&buf, history.JSON, history.Query{Kinds: []string{"none"}}, nil)
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Events) != 0 {
		t.Errorf("empty export: %v %s", err, buf.String())
	}
	if err := s.Export(&buf, "xml", history.Query{}, nil); err == nil {
		t.Error("unknown format accepted")
	}
}
