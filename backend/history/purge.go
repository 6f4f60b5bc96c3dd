package history

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"
)

// PurgeResult says what a purge did.
type PurgeResult struct {
	Removed    int    `json:"removed"`
	Checkpoint *Event `json:"checkpoint,omitempty"` // nil when nothing was removed
}

// PurgeAll removes every event and leaves one checkpoint event.
func (s *Store) PurgeAll() (PurgeResult, error) { return s.purge(time.Time{}, true) }

// PurgeBefore removes the events dated before t, from the oldest on: it
// stops at the first event dated t or later, so the chain stays whole even
// if the clock once went back. A checkpoint event records what went.
func (s *Store) PurgeBefore(t time.Time) (PurgeResult, error) { return s.purge(t, false) }

// purge deletes a prefix of the chain, records the last removed event as
// the new base, appends a checkpoint, and then compacts the file so the
// removed events' bytes leave it.
func (s *Store) purge(before time.Time, all bool) (PurgeResult, error) {
	if s.opt.ReadOnly {
		return PurgeResult{}, ErrReadOnly
	}
	var res PurgeResult
	err := s.db.Update(func(tx *bolt.Tx) error {
		m, bk := tx.Bucket(bucketMeta), tx.Bucket(bucketEvents)
		if m == nil || bk == nil {
			return ErrCorrupt
		}
		var keys [][]byte
		var first, last uint64
		var lastHash [32]byte
		c := bk.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if !all {
				ev, err := decode(v)
				if err != nil {
					return err
				}
				if !ev.Time.Before(before) {
					break
				}
			}
			r, ok := parseRecord(v)
			if !ok {
				return ErrCorrupt
			}
			if len(keys) == 0 {
				first = binary.BigEndian.Uint64(k)
			}
			last, lastHash = r.seq, r.hash
			keys = append(keys, append([]byte(nil), k...))
		}
		if len(keys) == 0 {
			return nil
		}
		for _, k := range keys {
			if err := bk.Delete(k); err != nil {
				return err
			}
		}
		if err := m.Put(keyBase, mark(last, lastHash)); err != nil {
			return err
		}
		data := map[string]any{"removed": len(keys), "first_seq": first, "last_seq": last, "last_hash": hex.EncodeToString(lastHash[:])}
		if all {
			data["before"] = "all"
		} else {
			data["before"] = before.UTC().Format(time.RFC3339)
		}
		norm, err := normalize(data)
		if err != nil {
			return err
		}
		cp, err := s.put(tx, flagCheckpoint, Event{Kind: KindCheckpoint, Outcome: OutcomeOK, Data: norm})
		if err != nil {
			return err
		}
		res = PurgeResult{Removed: len(keys), Checkpoint: &cp}
		return m.Put(keyCompact, []byte{1})
	})
	if err != nil || res.Removed == 0 {
		return res, err
	}
	return res, s.compact()
}

func (s *Store) needsCompact() bool {
	need := false
	s.db.View(func(tx *bolt.Tx) error {
		if m := tx.Bucket(bucketMeta); m != nil {
			need = m.Get(keyCompact) != nil
		}
		return nil
	})
	return need
}

// renameOverOpen says whether compact may rename a new file over the one
// this process holds open and mapped. Windows refuses (the file is mapped
// and locked), so there the free pages are scrubbed in place instead.
var renameOverOpen = runtime.GOOS != "windows"

// compact makes the removed events' bytes leave the file: bbolt keeps freed
// pages, with their old bytes, inside the file. Where a file may be renamed
// over an open one, the live data is copied into a new file renamed over the
// old (the file shrinks); elsewhere, or when that rename fails, the free
// pages are overwritten with zeros in place (scrub). The lock on the old file
// is held until the new one is in place; a process that waited on the old
// file notices and opens the new one (open). A crash leaves either file
// whole; the mark in meta makes the next writer finish.
func (s *Store) compact() error {
	if !renameOverOpen {
		return s.scrub()
	}
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, base+".compact-*")
	if err != nil {
		return fmt.Errorf("history: compact: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath) // a no-op once renamed
	dst, err := bolt.Open(tmpPath, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("history: compact: %w", err)
	}
	err = bolt.Compact(dst, s.db, 0)
	if err == nil {
		err = dst.Update(func(tx *bolt.Tx) error {
			if m := tx.Bucket(bucketMeta); m != nil {
				return m.Delete(keyCompact)
			}
			return nil
		})
	}
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("history: compact: %w", err)
	}
	if err := os.Rename(tmpPath, s.path); err != nil {
		os.Remove(tmpPath)
		return s.scrub()
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	s.db.Close()
	s.db = nil
	return s.open()
}

// scrub overwrites the file's free pages with zeros, in place and under the
// lock. bbolt keeps two meta pages, the last commit and the one before, and
// a crash that tore the last falls back to the one before: so a page is
// zeroed only if it was free at the start of one commit and is still free
// after it, when neither meta page can reach it. The file keeps its size.
func (s *Store) scrub() error {
	var before map[int]bool
	if err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		before, err = freePages(tx)
		return err
	}); err != nil {
		return fmt.Errorf("history: scrub: %w", err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		now, err := freePages(tx)
		if err != nil {
			return err
		}
		size := s.db.Info().PageSize
		zero := make([]byte, size)
		for id := range now {
			if !before[id] {
				continue
			}
			if _, err := s.file.WriteAt(zero, int64(id)*int64(size)); err != nil {
				return err
			}
		}
		if err := s.file.Sync(); err != nil {
			return err
		}
		if m := tx.Bucket(bucketMeta); m != nil {
			return m.Delete(keyCompact)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("history: scrub: %w", err)
	}
	return nil
}

// freePages lists the pages bbolt's freelist holds (free or pending) in
// the file as tx sees it.
func freePages(tx *bolt.Tx) (map[int]bool, error) {
	free := map[int]bool{}
	for id := 2; ; id++ { // pages 0 and 1 are the meta pages
		p, err := tx.Page(id)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return free, nil
		}
		if p.Type == "free" {
			free[id] = true
		}
	}
}
