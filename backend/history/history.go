// Package history is Shomei's local record of what was done: PIN checks that
// found a lock, PIN changes and resets, signatures, verifications, consents.
// It holds none of the card's secrets or personal data (no PIN, certificate,
// serial number, My Number, address, birth date or sex): Append refuses
// data under such keys.
//
// The store is one bbolt file (history.db in the data directory). Events are
// append-only, keyed by a big-endian sequence number, and each one carries
// the hash of the one before, so Verify finds the first event that was
// edited, removed or reordered and reports the head hash, which a user can
// note elsewhere. Purge removes old events and leaves a checkpoint event so
// the chain still verifies.
//
// Ownership: no process keeps the file open. Every process (the desktop app,
// the web UI, each CLI command) opens it for one operation and closes it
// (Do, Record); bbolt's file lock makes them take turns, and a process that
// cannot get the lock within Options.Timeout gets ErrBusy instead of a hang.
package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/shomei-app/shomei/backend/appdir"
)

// FileName is the store's file name in the data directory.
const FileName = "history.db"

// SchemaVersion is the layout this package writes. A file with a newer one
// is refused (ErrNewerSchema), never rewritten.
const SchemaVersion = 1

// Event kinds. Callers may add kinds of their own (lower case, underscores);
// KindCheckpoint is written by Purge only.
const (
	KindPINLocked       = "pin_status_locked" // a status check found a locked PIN; data: pins ([]string)
	KindPINChange       = "pin_change"        // data: pin_id; outcome ok or an error code
	KindPINReset        = "pin_reset"         // data: pin_id
	KindSign            = "sign"              // one document: file, path, input_sha256, output, output_sha256, format, level, signer
	KindSignBatch       = "sign_batch"        // a batch: total, signed, failed, signer
	KindVerify          = "verify"            // file, sha256, signatures: [{indication, sub_indication, ...}]
	KindConsent         = "consent"           // service, business, decision, date, expiry
	KindConsentWithdraw = "consent_withdraw"  // service, business, withdrawal
	KindCheckpoint      = "checkpoint"        // written by Purge: removed, first_seq, last_seq, last_hash, before
)

// Interfaces an event can come from.
const (
	InterfaceDesktop = "desktop"
	InterfaceWeb     = "web"
	InterfaceCLI     = "cli"
)

// Outcomes. Anything else is a stable error code (pin_wrong, card_removed…).
const (
	OutcomeOK      = "ok"
	OutcomePartial = "partial" // a batch where some documents failed
	OutcomeFailed  = "failed"
)

// Event is one thing that happened. Seq, Prev and Hash are set by the store;
// Time is set to now when zero. Data holds the kind's details as JSON
// values (strings, numbers as float64, booleans, lists, objects).
type Event struct {
	Seq       uint64         `json:"seq"`
	Time      time.Time      `json:"time"`
	Kind      string         `json:"kind"`
	App       string         `json:"app,omitempty"`       // application version
	Interface string         `json:"interface,omitempty"` // desktop, web or cli
	Outcome   string         `json:"outcome,omitempty"`   // ok, partial, failed or an error code
	Data      map[string]any `json:"data,omitempty"`
	Prev      string         `json:"prev"` // hex SHA-256 of the previous event (zeros for the first)
	Hash      string         `json:"hash"` // hex SHA-256 of this event
}

// Errors.
var (
	// ErrBusy: another process held the history for longer than the timeout.
	ErrBusy = errors.New("history: another process is using the history")
	// ErrNoHistory: a read-only open found no history file (nothing recorded yet).
	ErrNoHistory = fmt.Errorf("history: no history yet: %w", fs.ErrNotExist)
	// ErrNewerSchema: the file was written by a newer Shomei.
	ErrNewerSchema = errors.New("history: written by a newer version of Shomei")
	// ErrCorrupt: the file is not a readable history.
	ErrCorrupt = errors.New("history: the file is not a readable history")
	// ErrForbidden: an event carried data the history must never hold.
	ErrForbidden = errors.New("history: refused data that must not be recorded")
	// ErrReadOnly: a write on a store opened read-only.
	ErrReadOnly = errors.New("history: opened read-only")
)

// Options for Open.
type Options struct {
	// Timeout is how long to wait for another process to let go of the
	// file; then Open fails with ErrBusy. Zero means DefaultTimeout.
	Timeout time.Duration
	// ReadOnly opens for reading (a shared lock: readers run side by side).
	ReadOnly bool
	// Now is the clock for events without a time (tests); default time.Now.
	Now func() time.Time
}

// DefaultTimeout is how long Open waits for the lock by default.
const DefaultTimeout = 2 * time.Second

// Store is an open history. It is not safe for use by several goroutines
// at once; open it, do one operation, close it.
type Store struct {
	db   *bolt.DB
	file *os.File // the file db has open (and locked): scrub writes to it
	path string
	opt  Options
}

