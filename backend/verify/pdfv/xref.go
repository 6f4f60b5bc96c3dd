package pdfv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// The cross-reference sections of a file, and the set of objects a
// revision defines (ISO 32000-1 §7.5). Every read is bounded: sections,
// objects, nesting and decompressed bytes.

type entry struct {
	kind byte  // 0 free, 1 at an offset, 2 inside an object stream
	off  int64 // kind 1: offset; kind 2: the object stream's number
	idx  int   // kind 2: index inside the object stream
	gen  int
}

type section struct {
	off     int64
	entries map[int]entry
	trailer pdict
	prev    int64 // -1 when none
	// anomalies are readings viewers may not share: rows for one object
	// that disagree (the first is kept, as poppler and pdf.js do), an
	// /XRefStm that cannot be read.
	anomalies []string
}

// Limits against hostile files.
const (
	maxSections    = 512       // revisions: each one is a state to build and compare
	maxStreamBytes = 32 << 20  // one decoded stream
	maxDecoded     = 128 << 20 // all decoded streams of one verification
	maxObjects     = 1 << 20   // objects parsed in one verification
	maxTableBytes  = 64 << 20  // one xref table
)

var errLimit = errors.New("the PDF exceeds a safety limit")

type doc struct {
	f        io.ReaderAt
	size     int64
	sections map[int64]*section
	decoded  int64
	parsed   int
	objs     map[int64]*parsed // indirect objects by header offset
	repaired map[int64]*state  // reconstructed revisions by end
	objstms  map[int64]*objStream
}

// parsed is one indirect object read at an offset.
type parsed struct {
	num, gen int
	v        any
	spans    map[string][2]int64
	err      error
}

func newDoc(f io.ReaderAt, size int64) *doc {
	return &doc{f: f, size: size, sections: map[int64]*section{}, objs: map[int64]*parsed{}, repaired: map[int64]*state{}, objstms: map[int64]*objStream{}}
}

func (d *doc) read(off int64, n int) []byte {
	if off < 0 || off >= d.size || n <= 0 {
		return nil
	}
	n = int(min(int64(n), d.size-off))
	b := make([]byte, n)
	m, _ := d.f.ReadAt(b, off)
	return b[:m]
}

// startxrefBefore finds the "startxref N" that precedes end (the end of a
// revision, after its %%EOF).
func (d *doc) startxrefBefore(end int64) (int64, bool) {
	from := max(0, end-1024)
	b := d.read(from, int(end-from))
	i := bytes.LastIndex(b, []byte("startxref"))
	if i < 0 {
		return 0, false
	}
	l := &lexer{b: b[i+len("startxref"):]}
	t, _ := l.token()
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n >= d.size {
		return 0, false
	}
	return n, true
}

// endsAtEOF reports whether the bytes before end are "%%EOF" and an
// optional end-of-line: the end of a revision.
func (d *doc) endsAtEOF(end int64) bool {
	b := d.read(max(0, end-8), int(min(end, 8)))
	b = bytes.TrimRight(b, "\r\n")
	return bytes.HasSuffix(b, []byte("%%EOF"))
}

// chain follows /Prev from the section at off, newest first.
func (d *doc) chain(off int64) ([]*section, error) {
	var out []*section
	seen := map[int64]bool{}
	for off >= 0 {
		if seen[off] {
			return nil, errors.New("the cross-reference sections form a loop")
		}
		if len(out) >= maxSections {
			return nil, errLimit
		}
		seen[off] = true
		s, err := d.section(off)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		off = s.prev
	}
	return out, nil
}

func (d *doc) section(off int64) (*section, error) {
	if s, ok := d.sections[off]; ok {
		return s, nil
	}
	head := d.read(off, 16)
	var s *section
	var err error
	if bytes.HasPrefix(bytes.TrimLeft(head, " \r\n\t\f"), []byte("xref")) {
		s, err = d.table(off)
	} else {
		s, err = d.xrefStream(off)
	}
	if err != nil {
		return nil, fmt.Errorf("cross-reference section at %d: %w", off, err)
	}
	d.sections[off] = s
	return s, nil
}

func (d *doc) table(off int64) (*section, error) {
	for n := 1 << 16; ; n *= 4 {
		b := d.read(off, n)
		s, err := parseTable(b)
		if err == nil {
			s.off = off
			if x, ok := s.trailer["XRefStm"]; ok {
				// A hybrid file: the stream adds compressed objects. One
				// that cannot be read is not dropped silently: viewers
				// that read it see objects this reading does not.
				xo, _ := x.(int64)
				xs, err := d.xrefStream(xo)
				if err != nil {
					s.anomalies = append(s.anomalies, fmt.Sprintf("the /XRefStm of the section at %d cannot be read (%v)", off, err))
				} else {
					for k, e := range xs.entries {
						if _, ok := s.entries[k]; !ok {
							s.entries[k] = e
						}
					}
				}
			}
			return s, nil
		}
		if len(b) < n || n >= maxTableBytes {
			return nil, err
		}
	}
}

