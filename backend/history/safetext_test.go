package history_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/history"
)

// A file name chosen to drive a terminal or reverse text is recorded as
// it is, but no export carries a control or direction character: CSV
// shows it escaped, JSON escapes it (and still decodes to the name).
func TestExportDefusesText(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "h.db"))
	name := "契約\x1b[2K\x1b[32m有効\u009b\u202efdp.exe"
	if _, err := s.Append(history.Event{Time: t0, Kind: history.KindVerify, Outcome: history.OutcomeOK, Data: map[string]any{"file": name}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []history.Format{history.CSV, history.JSON} {
		var buf bytes.Buffer
		if err := s.Export(&buf, f, history.Query{}, nil); err != nil {
			t.Fatal(err)
		}
		if buf.Len() == 0 {
			t.Fatalf("%s: empty export", f)
		}
		for _, bad := range []string{"\x1b", "\u009b", "\u202e"} {
			if strings.Contains(buf.String(), bad) {
				t.Errorf("%s export holds %q", f, bad)
			}
		}
		if f == history.JSON {
			var doc struct {
				Events []history.Event `json:"events"`
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Events) != 1 || doc.Events[0].Data["file"] != name {
				t.Errorf("JSON export does not decode to the recorded name: %v %+v", err, doc)
			}
		}
	}
}
