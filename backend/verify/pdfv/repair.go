package pdfv

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// Rebuilding the cross-reference from the object headers, the way viewers
// do when a table does not point at the objects it names (poppler's
// XRef::constructXRef, pdf.js's XRef.indexObjects, PDFium's rebuild): every
// "N G obj" header in the bytes is a candidate; a later header with the
// same or a higher generation replaces an earlier one; cross-reference
// streams met on the way add the objects they place in object streams; the
// last trailer (or cross-reference stream) naming a catalog is the trailer.

// maxHeaders bounds the headers collected in one rebuild.
const maxHeaders = maxObjects

// header is one "N G obj" found in the bytes.
type header struct {
	num, gen int
	off      int64
}

// The header scan reads the file in windows: window k holds the bytes
// [k*headerStep - headerBack, (k+1)*headerStep + headerOverlap), cut at
// the start and the end of the file. A header is counted in the window
// where its "obj" starts within [k*headerStep, (k+1)*headerStep), and a
// "trailer" keyword likewise, so nothing is counted twice; headerBack
// holds the longest header the scan reads before its "obj" (see
// backDigits), so a header across a window's start is read whole there,
// and headerOverlap the "obj" and the byte after it at the window's end.
// The one pass of Sums reads the same windows.
const (
	headerStep    = 1 << 20
	headerOverlap = 64
	// maxHeaderSpace bounds each run of white space in a header
	// ("N" run "G" run "obj"); a longer run makes the scan fail
	// (errHeaderSpace), never a header silently not seen.
	maxHeaderSpace = 255
	// headerBack: the byte before the number, 10 digits, a run (one more
	// byte than is allowed, to see that it is too long), 10 digits, a run.
	headerBack = 1 + 10 + (maxHeaderSpace + 1) + 10 + (maxHeaderSpace + 1)
)

// errHeaderSpace: a header candidate with a run of white space longer
// than the scan reads (pdf.js accepts any run within a line).
var errHeaderSpace = fmt.Errorf("%w: an object header with more than %d bytes of white space in a row", errLimit, maxHeaderSpace)

// headers finds every object header in [0, end) and the offsets of the
// "trailer" keywords, reading the file in windows (or, for the whole file,
// taking what the one pass of Sums found in the same windows).
func (d *doc) headers(end int64) (hs []header, trailers []int64, err error) {
	if s, ok := d.f.(*Sums); ok && end == s.size {
		if hs, trailers, err, ok := s.headers(); ok {
			return hs, trailers, err
		}
	}
	buf := make([]byte, headerBack+headerStep+headerOverlap)
	for base := int64(0); base < end; base += headerStep {
		back := min(base, headerBack)
		n, _ := d.f.ReadAt(buf[:back+min(headerStep+headerOverlap, end-base)], base-back)
		if hs, trailers, err = scanWindow(buf[:n], int(back), base, end, hs, trailers); err != nil {
			return nil, nil, err
		}
	}
	return hs, trailers, nil
}