func parseTable(b []byte) (*section, error) {
	l := &lexer{b: b}
	if t, _ := l.token(); t != "xref" {
		return nil, errSyntax
	}
	s := &section{entries: map[int]entry{}, prev: -1}
	for {
		t, ok := l.token()
		if !ok {
			return nil, errSyntax
		}
		if t == "trailer" {
			v, err := l.object(0)
			if err != nil {
				return nil, err
			}
			tr, ok := v.(pdict)
			if !ok {
				return nil, errSyntax
			}
			s.trailer = tr
			if p, ok := tr["Prev"].(int64); ok {
				s.prev = p
			}
			return s, nil
		}
		start, err1 := strconv.Atoi(t)
		c, _ := l.token()
		count, err2 := strconv.Atoi(c)
		if err1 != nil || err2 != nil || start < 0 || count < 0 || count > maxObjects {
			return nil, errSyntax
		}
		for i := 0; i < count; i++ {
			o, _ := l.token()
			g, _ := l.token()
			k, _ := l.token()
			ov, err1 := strconv.ParseInt(o, 10, 64)
			gv, err2 := strconv.Atoi(g)
			if err1 != nil || err2 != nil || (k != "n" && k != "f") {
				return nil, errSyntax
			}
			e := entry{gen: gv}
			if k == "n" {
				e.kind, e.off = 1, ov
			}
			if start+i == 0 && k == "n" && ov == 0 {
				continue // a broken writer's object 0
			}
			if prev, dup := s.entries[start+i]; dup {
				// Viewers keep the first row for an object.
				if prev != e {
					s.anomalies = append(s.anomalies, fmt.Sprintf("the section has two different rows for object %d", start+i))
				}
				continue
			}
			s.entries[start+i] = e
		}
	}
}

func (d *doc) xrefStream(off int64) (*section, error) {
	_, _, v, err := d.indirectAt(off)
	if err != nil {
		return nil, err
	}
	st, ok := v.(*pstream)
	if !ok || st.dict["Type"] != pname("XRef") {
		return nil, errors.New("no cross-reference table or stream")
	}
	data, err := d.decode(st, nil)
	if err != nil {
		return nil, err
	}
	w, _ := st.dict["W"].(parray)
	if len(w) != 3 {
		return nil, errSyntax
	}
	var ws [3]int
	row := 0
	for i, x := range w {
		n, ok := x.(int64)
		if !ok || n < 0 || n > 8 {
			return nil, errSyntax
		}
		ws[i] = int(n)
		row += int(n)
	}
	if row == 0 {
		return nil, errSyntax
	}
	size, _ := st.dict["Size"].(int64)
	index := parray{int64(0), size}
	if ix, ok := st.dict["Index"].(parray); ok {
		index = ix
	}
	s := &section{off: off, entries: map[int]entry{}, trailer: st.dict, prev: -1}
	if p, ok := st.dict["Prev"].(int64); ok {
		s.prev = p
	}
	field := func(b []byte) int64 {
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return v
	}
	pos := 0
	for i := 0; i+1 < len(index); i += 2 {
		start, ok1 := index[i].(int64)
		count, ok2 := index[i+1].(int64)
		if !ok1 || !ok2 || start < 0 || count < 0 || count > maxObjects {
			return nil, errSyntax
		}
		for j := int64(0); j < count; j++ {
			if pos+row > len(data) {
				return s, nil // short data: keep what is there
			}
			r := data[pos : pos+row]
			pos += row
			typ := int64(1)
			if ws[0] > 0 {
				typ = field(r[:ws[0]])
			}
			a := field(r[ws[0] : ws[0]+ws[1]])
			b := field(r[ws[0]+ws[1]:])
			num := int(start + j)
			if _, dup := s.entries[num]; dup {
				s.anomalies = append(s.anomalies, fmt.Sprintf("the cross-reference stream has two rows for object %d", num))
				continue
			}
			switch typ {
			case 0:
				s.entries[num] = entry{kind: 0, gen: int(b)}
			case 1:
				s.entries[num] = entry{kind: 1, off: a, gen: int(b)}
			case 2:
				s.entries[num] = entry{kind: 2, off: a, idx: int(b)}
			}
		}
	}
	return s, nil
}

// indirectAt parses the indirect object whose header is at off (once).
func (d *doc) indirectAt(off int64) (num, gen int, v any, err error) {
	p := d.object(off)
	return p.num, p.gen, p.v, p.err
}

func (d *doc) object(off int64) *parsed {
	if p, ok := d.objs[off]; ok {
		return p
	}
	d.parsed++
	if d.parsed > maxObjects {
		return &parsed{err: errLimit}
	}
	p := &parsed{}
	for n := 1 << 12; ; n *= 8 {
		b := d.read(off, n)
		p.num, p.gen, p.v, p.spans, p.err = parseIndirectSpans(b, off)
		if p.err == nil || len(b) < n || n >= 16<<20 {
			break
		}
	}
	d.objs[off] = p
	return p
}
