package history_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/history"
	bolt "go.etcd.io/bbolt"
)

var t0 = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

func open(t testing.TB, path string) *history.Store {
	t.Helper()
	s, err := history.Open(path, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func signEvent(i int, at time.Time) history.Event {
	sum := sha256.Sum256([]byte(fmt.Sprint("input ", i)))
	out := sha256.Sum256([]byte(fmt.Sprint("output ", i)))
	return history.Event{
		Time: at, Kind: history.KindSign, App: "test", Interface: history.InterfaceCLI, Outcome: history.OutcomeOK,
		Data: map[string]any{
			"file": fmt.Sprintf("契約書-%05d.pdf", i), "path": fmt.Sprintf("/home/user/書類/契約書-%05d.pdf", i),
			"input_sha256": hex.EncodeToString(sum[:]), "output": fmt.Sprintf("契約書-%05d.signed.pdf", i),
			"output_sha256": hex.EncodeToString(out[:]), "format": "pades-b-b", "level": "b-b", "signer": "署名 花子",
		},
	}
}

// Appended events come back newest first with sequence numbers, times,
// and a chain of hashes; data keeps its JSON form.
func TestAppendList(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "h.db"))
	var want []history.Event
	for i := 0; i < 5; i++ {
		evs, err := s.Append(signEvent(i, t0.Add(time.Duration(i)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, evs[0])
	}
	p, err := s.List(history.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Events) != 5 || p.Next != 0 {
		t.Fatalf("got %d events, next %d", len(p.Events), p.Next)
	}
	prev := hex.EncodeToString(make([]byte, 32))
	for i := 0; i < 5; i++ {
		ev := p.Events[4-i]
		if ev.Seq != uint64(i+1) || !ev.Time.Equal(t0.Add(time.Duration(i)*time.Hour)) || ev.Kind != "sign" {
			t.Errorf("event %d: %+v", i, ev)
		}
		if ev.Prev != prev || ev.Hash == prev || ev.Hash != want[i].Hash {
			t.Errorf("event %d: prev %s hash %s (previous hash %s)", i, ev.Prev, ev.Hash, prev)
		}
		prev = ev.Hash
		if ev.Data["file"] != fmt.Sprintf("契約書-%05d.pdf", i) || ev.Data["signer"] != "署名 花子" {
			t.Errorf("event %d data: %v", i, ev.Data)
		}
	}
	h, err := s.Head()
	if err != nil || h.Seq != 5 || h.Hash != prev {
		t.Errorf("head %+v %v", h, err)
	}
	// Numbers come back as JSON numbers; a zero time is stamped now.
	evs, err := s.Append(history.Event{Kind: history.KindSignBatch, Data: map[string]any{"total": 3, "signed": 2}})
	if err != nil {
		t.Fatal(err)
	}
	if evs[0].Data["total"] != float64(3) || evs[0].Time.IsZero() || time.Since(evs[0].Time) > time.Hour {
		t.Errorf("batch event: %+v", evs[0])
	}
}

// Paging walks every event exactly once, newest first; filters by kind,
// dates and text (Japanese, ASCII in any case, not keys) select the right
// events.
func TestQuery(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "h.db"))
	var evs []history.Event
	for i := 0; i < 23; i++ {
		ev := signEvent(i, t0.Add(time.Duration(i)*24*time.Hour))
		if i%5 == 0 {
			ev = history.Event{Time: ev.Time, Kind: history.KindPINChange, Outcome: "pin_wrong", Interface: history.InterfaceDesktop, Data: map[string]any{"pin_id": "auth", "tries_left": 2}}
		}
		evs = append(evs, ev)
	}
	if _, err := s.Append(evs...); err != nil {
		t.Fatal(err)
	}
	var seen []uint64
	q := history.Query{Limit: 7}
	for pages := 0; ; pages++ {
		p, err := s.List(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range p.Events {
			seen = append(seen, ev.Seq)
		}
		if p.Next == 0 {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		q.Before = p.Next
	}
	if len(seen) != 23 {
		t.Fatalf("paging saw %d events: %v", len(seen), seen)
	}
	for i, seq := range seen {
		if seq != uint64(23-i) {
			t.Fatalf("paging order: %v", seen)
		}
	}
	count := func(q history.Query) int {
		t.Helper()
		p, err := s.List(q)
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Events)
	}
	cases := []struct {
		name string
		q    history.Query
		want int
	}{
		{"kind", history.Query{Kinds: []string{history.KindPINChange}}, 5},
		{"two kinds", history.Query{Kinds: []string{history.KindPINChange, history.KindSign}}, 23},
		{"since", history.Query{Since: t0.Add(20 * 24 * time.Hour)}, 3},
		{"until", history.Query{Until: t0.Add(2 * 24 * time.Hour)}, 2},
		{"range", history.Query{Since: t0.Add(24 * time.Hour), Until: t0.Add(11 * 24 * time.Hour)}, 10},
		{"japanese", history.Query{Text: "契約書-0001"}, 8},
		{"ascii any case", history.Query{Text: "PIN_WRONG"}, 5},
		{"a key is not text", history.Query{Text: "input_sha256"}, 0},
		{"outcome and kind together", history.Query{Kinds: []string{history.KindSign}, Text: "pin"}, 0},
		{"quote in text", history.Query{Text: `"`}, 0},
		{"hash", history.Query{Text: evs[3].Data["input_sha256"].(string)[:20]}, 1},
		{"limit", history.Query{Limit: 4, Text: "pdf"}, 4},
	}
	for _, c := range cases {
		if got := count(c.q); got != c.want {
			t.Errorf("%s: %d events, want %d", c.name, got, c.want)
		}
	}
}

// Keys that name a PIN, a certificate, a serial number, a My Number or
// the holder's address, birth date or sex are refused, at any depth, and so
// are raw bytes; nothing is stored then.
func TestForbiddenData(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "h.db"))
	type cert struct {
		SerialNumber string
	}
	bad := []map[string]any{
		{"pin": "1234"}, {"PIN": "1234"}, {"new_password": "x"}, {"certificate": "MII"}, {"cert_der": "MII"},
		{"serial_number": "12"}, {"certSerial": "12"}, {"my_number": "123456789012"}, {"MyNumber": "1"},
		{"address": "東京"}, {"holder": map[string]any{"birth_date": "419900401"}}, {"sex": "2"}, {"Gender": "f"},
		{"signatures": []any{map[string]any{"signer_address": "x"}}}, {"blob": []byte{0x30, 0x82}},
		{"c": cert{SerialNumber: "1"}}, {"reset_code": "8765"},
	}
	for _, d := range bad {
		if _, err := s.Append(history.Event{Kind: "sign", Data: d}); !errors.Is(err, history.ErrForbidden) {
			t.Errorf("%v: %v, want ErrForbidden", d, err)
		}
	}
	if _, err := s.Append(history.Event{Kind: history.KindCheckpoint}); err == nil {
		t.Error("a checkpoint was appended by hand")
	}
	if _, err := s.Append(history.Event{}); err == nil {
		t.Error("an event without a kind was appended")
	}
	// Allowed: which PIN, the signer's name, hashes.
	if _, err := s.Append(history.Event{Kind: "pin_change", Data: map[string]any{"pin_id": "sign", "signer": "署名 花子", "input_sha256": "00"}}); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.Head(); h.Seq != 1 {
		t.Errorf("head after refusals: %+v", h)
	}
}

