package history

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A stored event is one bbolt value under its 8-byte big-endian sequence:
//
//	[0]      record format (1)
//	[1]      flags (flagCheckpoint)
//	[2:10]   sequence, big-endian (also the key: a moved value is seen)
//	[10:42]  SHA-256 of the previous event (zeros for the first)
//	[42:74]  SHA-256 of this event: of hashDomain, bytes [0:42] and the body
//	[74:]    body: JSON {time, kind, app, interface, outcome, data}
const (
	recordFormat   = 1
	flagCheckpoint = 1
	headerLen      = 74
	hashDomain     = "shomei history v1\x00"
)

type body struct {
	Time      time.Time      `json:"time"`
	Kind      string         `json:"kind"`
	App       string         `json:"app,omitempty"`
	Interface string         `json:"interface,omitempty"`
	Outcome   string         `json:"outcome,omitempty"`
	Data      map[string]any `json:"data,omitempty"`
}

// record is a decoded header; body stays raw until needed.
type record struct {
	flags uint8
	seq   uint64
	prev  [32]byte
	hash  [32]byte
	body  []byte
}

func parseRecord(v []byte) (record, bool) {
	var r record
	if len(v) < headerLen || v[0] != recordFormat {
		return r, false
	}
	r.flags = v[1]
	r.seq = binary.BigEndian.Uint64(v[2:10])
	copy(r.prev[:], v[10:42])
	copy(r.hash[:], v[42:74])
	r.body = v[headerLen:]
	return r, true
}

// intact reports whether the stored hash matches the record's content.
func intact(v []byte) bool {
	if len(v) < headerLen {
		return false
	}
	h := computeHash(v[:42], v[headerLen:])
	return bytes.Equal(h[:], v[42:74])
}

func computeHash(head, body []byte) [32]byte {
	d := sha256.New()
	d.Write([]byte(hashDomain))
	d.Write(head)
	d.Write(body)
	var h [32]byte
	d.Sum(h[:0])
	return h
}

func encodeRecord(flags uint8, seq uint64, prev [32]byte, b []byte) ([]byte, [32]byte) {
	v := make([]byte, headerLen+len(b))
	v[0] = recordFormat
	v[1] = flags
	binary.BigEndian.PutUint64(v[2:10], seq)
	copy(v[10:42], prev[:])
	copy(v[headerLen:], b)
	h := computeHash(v[:42], b)
	copy(v[42:74], h[:])
	return v, h
}

func marshalBody(b body) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// decode turns a stored value into an Event.
func decode(v []byte) (Event, error) {
	r, ok := parseRecord(v)
	if !ok {
		return Event{}, ErrCorrupt
	}
	var b body
	if err := json.Unmarshal(r.body, &b); err != nil {
		return Event{}, fmt.Errorf("%w: event %d: %v", ErrCorrupt, r.seq, err)
	}
	return Event{
		Seq: r.seq, Time: b.Time, Kind: b.Kind, App: b.App, Interface: b.Interface,
		Outcome: b.Outcome, Data: b.Data,
		Prev: hex.EncodeToString(r.prev[:]), Hash: hex.EncodeToString(r.hash[:]),
	}, nil
}

