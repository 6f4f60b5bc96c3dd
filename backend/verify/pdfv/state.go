package pdfv

import (
	"errors"
	"fmt"
	"strconv"
)

// state is the set of objects as one revision sees them.
type state struct {
	d       *doc
	entries map[int]entry
	trailer pdict
	cache   map[int]any
	// problems are inconsistencies met while reading (an entry that does
	// not point at its object, a reference whose generation is not the
	// entry's): viewers then rebuild the table from the object headers.
	problems []string
	repaired bool // rebuilt from the object headers (see repair.go)
}

func (s *state) problem(format string, a ...any) {
	if len(s.problems) < 32 {
		s.problems = append(s.problems, fmt.Sprintf(format, a...))
	}
}

type objStream struct {
	data  []byte
	offs  map[int]int // index -> offset in data
	nums  map[int]int // index -> object number
	byNum map[int]int // object number -> offset in data (the first)
}

func (d *doc) state(chain []*section) *state {
	s := &state{d: d, entries: map[int]entry{}, cache: map[int]any{}}
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
		var n, g int
		n, g, v, err = s.d.indirectAt(e.off)
		if err == nil && (n != num || g != e.gen) {
			err = fmt.Errorf("object %d %d: the cross-reference points at object %d %d", num, e.gen, n, g)
		}
		if err != nil {
			s.problem("object %d: %v", num, err)
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
	e, ok := s.entries[stm]
	if !ok || e.kind != 1 {
		return nil, fmt.Errorf("object stream %d not found", stm)
	}
	ob, ok := s.d.objstms[e.off]
	if !ok {
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
		ob = &objStream{data: data, offs: map[int]int{}, nums: map[int]int{}, byNum: map[int]int{}}
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
			if _, dup := ob.byNum[on]; !dup {
				ob.byNum[on] = int(first) + oo
			}
		}
		s.d.objstms[e.off] = ob
	}
	off, ok := ob.offs[idx]
	if !ok || ob.nums[idx] != num {
		// Writers sometimes get the index wrong: look the number up.
		if off, ok = ob.byNum[num]; !ok {
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

// resolve follows references (a bounded number of hops). A reference
// whose generation is not the entry's names no object (ISO 32000-1 §7.3.10):
// it reads as null, and viewers that rebuild the table may find another.
func (s *state) resolve(v any) any {
	for i := 0; i < 8; i++ {
		r, ok := v.(pref)
		if !ok {
			return v
		}
		if !s.genOK(r) {
			return nil
		}
		v, _ = s.get(r.num)
	}
	return nil
}

// genOK reports whether reference r's generation is the one its entry
// gives (objects in object streams have generation 0).
func (s *state) genOK(r pref) bool {
	e, ok := s.entries[r.num]
	if !ok || e.kind == 0 {
		return true // a free or missing object is null whatever the generation
	}
	g := e.gen
	if e.kind == 2 {
		g = 0
	}
	if g != r.gen {
		s.problem("reference %d %d R: the object has generation %d", r.num, r.gen, g)
		return false
	}
	return true
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
