package history_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/history"
	bolt "go.etcd.io/bbolt"
)

// filled writes n sign events and closes the store.
func filled(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := history.Open(path, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := s.Append(signEvent(i, t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	return path
}

// raw edits the file with bbolt directly, as someone with the file would.
func raw(t *testing.T, path string, f func(events, meta *bolt.Bucket)) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		f(tx.Bucket([]byte("events")), tx.Bucket([]byte("meta")))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }

func key(seq uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, seq)
	return k
}

func verify(t *testing.T, path string) history.Report {
	t.Helper()
	s, err := history.Open(path, history.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Verify()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// An untouched chain verifies and reports its head; each kind of tampering
// is found at the first event concerned.
func TestTamper(t *testing.T) {
	clean := filled(t, 10)
	rep := verify(t, clean)
	if !rep.OK || rep.Events != 10 || rep.First != 1 || rep.Last != 10 || rep.Head.Seq != 10 || len(rep.Head.Hash) != 64 {
		t.Fatalf("clean chain: %+v", rep)
	}

	cases := []struct {
		name     string
		edit     func(ev, meta *bolt.Bucket)
		kind     string
		seq, to  uint64
		headSame bool
	}{
		{"edited byte", func(ev, _ *bolt.Bucket) {
			v := append([]byte(nil), ev.Get(key(4))...)
			i := bytes.Index(v, []byte("契約書-00003.pdf"))
			copy(v[i:], "契約書-99999.pdf")
			ev.Put(key(4), v)
		}, history.ProblemEdited, 4, 0, true},
		{"edited and rehashed", func(ev, _ *bolt.Bucket) {
			v := append([]byte(nil), ev.Get(key(6))...)
			i := bytes.Index(v, []byte(`"ok"`))
			copy(v[i:], `"no"`)
			d := sha256.New()
			d.Write([]byte("shomei history v1\x00"))
			d.Write(v[:42])
			d.Write(v[74:])
			copy(v[42:74], d.Sum(nil))
			ev.Put(key(6), v)
		}, history.ProblemEdited, 6, 0, true},
		{"deleted", func(ev, _ *bolt.Bucket) { ev.Delete(key(3)) }, history.ProblemRemoved, 3, 3, true},
		{"deleted first", func(ev, _ *bolt.Bucket) { ev.Delete(key(1)) }, history.ProblemRemoved, 1, 1, true},
		{"deleted two, renumbered", func(ev, _ *bolt.Bucket) {
			for s := uint64(5); s <= 8; s++ {
				ev.Put(key(s), append([]byte(nil), ev.Get(key(s+2))...))
			}
			ev.Delete(key(9))
			ev.Delete(key(10))
		}, history.ProblemRemoved, 5, 6, true},
		{"swapped", func(ev, _ *bolt.Bucket) {
			a, b := append([]byte(nil), ev.Get(key(7))...), append([]byte(nil), ev.Get(key(8))...)
			ev.Put(key(7), b)
			ev.Put(key(8), a)
		}, history.ProblemReordered, 7, 8, true},
		{"deleted last", func(ev, _ *bolt.Bucket) { ev.Delete(key(10)) }, history.ProblemRemoved, 10, 10, true},
		{"prefix deleted without checkpoint", func(ev, meta *bolt.Bucket) {
			b := make([]byte, 40)
			binary.BigEndian.PutUint64(b, 3)
			copy(b[8:], ev.Get(key(3))[42:74])
			meta.Put([]byte("base"), b)
			for s := uint64(1); s <= 3; s++ {
				ev.Delete(key(s))
			}
		}, history.ProblemRemoved, 1, 3, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filled(t, 10)
			before := verify(t, path)
			raw(t, path, c.edit)
			rep := verify(t, path)
			if rep.OK || rep.Problem == nil {
				t.Fatalf("not found: %+v", rep)
			}
			p := rep.Problem
			if p.Kind != c.kind || p.Seq != c.seq || p.To != c.to {
				t.Errorf("problem %+v, want %s at %d (to %d)", p, c.kind, c.seq, c.to)
			}
			if c.headSame && rep.Head != before.Head {
				t.Errorf("head changed: %+v vs %+v", rep.Head, before.Head)
			}
		})
	}
}

// After purges (before a date, then everything) the chain still verifies
// from the checkpoint; the purged events' bytes leave the file; new events
// go on from the old numbering; an interrupted compaction is finished by
// the next writer. Both ways: the compacted copy renamed over the file, and
// Windows' way (no rename over an open file: free pages zeroed in place),
// forced here on Linux.
func TestPurge(t *testing.T) {
	t.Run("rename", testPurge)
	t.Run("in-place", func(t *testing.T) {
		defer history.ForceInPlaceScrub()()
		testPurge(t)
	})
}

func testPurge(t *testing.T) {
	path := filled(t, 20)
	s := open(t, path)
	res, err := s.PurgeBefore(t0.Add(8 * time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 8 || res.Checkpoint == nil || res.Checkpoint.Seq != 21 || res.Checkpoint.Kind != history.KindCheckpoint {
		t.Fatalf("purge before: %+v", res)
	}
	if cp := res.Checkpoint.Data; cp["removed"] != float64(8) || cp["first_seq"] != float64(1) || cp["last_seq"] != float64(8) {
		t.Errorf("checkpoint data: %v", cp)
	}
	rep, _ := s.Verify()
	if !rep.OK || rep.First != 9 || rep.Last != 21 || rep.Base != 8 || rep.Events != 13 {
		t.Fatalf("after purge before: %+v", rep)
	}
	s.Close()
	b, _ := readFile(path)
	if bytes.Contains(b, []byte("契約書-00003")) || !bytes.Contains(b, []byte("契約書-00013")) {
		t.Error("purged bytes stay in the file, or kept ones went")
	}
	s = open(t, path)
	if res, err := s.PurgeBefore(t0); err != nil || res.Removed != 0 || res.Checkpoint != nil {
		t.Errorf("purging nothing: %+v %v", res, err)
	}
	if _, err := s.Append(signEvent(100, t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	res, err = s.PurgeAll()
	if err != nil || res.Removed != 14 || res.Checkpoint.Seq != 23 {
		t.Fatalf("purge all: %+v %v", res, err)
	}
	p, _ := s.List(history.Query{})
	if len(p.Events) != 1 || p.Events[0].Kind != history.KindCheckpoint || p.Events[0].Data["before"] != "all" {
		t.Fatalf("after purge all: %+v", p.Events)
	}
	if rep, _ := s.Verify(); !rep.OK || rep.Events != 1 || rep.Base != 22 {
		t.Fatalf("verify after purge all: %+v", rep)
	}
	evs, err := s.Append(signEvent(101, time.Time{}))
	if err != nil || evs[0].Seq != 24 {
		t.Fatalf("append after purge: %+v %v", evs, err)
	}
	s.Close()
	b, _ = readFile(path)
	if bytes.Contains(b, []byte("契約書-00013")) || bytes.Contains(b, []byte("契約書-00100")) {
		t.Error("purge all left event bytes in the file")
	}
	if rep := verify(t, path); !rep.OK {
		t.Fatalf("reopened: %+v", rep)
	}

	// A purge whose compaction did not happen (a crash): the next writer
	// compacts.
	path = filled(t, 5)
	raw(t, path, func(ev, _ *bolt.Bucket) { ev.Put(key(99), []byte("leftover bytes of 契約書-SECRET")) })
	raw(t, path, func(ev, meta *bolt.Bucket) {
		ev.Delete(key(99))
		meta.Put([]byte("compact"), []byte{1})
	})
	if b, _ := readFile(path); !bytes.Contains(b, []byte("契約書-SECRET")) {
		t.Fatal("set-up: the deleted bytes are not in the file")
	}
	open(t, path).Close()
	if b, _ := readFile(path); bytes.Contains(b, []byte("契約書-SECRET")) {
		t.Error("an unfinished compaction was not finished")
	}
	if rep := verify(t, path); !rep.OK || rep.Events != 5 {
		t.Errorf("after finishing the compaction: %+v", rep)
	}
}