// A file written by a newer Shomei is refused, not rewritten; a missing
// file opened read-only is ErrNoHistory and is not created; a read-only
// store refuses writes.
func TestOpenModes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "h.db")
	if _, err := history.Open(path, history.Options{ReadOnly: true}); !errors.Is(err, history.ErrNoHistory) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only on a missing file: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("read-only open created the file")
	}
	os.WriteFile(path, nil, 0o600) // a writer died before bbolt wrote its first page
	if _, err := history.Open(path, history.Options{ReadOnly: true}); !errors.Is(err, history.ErrNoHistory) {
		t.Errorf("read-only on an empty file: %v", err)
	}
	s, err := history.Open(path, history.Options{})
	if err != nil {
		t.Fatalf("writable open of an empty file: %v", err)
	}
	s.Append(history.Event{Kind: "sign"})
	s.Close()
	r, err := history.Open(path, history.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Append(history.Event{Kind: "sign"}); !errors.Is(err, history.ErrReadOnly) {
		t.Errorf("append on read-only: %v", err)
	}
	if _, err := r.PurgeAll(); !errors.Is(err, history.ErrReadOnly) {
		t.Errorf("purge on read-only: %v", err)
	}
	r.Close()

	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("2")) })
	db.Close()
	before, _ := os.ReadFile(path)
	for _, ro := range []bool{false, true} {
		if _, err := history.Open(path, history.Options{ReadOnly: ro}); !errors.Is(err, history.ErrNewerSchema) {
			t.Errorf("newer schema (read-only %v): %v", ro, err)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a newer file was changed")
	}
	os.WriteFile(path, []byte("not a database at all, but long enough to be read as pages........"), 0o600)
	if _, err := history.Open(path, history.Options{}); err == nil {
		t.Error("garbage opened as a history")
	}
}