// scanWindow adds the object headers and "trailer" keywords of the window
// win, whose byte back is at base (the bytes before it are the look-back,
// up to headerBack; after it up to headerStep+headerOverlap bytes, never
// past end), to hs and trailers.
func scanWindow(win []byte, back int, base, end int64, hs []header, trailers []int64) ([]header, []int64, error) {
	if back > len(win) {
		return hs, trailers, nil
	}
	last := base+headerStep >= end
	for i := back; ; {
		j := bytes.Index(win[i:], []byte("obj"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		if at-back >= headerStep && !last {
			break // the next window counts it
		}
		if at+3 < len(win) && !isSpace(win[at+3]) && !isDelim(win[at+3]) {
			continue // "objects", "endobj" are caught below
		}
		num, gen, start, ok, long := backDigits(win, at)
		if long {
			return nil, nil, errHeaderSpace
		}
		if !ok {
			continue
		}
		if start == 0 && base-int64(back) > 0 {
			return nil, nil, errHeaderSpace // cannot be: headerBack holds it
		}
		if len(hs) == maxHeaders {
			return nil, nil, errLimit
		}
		hs = append(hs, header{num, gen, base - int64(back) + int64(start)})
	}
	for i := back; ; {
		j := bytes.Index(win[i:], []byte("trailer"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 7
		if at-back >= headerStep && !last {
			break
		}
		trailers = append(trailers, base-int64(back)+int64(at))
	}
	return hs, trailers, nil
}

// backDigits reads "N G " before the "obj" at b[at]: white space, digits,
// white space, digits, then the start of a line or a delimiter; each run
// of white space at most maxHeaderSpace bytes (long: a longer one where a
// header could be), each number at most 10 digits. It reads at most
// headerBack bytes before at.
func backDigits(b []byte, at int) (num, gen, start int, ok, long bool) {
	p := at
	skip := func() int {
		n := 0
		for p > 0 && isSpace(b[p-1]) && n <= maxHeaderSpace {
			p--
			n++
		}
		return n
	}
	digits := func() (int, bool) {
		e := p
		for p > 0 && b[p-1] >= '0' && b[p-1] <= '9' && e-p < 10 {
			p--
		}
		if p == e {
			return 0, false
		}
		v := 0
		for _, c := range b[p:e] {
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if n := skip(); n == 0 || n > maxHeaderSpace {
		return 0, 0, 0, false, n > maxHeaderSpace
	}
	g, ok1 := digits()
	if !ok1 {
		return
	}
	if n := skip(); n == 0 || n > maxHeaderSpace {
		return 0, 0, 0, false, n > maxHeaderSpace
	}
	n, ok2 := digits()
	if !ok2 {
		return
	}
	if p > 0 && !isSpace(b[p-1]) && !isDelim(b[p-1]) && b[p-1] != '>' && b[p-1] != ']' && b[p-1] != ')' {
		return
	}
	return n, g, p, true, false
}

// repaired is the revision ending at end as a viewer rebuilds it.
func (d *doc) repair(end int64) (*state, error) {
	if s, ok := d.repaired[end]; ok {
		return s, nil
	}
	hs, trailers, err := d.headers(end)
	if err != nil {
		return nil, err
	}
	if len(hs) == 0 {
		return nil, errors.New("no object found")
	}
	s := &state{d: d, entries: map[int]entry{}, cache: map[int]any{}, repaired: true}
	// Candidate trailers in file order: "trailer" dictionaries and
	// cross-reference stream dictionaries.
	type cand struct {
		off int64
		tr  pdict
	}
	var cands []cand
	var streams []*section
	for _, h := range hs {
		if e, ok := s.entries[h.num]; !ok || h.gen >= e.gen {
			s.entries[h.num] = entry{kind: 1, off: h.off, gen: h.gen}
		}
		// Only cross-reference streams are parsed here.
		if head := d.read(h.off, 256); bytes.Contains(head, []byte("/XRef")) {
			if sec, err := d.xrefStream(h.off); err == nil {
				streams = append(streams, sec)
				cands = append(cands, cand{h.off, sec.trailer})
			}
		}
	}
	for _, t := range trailers {
		l := &lexer{b: d.read(t+7, 64<<10)}
		if v, err := l.object(0); err == nil {
			if tr, ok := v.(pdict); ok {
				cands = append(cands, cand{t, tr})
			}
		}
	}
	// Objects the streams place in object streams fill what no header
	// defines.
	for _, sec := range streams {
		for n, e := range sec.entries {
			if _, ok := s.entries[n]; !ok && e.kind == 2 {
				s.entries[n] = e
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].off < cands[j].off })
	var best pdict
	for _, c := range cands {
		s.trailer = c.tr
		if s.root() != nil {
			best = c.tr
		}
	}
	s.trailer = best
	s.cache = map[int]any{}
	s.problems = nil
	if s.root() == nil {
		// No trailer names a catalog: take the last catalog object.
		for i := len(hs) - 1; i >= 0; i-- {
			if dd := asDict(s.getQuiet(hs[i].num)); dd != nil && dd["Type"] == pname("Catalog") {
				s.trailer = pdict{"Root": pref{hs[i].num, hs[i].gen}}
				break
			}
		}
	}
	if s.root() == nil {
		return nil, fmt.Errorf("no document catalog found in %d objects", len(hs))
	}
	d.repaired[end] = s
	return s, nil
}

func (s *state) getQuiet(n int) any {
	v, _ := s.get(n)
	return v
}
