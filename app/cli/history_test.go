package cli_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
)

// fillHistory records n sign events in the data directory's history.
func fillHistory(t *testing.T, dir string, n int, at time.Time) string {
	t.Helper()
	path := filepath.Join(dir, history.FileName)
	var evs []history.Event
	for i := 1; i <= n; i++ {
		evs = append(evs, history.Event{Time: at.Add(time.Duration(i) * 24 * time.Hour), Kind: history.KindSign, Outcome: history.OutcomeOK,
			Interface: history.InterfaceDesktop, App: "test", Data: map[string]any{"file": fmt.Sprintf("書類%d.pdf", i), "signer": "署名 花子"}})
	}
	if _, err := history.Record(path, evs...); err != nil {
		t.Fatal(err)
	}
	return path
}

func seqKey(seq uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, seq)
	return k
}

// `shomei history verify` reports an intact chain with its head hash, and
// the first event edited, deleted or swapped in the file, in both languages,
// with exit code 1.
func TestHistoryVerifyCLI(t *testing.T) {
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		edit   func(ev *bolt.Bucket)
		en, ja string
	}{
		{"edited", func(ev *bolt.Bucket) {
			v := append([]byte(nil), ev.Get(seqKey(3))...)
			i := strings.Index(string(v), "書類3")
			copy(v[i:], "書類9")
			ev.Put(seqKey(3), v)
		}, "Tampering found: event #3 was altered.", "改ざんを検出しました: 記録 #3 が書き換えられています。"},
		{"deleted", func(ev *bolt.Bucket) { ev.Delete(seqKey(4)) },
			"Tampering found: events #4 to #4 were removed.", "記録 #4〜#4 が削除されています。"},
		{"swapped", func(ev *bolt.Bucket) {
			a, b := append([]byte(nil), ev.Get(seqKey(2))...), append([]byte(nil), ev.Get(seqKey(5))...)
			ev.Put(seqKey(2), b)
			ev.Put(seqKey(5), a)
		}, "Tampering found: events were reordered (#5 sits at the place of #2).", "記録の順序が入れ替えられています（#2 の位置に #5）。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := dataDir(t)
			path := fillHistory(t, dir, 6, base)
			r := shomei(t, i18n.EN, nil, "history", "verify")
			if r.code != 0 || !strings.Contains(r.stdout, "The history is intact (6 events, #1 to #6).") {
				t.Fatalf("before: %+v", r)
			}
			head := strings.Fields(strings.SplitN(r.stdout, "Head hash (#6): ", 2)[1])[0]
			if len(head) != 64 {
				t.Fatalf("head %q", head)
			}
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *bolt.Tx) error { c.edit(tx.Bucket([]byte("events"))); return nil })
			db.Close()
			r = shomei(t, i18n.EN, nil, "history", "verify")
			if r.code != 1 || !strings.Contains(r.stdout, c.en) || !strings.Contains(r.stdout, head) {
				t.Errorf("en: %+v", r)
			}
			if r := shomei(t, i18n.JA, nil, "history", "verify"); r.code != 1 || !strings.Contains(r.stdout, c.ja) || !strings.Contains(r.stdout, "最新のハッシュ（#6）: "+head) {
				t.Errorf("ja: %+v", r)
			}
			r = shomei(t, i18n.EN, nil, "history", "verify", "--json")
			var rep history.Report
			if r.code != 1 || json.Unmarshal([]byte(r.stdout), &rep) != nil || rep.OK || rep.Problem == nil || rep.Head.Hash != head {
				t.Errorf("json: %+v", r)
			}
		})
	}
}