// Append stores events at the end of the chain, in one transaction (all or
// none), and returns them with Seq, Time, Prev and Hash filled in. Data is
// stored as JSON; what comes back is what a later List returns.
func (s *Store) Append(evs ...Event) ([]Event, error) {
	if s.opt.ReadOnly {
		return nil, ErrReadOnly
	}
	evs = append([]Event(nil), evs...)
	for i, ev := range evs {
		if ev.Kind == "" || ev.Kind == KindCheckpoint {
			return nil, fmt.Errorf("history: event kind %q cannot be appended", ev.Kind)
		}
		if err := checkBinary(ev.Data, ""); err != nil {
			return nil, err
		}
		if ev.Data != nil {
			// Keys are checked on the JSON form, so struct fields count too;
			// the JSON form is what gets stored.
			norm, err := normalize(ev.Data)
			if err != nil {
				return nil, err
			}
			if err := checkPrivate(norm, ""); err != nil {
				return nil, err
			}
			evs[i].Data = norm
		}
	}
	out := make([]Event, 0, len(evs))
	err := s.db.Update(func(tx *bolt.Tx) error {
		out = out[:0]
		for _, ev := range evs {
			stored, err := s.put(tx, 0, ev)
			if err != nil {
				return err
			}
			out = append(out, stored)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// normalize gives data its JSON form (numbers float64, structs maps).
func normalize(data map[string]any) (map[string]any, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("history: event data: %w", err)
	}
	var norm map[string]any
	if err := json.Unmarshal(raw, &norm); err != nil {
		return nil, fmt.Errorf("history: event data: %w", err)
	}
	return norm, nil
}

// put appends one event inside tx and moves the head.
func (s *Store) put(tx *bolt.Tx, flags uint8, ev Event) (Event, error) {
	m, bk := tx.Bucket(bucketMeta), tx.Bucket(bucketEvents)
	if m == nil || bk == nil {
		return Event{}, ErrCorrupt
	}
	seq, prev, _ := readMark(m, keyHead)
	seq++
	if ev.Time.IsZero() {
		ev.Time = s.opt.Now()
	}
	b, err := marshalBody(body{Time: ev.Time.UTC(), Kind: ev.Kind, App: ev.App, Interface: ev.Interface, Outcome: ev.Outcome, Data: ev.Data})
	if err != nil {
		return Event{}, fmt.Errorf("history: event data: %w", err)
	}
	v, h := encodeRecord(flags, seq, prev, b)
	bk.FillPercent = 1 // keys only ever grow: pack the pages
	if err := bk.Put(seqKey(seq), v); err != nil {
		return Event{}, err
	}
	if err := m.Put(keyHead, mark(seq, h)); err != nil {
		return Event{}, err
	}
	ev.Seq, ev.Time = seq, ev.Time.UTC()
	ev.Prev, ev.Hash = hex.EncodeToString(prev[:]), hex.EncodeToString(h[:])
	return ev, nil
}

// Forbidden data: keys whose normalised form (lower case, without _ - and
// spaces) contains one of these, or equals one of the short ones.
var (
	forbiddenParts = []string{"password", "passcode", "secret", "certificate", "serial", "mynumber",
		"individualnumber", "kojinbango", "address", "birth", "gender", "resetcode"}
	keyNormaliser  = strings.NewReplacer("_", "", "-", "", " ", "")
	forbiddenExact = map[string]bool{"pin": true, "pincode": true, "puk": true, "cert": true, "certder": true, "der": true, "sex": true}
)

// checkPrivate refuses keys that name what the history must never hold.
func checkPrivate(v any, path string) error {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			n := keyNormaliser.Replace(strings.ToLower(k))
			if forbiddenExact[n] {
				return fmt.Errorf("%w: key %q", ErrForbidden, path+k)
			}
			for _, p := range forbiddenParts {
				if strings.Contains(n, p) {
					return fmt.Errorf("%w: key %q", ErrForbidden, path+k)
				}
			}
			if err := checkPrivate(x, path+k+"."); err != nil {
				return err
			}
		}
	case []any:
		for _, x := range t {
			if err := checkPrivate(x, path); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkBinary refuses raw bytes and certificates anywhere in data (as JSON
// they would become base64 strings no key check could see).
func checkBinary(v any, path string) error {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if err := checkBinary(x, path+k+"."); err != nil {
				return err
			}
		}
	case []any:
		for _, x := range t {
			if err := checkBinary(x, path); err != nil {
				return err
			}
		}
	case []map[string]any:
		for _, x := range t {
			if err := checkBinary(x, path); err != nil {
				return err
			}
		}
	case []byte, *x509.Certificate, x509.Certificate, []*x509.Certificate:
		return fmt.Errorf("%w: binary data under %q", ErrForbidden, strings.TrimSuffix(path, "."))
	}
	return nil
}
