package history

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/shomei-app/shomei/backend/safetext"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Query selects events. Zero values select everything.
type Query struct {
	Kinds  []string  // any of these kinds
	Since  time.Time // at or after (inclusive)
	Until  time.Time // before (exclusive)
	Text   string    // case-insensitive, in any text value (kind, outcome, file names, …)
	Limit  int       // List: at most this many (0: all)
	Before uint64    // List: only events with Seq below this (the paging cursor; 0: from the newest)
}

// Page is one page of List, newest first.
type Page struct {
	Events []Event `json:"events"`
	// Next is the cursor for the following (older) page: pass it as
	// Query.Before. Zero when there is nothing older.
	Next uint64 `json:"next,omitempty"`
}

// matcher holds a query's prepared form.
type matcher struct {
	q      Query
	kinds  map[string]bool
	text   string // lower-cased
	raw    []byte // for the byte-level pre-check of the body, nil when it cannot be used
	needle bool
}

func newMatcher(q Query) *matcher {
	m := &matcher{q: q}
	if len(q.Kinds) > 0 {
		m.kinds = map[string]bool{}
		for _, k := range q.Kinds {
			m.kinds[k] = true
		}
	}
	if q.Text != "" {
		m.needle = true
		m.text = strings.ToLower(q.Text)
		// JSON writes these escaped: the raw body cannot be searched for them.
		if !strings.ContainsAny(q.Text, "\"\\\u2028\u2029") && !hasControl(q.Text) {
			m.raw = []byte(m.text)
		}
	}
	return m
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// pre is a cheap check on the stored bytes before decoding: false means
// the event cannot match.
func (m *matcher) pre(body []byte) bool {
	if m.raw == nil {
		return true
	}
	return containsFold(body, m.raw)
}

func (m *matcher) match(ev *Event) bool {
	if m.kinds != nil && !m.kinds[ev.Kind] {
		return false
	}
	if !m.q.Since.IsZero() && ev.Time.Before(m.q.Since) {
		return false
	}
	if !m.q.Until.IsZero() && !ev.Time.Before(m.q.Until) {
		return false
	}
	if !m.needle {
		return true
	}
	for _, s := range []string{ev.Kind, ev.Outcome, ev.Interface, ev.App} {
		if strings.Contains(strings.ToLower(s), m.text) {
			return true
		}
	}
	return textIn(ev.Data, m.text)
}

// textIn looks for needle in every string value (not the keys) of v.
func textIn(v any, needle string) bool {
	switch t := v.(type) {
	case string:
		return strings.Contains(strings.ToLower(t), needle)
	case map[string]any:
		for _, x := range t {
			if textIn(x, needle) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if textIn(x, needle) {
				return true
			}
		}
	}
	return false
}

// containsFold reports whether hay contains needle (already lower case),
// ignoring ASCII case in hay; other bytes compare as they are, which is
// exact for text without case (Japanese) and a superset check otherwise.
func containsFold(hay, needle []byte) bool {
	if len(needle) == 0 {
		return true
	}
	ascii := true
	for _, c := range needle {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		// Non-ASCII letters may change bytes under case folding: only a
		// needle whose non-ASCII bytes have no case can be pre-checked.
		if bytes.ContainsFunc(needle, func(r rune) bool { return r >= utf8.RuneSelf && strings.ToUpper(string(r)) != string(r) }) {
			return true
		}
	}
	letters := false
	for _, c := range needle {
		if c >= 'a' && c <= 'z' {
			letters = true
			break
		}
	}
	if !letters { // nothing to fold: the fast search
		return bytes.Contains(hay, needle)
	}
	n0 := needle[0]
	for i := 0; i+len(needle) <= len(hay); i++ {
		c := hay[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != n0 {
			continue
		}
		j := 1
		for ; j < len(needle); j++ {
			c := hay[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
		}
		if j == len(needle) {
			return true
		}
	}
	return false
}

// scan calls f for matching events, newest first (or oldest first), until
// f returns false.
func (s *Store) scan(q Query, newestFirst bool, f func(Event) bool) error {
	m := newMatcher(q)
	return s.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketEvents)
		if bk == nil {
			return nil
		}
		c := bk.Cursor()
		var k, v []byte
		switch {
		case !newestFirst:
			k, v = c.First()
		case q.Before > 0:
			k, v = c.Seek(seqKey(q.Before))
			if k == nil {
				k, v = c.Last()
			}
			for k != nil && binary.BigEndian.Uint64(k) >= q.Before {
				k, v = c.Prev()
			}
		default:
			k, v = c.Last()
		}
		for ; k != nil; k, v = step(c, newestFirst) {
			if len(v) >= headerLen && !m.pre(v[headerLen:]) {
				continue
			}
			ev, err := decode(v)
			if err != nil {
				return err
			}
			if m.match(&ev) && !f(ev) {
				return nil
			}
		}
		return nil
	})
}