// Listing with filters and paging, export (refusing to replace a file
// without --overwrite), purge before a date and purge all, bad dates, and
// an empty history.
func TestHistoryCommands(t *testing.T) {
	dir := dataDir(t)
	if r := shomei(t, i18n.EN, nil, "history"); r.code != 0 || r.stdout != "The history is empty.\n" {
		t.Fatalf("empty: %+v", r)
	}
	if r := shomei(t, i18n.EN, nil, "history", "verify"); r.code != 0 || !strings.Contains(r.stdout, "The history is empty.") {
		t.Fatalf("verify empty: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, history.FileName)); err == nil {
		t.Fatal("reading an empty history created the file")
	}
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.Local)
	fillHistory(t, dir, 60, base) // one a day from 2026-01-02

	r := shomei(t, i18n.EN, nil, "history")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 50 || !strings.HasPrefix(lines[0], "#60 ") || !strings.Contains(r.stderr, "--limit 0") {
		t.Fatalf("default list: %d lines, %+v", len(lines), r.stderr)
	}
	if !strings.Contains(lines[0], "2026-03-02 09:00:00  signature  ok  [desktop]  書類60.pdf  署名 花子") {
		t.Errorf("line: %q", lines[0])
	}
	r = shomei(t, i18n.JA, nil, "history", "--limit", "1")
	if !strings.Contains(r.stdout, "署名  成功  [desktop]  書類60.pdf") {
		t.Errorf("ja line: %q", r.stdout)
	}
	r = shomei(t, i18n.EN, nil, "history", "--since", "2026-01-10", "--until", "2026-01-12", "--json")
	var page history.Page
	if json.Unmarshal([]byte(r.stdout), &page) != nil || len(page.Events) != 3 || page.Events[0].Data["file"] != "書類11.pdf" {
		t.Errorf("date range: %+v", r)
	}
	r = shomei(t, i18n.EN, nil, "history", "--grep", "書類5", "--kind", "sign,verify", "--limit", "0", "--json")
	if json.Unmarshal([]byte(r.stdout), &page) != nil || len(page.Events) != 11 {
		t.Errorf("grep: %d events, %+v", len(page.Events), r.stderr)
	}
	if r := shomei(t, i18n.EN, nil, "history", "--kind", "pin_change"); r.stdout != "No events match.\n" {
		t.Errorf("no match: %+v", r)
	}
	if r := shomei(t, i18n.JA, nil, "history", "--since", "1月10日"); r.code != 1 || !strings.Contains(r.stderr, "YYYY-MM-DD") {
		t.Errorf("bad date: %+v", r)
	}

	out := filepath.Join(t.TempDir(), "h.json")
	if r := shomei(t, i18n.EN, nil, "history", "export", "--format", "json", "--out", out, "--since", "2026-02-25"); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	var doc struct {
		Head   string          `json:"head"`
		Events []history.Event `json:"events"`
	}
	b, _ := os.ReadFile(out)
	if json.Unmarshal(b, &doc) != nil || len(doc.Events) != 6 || doc.Events[0].Seq != 55 || len(doc.Head) != 64 {
		t.Errorf("exported: %s", b)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("export mode %v", fi.Mode())
	}
	if r := shomei(t, i18n.EN, nil, "history", "export", "--format", "csv", "--out", out); r.code != 1 || !strings.Contains(r.stderr, "--overwrite") {
		t.Errorf("export over a file: %+v", r)
	}
	if after, _ := os.ReadFile(out); string(after) != string(b) {
		t.Error("the existing file was changed")
	}
	if r := shomei(t, i18n.EN, nil, "history", "export", "--format", "xml", "--out", out); r.code != 2 {
		t.Errorf("bad format: %+v", r)
	}

	if r := shomei(t, i18n.EN, nil, "history", "purge"); r.code != 2 {
		t.Errorf("purge without a choice: %+v", r)
	}
	r = shomei(t, i18n.EN, nil, "history", "purge", "--before", "2026-01-31")
	if r.code != 0 || !strings.Contains(r.stdout, "Deleted 29 events. A checkpoint (#61)") {
		t.Fatalf("purge before: %+v", r)
	}
	r = shomei(t, i18n.EN, nil, "history", "verify")
	if r.code != 0 || !strings.Contains(r.stdout, "intact (32 events, #30 to #61)") || !strings.Contains(r.stdout, "Events up to #29 were purged") {
		t.Errorf("verify after purge: %+v", r)
	}
	if r := shomei(t, i18n.EN, nil, "history", "--limit", "1"); !strings.Contains(r.stdout, "history purged  ok  29 events removed") {
		t.Errorf("checkpoint line: %q", r.stdout)
	}
	if r := shomei(t, i18n.EN, nil, "history", "purge", "--all"); r.code != 0 || !strings.Contains(r.stdout, "Deleted 32 events") {
		t.Fatalf("purge all: %+v", r)
	}
	if r := shomei(t, i18n.EN, nil, "history", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact (1 events, #62 to #62)") {
		t.Errorf("verify after purge all: %+v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, history.FileName)); strings.Contains(string(b), "書類") {
		t.Error("purged file names stay in the database file")
	}
}

// Another process holding the history gets a clear message and code, not
// a hang.
func TestHistoryBusyCLI(t *testing.T) {
	dir := dataDir(t)
	path := fillHistory(t, dir, 2, time.Now())
	s, err := history.Open(path, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := shomei(t, i18n.JA, nil, "history", "--json")
	if r.code != 1 || !strings.Contains(r.stderr, "別の Shomei") || !strings.Contains(r.stdout, `"code": "history_busy"`) {
		t.Errorf("busy: %+v", r)
	}
}