var (
	bucketEvents = []byte("events")
	bucketMeta   = []byte("meta")
	keySchema    = []byte("schema")
	keyHead      = []byte("head")    // seq(8) || hash(32) of the last event ever appended
	keyBase      = []byte("base")    // seq(8) || hash(32) of the last event removed by Purge
	keyCompact   = []byte("compact") // set when a purge still has to be compacted away
)

// Path returns the history file of this user: FileName in appdir.Data().
func Path() (string, error) {
	dir, err := appdir.Data()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, FileName), nil
}

// Open opens (creating if needed, unless read-only) the history at path.
func Open(path string, opt Options) (*Store, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Store{path: path, opt: opt}
	if err := s.open(); err != nil {
		return nil, err
	}
	if !opt.ReadOnly {
		s.removeStaleTemps()
		if err := s.init(); err != nil {
			s.db.Close()
			return nil, err
		}
		if s.needsCompact() {
			if err := s.compact(); err != nil {
				s.Close()
				return nil, err
			}
		}
	} else if err := s.checkSchema(); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// open takes the file lock. A compaction by another process replaces the
// file by renaming a new one over it; a process that was waiting on the
// old file's lock then holds a file no longer at path, so it lets go and
// opens again.
func (s *Store) open() error {
	deadline := time.Now().Add(s.opt.Timeout)
	for {
		if s.opt.ReadOnly {
			// Missing, or created by a writer that died before its first
			// page: nothing recorded yet.
			if fi, err := os.Stat(s.path); errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Size() == 0) {
				return ErrNoHistory
			}
		}
		var f *os.File
		left := time.Until(deadline)
		if left < 10*time.Millisecond {
			left = 10 * time.Millisecond
		}
		db, err := bolt.Open(s.path, 0o600, &bolt.Options{
			Timeout:  left,
			ReadOnly: s.opt.ReadOnly,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				var err error
				f, err = os.OpenFile(name, flag, perm)
				return f, err
			},
		})
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return ErrBusy
		case errors.Is(err, fs.ErrNotExist) && s.opt.ReadOnly:
			return ErrNoHistory
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		case err != nil:
			return fmt.Errorf("history: open %s: %w", s.path, err)
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(s.path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			s.db, s.file = db, f
			return nil
		}
		db.Close()
		if time.Now().After(deadline) {
			return ErrBusy
		}
	}
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bucketEvents); err != nil {
			return err
		}
		if v := m.Get(keySchema); v != nil {
			return schemaOK(v)
		}
		return m.Put(keySchema, []byte(fmt.Sprint(SchemaVersion)))
	})
}

func (s *Store) checkSchema() error {
	return s.db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if m == nil {
			return nil // created, never written: an empty history
		}
		return schemaOK(m.Get(keySchema))
	})
}

func schemaOK(v []byte) error {
	var n int
	if _, err := fmt.Sscan(string(v), &n); err != nil || n < 1 {
		return fmt.Errorf("%w: schema %q", ErrCorrupt, v)
	}
	if n > SchemaVersion {
		return ErrNewerSchema
	}
	return nil
}

// Close closes the store and lets other processes in.
func (s *Store) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// Path is the file this store reads.
func (s *Store) Path() string { return s.path }

// Do opens the history at path, runs f and closes it again: how every
// process takes its turn.
func Do(path string, opt Options, f func(*Store) error) error {
	s, err := Open(path, opt)
	if err != nil {
		return err
	}
	ferr := f(s)
	cerr := s.Close()
	if ferr != nil {
		return ferr
	}
	return cerr
}

// Record appends events to the history at path, in one transaction, and
// returns them as stored.
func Record(path string, evs ...Event) ([]Event, error) {
	var out []Event
	err := Do(path, Options{}, func(s *Store) error {
		var err error
		out, err = s.Append(evs...)
		return err
	})
	return out, err
}

// head reads a seq||hash meta value.
func readMark(m *bolt.Bucket, key []byte) (seq uint64, hash [32]byte, ok bool) {
	v := m.Get(key)
	if len(v) != 40 {
		return 0, hash, false
	}
	copy(hash[:], v[8:])
	return binary.BigEndian.Uint64(v[:8]), hash, true
}

func mark(seq uint64, hash [32]byte) []byte {
	b := make([]byte, 40)
	binary.BigEndian.PutUint64(b, seq)
	copy(b[8:], hash[:])
	return b
}

func seqKey(seq uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, seq)
	return k
}

// removeStaleTemps deletes compaction files left by a process that died
// mid-way: they may hold purged events. Only the lock holder compacts, and
// this runs with the lock held.
func (s *Store) removeStaleTemps() {
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), base+".compact-") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

var zeroHash [32]byte

func isZero(h [32]byte) bool { return bytes.Equal(h[:], zeroHash[:]) }