func step(c *bolt.Cursor, back bool) ([]byte, []byte) {
	if back {
		return c.Prev()
	}
	return c.Next()
}

// List returns matching events, newest first, q.Limit at a time; the next
// page starts at Page.Next.
func (s *Store) List(q Query) (Page, error) {
	var p Page
	p.Events = []Event{}
	err := s.scan(q, true, func(ev Event) bool {
		if q.Limit > 0 && len(p.Events) == q.Limit {
			p.Next = p.Events[len(p.Events)-1].Seq
			return false
		}
		p.Events = append(p.Events, ev)
		return true
	})
	return p, err
}

// Get returns the event with this sequence number.
func (s *Store) Get(seq uint64) (Event, bool, error) {
	var ev Event
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketEvents)
		if bk == nil {
			return nil
		}
		v := bk.Get(seqKey(seq))
		if v == nil {
			return nil
		}
		var err error
		ev, err = decode(v)
		found = err == nil
		return err
	})
	return ev, found, err
}

// Format is an export format.
type Format string

const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// csvColumns are the CSV export's columns.
var csvColumns = []string{"seq", "time", "kind", "outcome", "interface", "app", "file", "data", "prev", "hash"}

// Export writes matching events, oldest first, as CSV (one row each, the
// kind's details as JSON in the data column) or as a JSON document with the
// head hash. Times are written in loc (UTC when nil). CSV cells that a
// spreadsheet would run as a formula are prefixed with an apostrophe.
func (s *Store) Export(w io.Writer, f Format, q Query, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	q.Limit, q.Before = 0, 0
	switch f {
	case CSV:
		cw := csv.NewWriter(w)
		w.Write([]byte("\uFEFF")) // BOM: spreadsheets then read UTF-8 (Japanese file names)
		cw.Write(csvColumns)
		err := s.scan(q, false, func(ev Event) bool {
			data := ""
			if len(ev.Data) > 0 {
				b, _ := marshalCompact(ev.Data)
				data = string(b) // its text already escaped: cellSafe leaves JSON valid
			}
			file, _ := ev.Data["file"].(string)
			row := []string{strconv.FormatUint(ev.Seq, 10), ev.Time.In(loc).Format(time.RFC3339), ev.Kind, ev.Outcome,
				ev.Interface, ev.App, file, data, ev.Prev, ev.Hash}
			for i := range row {
				row[i] = cellSafe(row[i])
			}
			return cw.Write(row) == nil
		})
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case JSON:
		head, err := s.Head()
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "{\n  \"schema\": %d,\n  \"head\": %q,\n  \"events\": [", SchemaVersion, head.Hash); err != nil {
			return err
		}
		n := 0
		var werr error
		err = s.scan(q, false, func(ev Event) bool {
			ev.Time = ev.Time.In(loc)
			b, err := marshalCompact(ev)
			if err != nil {
				werr = err
				return false
			}
			sep := ",\n    "
			if n == 0 {
				sep = "\n    "
			}
			n++
			_, werr = io.WriteString(w, sep+string(b))
			return werr == nil
		})
		if err != nil {
			return err
		}
		if werr != nil {
			return werr
		}
		end := "]\n}\n"
		if n > 0 {
			end = "\n  ]\n}\n"
		}
		_, err = io.WriteString(w, end)
		return err
	}
	return fmt.Errorf("history: unknown export format %q", f)
}

// marshalCompact is JSON on one line in which every character safetext
// finds unsafe (C1 controls, direction overrides; encoding/json escapes
// only C0) is written as a \u escape: an export shown in a terminal or
// a viewer cannot be made to act or reorder text.
func marshalCompact(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	if !bytes.ContainsFunc(b, safetext.Unsafe) {
		return b, nil
	}
	var out bytes.Buffer
	for _, r := range string(b) {
		if safetext.Unsafe(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.WriteRune(r)
		}
	}
	return out.Bytes(), nil
}

func cellSafe(s string) string {
	s = safetext.Show(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// HeadInfo is the end of the chain.
type HeadInfo struct {
	Seq  uint64 `json:"seq"`  // last sequence number ever used (0: nothing recorded)
	Hash string `json:"hash"` // its hash, hex
}

// Head returns the end of the chain as the store's metadata records it.
func (s *Store) Head() (HeadInfo, error) {
	var h HeadInfo
	err := s.db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if m == nil {
			h.Hash = fmt.Sprintf("%x", zeroHash)
			return nil
		}
		seq, hash, _ := readMark(m, keyHead)
		h.Seq, h.Hash = seq, fmt.Sprintf("%x", hash)
		return nil
	})
	return h, err
}
