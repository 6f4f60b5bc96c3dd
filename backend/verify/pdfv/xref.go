package pdfv

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
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
}

// Limits against hostile files.
const (
	maxSections    = 4096
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
}

func newDoc(f io.ReaderAt, size int64) *doc {
	return &doc{f: f, size: size, sections: map[int64]*section{}}
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
			if x, ok := s.trailer["XRefStm"].(int64); ok {
				// A hybrid file: the stream adds compressed objects.
				if xs, err := d.xrefStream(x); err == nil {
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

// indirectAt parses the indirect object whose header is at off.
func (d *doc) indirectAt(off int64) (num, gen int, v any, err error) {
	d.parsed++
	if d.parsed > maxObjects {
		return 0, 0, nil, errLimit
	}
	for n := 1 << 14; ; n *= 8 {
		b := d.read(off, n)
		num, gen, v, err = parseIndirect(b, off)
		if err == nil || len(b) < n || n >= 16<<20 {
			return num, gen, v, err
		}
	}
}

// raw returns a stream's undecoded data; length may be a reference,
// resolved in st.
func (d *doc) raw(s *pstream, st *state) ([]byte, error) {
	var n int64
	switch l := s.dict["Length"].(type) {
	case int64:
		n = l
	case pref:
		if st != nil {
			if v, err := st.get(l.num); err == nil {
				n, _ = v.(int64)
			}
		}
	}
	if n <= 0 || s.start+n > d.size {
		// Find endstream instead.
		b := d.read(s.start, maxStreamBytes)
		e := bytes.Index(b, []byte("endstream"))
		if e < 0 {
			return nil, errors.New("stream without an end")
		}
		return bytes.TrimRight(b[:e], "\r\n"), nil
	}
	if n > maxStreamBytes {
		return nil, errLimit
	}
	return d.read(s.start, int(n)), nil
}

// decode returns a stream's data with FlateDecode (and PNG predictors)
// undone, within the limits.
func (d *doc) decode(s *pstream, st *state) ([]byte, error) {
	raw, err := d.raw(s, st)
	if err != nil {
		return nil, err
	}
	filters := []any{s.dict["Filter"]}
	if a, ok := s.dict["Filter"].(parray); ok {
		filters = a
	}
	parms := []any{s.dict["DecodeParms"]}
	if a, ok := s.dict["DecodeParms"].(parray); ok {
		parms = a
	}
	data := raw
	for i, f := range filters {
		switch f {
		case nil:
			continue
		case pname("FlateDecode"):
			out, err := d.inflate(data)
			if err != nil {
				return nil, err
			}
			var p pdict
			if i < len(parms) {
				p, _ = parms[i].(pdict)
			}
			data, err = unpredict(out, p)
			if err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("stream filter %v is not supported here", f)
		}
	}
	return data, nil
}

func (d *doc) inflate(b []byte) ([]byte, error) {
	var r io.Reader
	if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
		r = zr
	} else {
		r = flate.NewReader(bytes.NewReader(b))
	}
	left := min(int64(maxStreamBytes), maxDecoded-d.decoded)
	out, err := io.ReadAll(io.LimitReader(r, left+1))
	if int64(len(out)) > left {
		return nil, fmt.Errorf("%w: a compressed stream expands beyond %d MB", errLimit, left>>20)
	}
	d.decoded += int64(len(out))
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("compressed stream: %v", err)
	}
	return out, nil // a truncated stream keeps what inflated
}

// unpredict undoes PNG predictors (Predictor >= 10) row by row.
func unpredict(b []byte, p pdict) ([]byte, error) {
	pred, _ := p["Predictor"].(int64)
	if pred < 10 {
		if pred == 2 {
			return nil, errors.New("TIFF predictor is not supported here")
		}
		return b, nil
	}
	cols := int64(1)
	if c, ok := p["Columns"].(int64); ok && c > 0 && c < 1<<20 {
		cols = c
	}
	row := int(cols)
	out := make([]byte, 0, len(b))
	prev := make([]byte, row)
	for len(b) >= row+1 {
		ft, cur := b[0], append([]byte(nil), b[1:row+1]...)
		b = b[row+1:]
		for i := range cur {
			var left, upleft byte
			if i > 0 {
				left, upleft = cur[i-1], prev[i-1]
			}
			up := prev[i]
			switch ft {
			case 1:
				cur[i] += left
			case 2:
				cur[i] += up
			case 3:
				cur[i] += byte((int(left) + int(up)) / 2)
			case 4:
				cur[i] += paeth(left, up, upleft)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// state is the set of objects as one revision sees them.
type state struct {
	d       *doc
	entries map[int]entry
	trailer pdict
	cache   map[int]any
	objstm  map[int]*objStream
}

type objStream struct {
	data []byte
	offs map[int]int // index -> offset in data
	nums map[int]int // index -> object number
}

func (d *doc) state(chain []*section) *state {
	s := &state{d: d, entries: map[int]entry{}, cache: map[int]any{}, objstm: map[int]*objStream{}}
	for i := len(chain) - 1; i >= 0; i-- { // oldest first, newer entries win
		for k, e := range chain[i].entries {
			s.entries[k] = e
		}
	}
	if len(chain) > 0 {
		s.trailer = chain[0].trailer
	}
	return s
}

// get returns object num as this revision defines it (nil when free or
// absent).
func (s *state) get(num int) (any, error) {
	if v, ok := s.cache[num]; ok {
		return v, nil
	}
	e, ok := s.entries[num]
	var v any
	var err error
	switch {
	case !ok || e.kind == 0:
	case e.kind == 1:
		var n int
		n, _, v, err = s.d.indirectAt(e.off)
		if err == nil && n != num {
			err = fmt.Errorf("object %d: the cross-reference points at object %d", num, n)
		}
	case e.kind == 2:
		v, err = s.inStream(int(e.off), e.idx, num)
	}
	if err != nil {
		return nil, err
	}
	s.cache[num] = v
	return v, nil
}

func (s *state) inStream(stm, idx, num int) (any, error) {
	ob, ok := s.objstm[stm]
	if !ok {
		e, ok := s.entries[stm]
		if !ok || e.kind != 1 {
			return nil, fmt.Errorf("object stream %d not found", stm)
		}
		_, _, v, err := s.d.indirectAt(e.off)
		if err != nil {
			return nil, err
		}
		st, ok := v.(*pstream)
		if !ok {
			return nil, fmt.Errorf("object %d is not an object stream", stm)
		}
		data, err := s.d.decode(st, s)
		if err != nil {
			return nil, err
		}
		n, _ := st.dict["N"].(int64)
		first, _ := st.dict["First"].(int64)
		if n < 0 || n > maxObjects || first < 0 || first > int64(len(data)) {
			return nil, errSyntax
		}
		ob = &objStream{data: data, offs: map[int]int{}, nums: map[int]int{}}
		l := &lexer{b: data[:first]}
		for i := 0; i < int(n); i++ {
			a, _ := l.token()
			b, _ := l.token()
			on, err1 := strconv.Atoi(a)
			oo, err2 := strconv.Atoi(b)
			if err1 != nil || err2 != nil || oo < 0 || int64(oo)+first > int64(len(data)) {
				break
			}
			ob.nums[i], ob.offs[i] = on, int(first)+oo
		}
		s.objstm[stm] = ob
	}
	off, ok := ob.offs[idx]
	if !ok || ob.nums[idx] != num {
		// Writers sometimes get the index wrong: look the number up.
		found := false
		for i, n := range ob.nums {
			if n == num {
				off, found = ob.offs[i], true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("object %d not in object stream %d", num, stm)
		}
	}
	s.d.parsed++
	if s.d.parsed > maxObjects {
		return nil, errLimit
	}
	l := &lexer{b: ob.data[off:]}
	return l.object(0)
}

// resolve follows references (a bounded number of hops).
func (s *state) resolve(v any) any {
	for i := 0; i < 8; i++ {
		r, ok := v.(pref)
		if !ok {
			return v
		}
		v, _ = s.get(r.num)
	}
	return nil
}

func (s *state) dict(v any) pdict {
	switch x := s.resolve(v).(type) {
	case pdict:
		return x
	case *pstream:
		return x.dict
	}
	return nil
}

func (s *state) root() pdict { return s.dict(s.trailer["Root"]) }

// pageCount counts the leaves of the page tree.
func (s *state) pageCount() (int, error) {
	root := s.root()
	if root == nil {
		return 0, errors.New("no document catalog")
	}
	seen := map[int]bool{}
	var count func(v any, depth int) (int, error)
	count = func(v any, depth int) (int, error) {
		if depth > maxDepth {
			return 0, errors.New("page tree too deep")
		}
		if r, ok := v.(pref); ok {
			if seen[r.num] {
				return 0, errors.New("the page tree has a loop")
			}
			seen[r.num] = true
		}
		d := s.dict(v)
		if d == nil {
			return 0, nil
		}
		kids, ok := s.resolve(d["Kids"]).(parray)
		if !ok || d["Type"] == pname("Page") {
			return 1, nil
		}
		n := 0
		for _, k := range kids {
			c, err := count(k, depth+1)
			if err != nil {
				return 0, err
			}
			n += c
		}
		return n, nil
	}
	return count(root["Pages"], 0)
}
