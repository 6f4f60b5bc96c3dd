package history

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Problem kinds found by Verify.
const (
	ProblemEdited    = "edited"    // an event's content no longer matches its hash, or was replaced
	ProblemRemoved   = "removed"   // events are missing (From..To)
	ProblemReordered = "reordered" // an event sits at another event's place
	ProblemMeta      = "meta"      // the store's own records are damaged
)

// Problem is the first thing Verify found wrong.
type Problem struct {
	Kind string `json:"kind"`
	// Seq is the first event concerned: the edited one, the first removed
	// one, or the place where an event was moved to.
	Seq uint64 `json:"seq"`
	// To is the last removed event (removed), or the event found at Seq
	// (reordered).
	To     uint64 `json:"to,omitempty"`
	Detail string `json:"detail"` // English, for logs and --json
}

// Report is what Verify found.
type Report struct {
	OK     bool     `json:"ok"`
	Events int      `json:"events"` // events checked
	First  uint64   `json:"first"`  // first sequence number present (0: none)
	Last   uint64   `json:"last"`   // last sequence number present
	Head   HeadInfo `json:"head"`   // the end of the chain: note Head.Hash elsewhere to check later
	// Base is the last event removed by a purge (the chain starts after it).
	Base    uint64   `json:"base,omitempty"`
	Problem *Problem `json:"problem,omitempty"`
}

// Verify walks the whole chain: every event's hash over its content, its
// sequence number against its place, its link to the one before, the first
// event's link to the last purge, the last one against the recorded head.
// It reports the first problem; the head is the recorded one.
func (s *Store) Verify() (Report, error) {
	var rep Report
	err := s.db.View(func(tx *bolt.Tx) error {
		m, bk := tx.Bucket(bucketMeta), tx.Bucket(bucketEvents)
		if m == nil || bk == nil {
			rep.OK = true
			rep.Head.Hash = hex.EncodeToString(zeroHash[:])
			return nil
		}
		headSeq, headHash, hasHead := readMark(m, keyHead)
		baseSeq, baseHash, _ := readMark(m, keyBase)
		rep.Head = HeadInfo{Seq: headSeq, Hash: hex.EncodeToString(headHash[:])}
		rep.Base = baseSeq
		fail := func(p Problem) error { rep.Problem = &p; return nil }

		expectSeq, expectPrev := baseSeq+1, baseHash
		var lastCheckpoint []byte
		c := bk.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(k) != 8 {
				return fail(Problem{Kind: ProblemMeta, Detail: fmt.Sprintf("a key of %d bytes in the events", len(k))})
			}
			pos := binary.BigEndian.Uint64(k)
			r, ok := parseRecord(v)
			if !ok || !intact(v) {
				return fail(Problem{Kind: ProblemEdited, Seq: pos, Detail: fmt.Sprintf("event %d does not match its hash", pos)})
			}
			if r.seq != pos {
				if moved, ok := parseRecord(bk.Get(seqKey(r.seq))); ok && moved.seq == pos {
					return fail(Problem{Kind: ProblemReordered, Seq: pos, To: r.seq, Detail: fmt.Sprintf("events %d and %d swapped places", pos, r.seq)})
				}
				if r.seq > pos {
					return fail(Problem{Kind: ProblemRemoved, Seq: pos, To: r.seq - 1, Detail: fmt.Sprintf("events %d to %d are missing and later ones were renumbered", pos, r.seq-1)})
				}
				return fail(Problem{Kind: ProblemReordered, Seq: pos, To: r.seq, Detail: fmt.Sprintf("event %d was moved to place %d", r.seq, pos)})
			}
			if pos < expectSeq {
				return fail(Problem{Kind: ProblemMeta, Seq: pos, Detail: fmt.Sprintf("event %d lies before the purge checkpoint at %d", pos, baseSeq)})
			}
			if pos > expectSeq {
				return fail(Problem{Kind: ProblemRemoved, Seq: expectSeq, To: pos - 1, Detail: fmt.Sprintf("events %d to %d are missing", expectSeq, pos-1)})
			}
			if r.prev != expectPrev {
				if pos == baseSeq+1 {
					return fail(Problem{Kind: ProblemRemoved, Seq: pos - 1, To: pos - 1, Detail: fmt.Sprintf("event %d does not follow the recorded start of the chain", pos)})
				}
				return fail(Problem{Kind: ProblemEdited, Seq: pos - 1, Detail: fmt.Sprintf("event %d was replaced: event %d links to another", pos-1, pos)})
			}
			if r.flags&flagCheckpoint != 0 {
				lastCheckpoint = r.body
			}
			if rep.Events == 0 {
				rep.First = pos
			}
			rep.Events++
			rep.Last = pos
			expectSeq, expectPrev = pos+1, r.hash
		}
		last, lastHash := expectSeq-1, expectPrev
		switch {
		case !hasHead && rep.Events > 0:
			return fail(Problem{Kind: ProblemMeta, Detail: "the head record is missing"})
		case headSeq > last:
			return fail(Problem{Kind: ProblemRemoved, Seq: last + 1, To: headSeq, Detail: fmt.Sprintf("the last events (%d to %d) are missing", last+1, headSeq)})
		case headSeq < last || headHash != lastHash:
			return fail(Problem{Kind: ProblemMeta, Seq: last, Detail: "the head record does not match the last event"})
		}
		if baseSeq > 0 {
			// A purge moved the start: the newest checkpoint must say so.
			if lastCheckpoint == nil {
				return fail(Problem{Kind: ProblemRemoved, Seq: 1, To: baseSeq, Detail: fmt.Sprintf("events 1 to %d are missing and no checkpoint says why", baseSeq)})
			}
			var b struct {
				Data struct {
					LastSeq  float64 `json:"last_seq"`
					LastHash string  `json:"last_hash"`
				} `json:"data"`
			}
			json.Unmarshal(lastCheckpoint, &b)
			want, _ := hex.DecodeString(b.Data.LastHash)
			if uint64(b.Data.LastSeq) != baseSeq || !bytes.Equal(want, baseHash[:]) {
				return fail(Problem{Kind: ProblemRemoved, Seq: 1, To: baseSeq, Detail: fmt.Sprintf("the chain starts after event %d, which no checkpoint records", baseSeq)})
			}
		}
		rep.OK = true
		return nil
	})
	return rep, err
}
