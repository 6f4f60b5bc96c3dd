package pdfv

import (
	"github.com/shomei-app/shomei/backend/verify/finding"
	"io"
	"sort"
)

// Signature dictionaries are enumerated from the parsed objects, never by
// a byte pattern: every version of every object that a revision's
// cross-reference names (or, when the table must be rebuilt, every object
// header in the file) is read once; any dictionary with a /ByteRange, or
// typed /Sig or /DocTimeStamp with a /Contents, is a signature to verify.
// A form field whose /V is a direct signature dictionary is reported too
// (it cannot be verified: its /Contents is not an object's own string).

// version is one object version: its number and entry, and the section
// (index in the analyser's chain, -1 for a rebuilt table) naming it.
type version struct {
	num int
	e   entry
	sec int
}

func (a *analyser) versions() ([]version, error) {
	var out []version
	named := map[int64]bool{}
	if a.err == nil {
		for i, s := range a.last {
			for n, e := range s.entries {
				if e.kind != 0 {
					out = append(out, version{n, e, i})
					if e.kind == 1 {
						named[e.off] = true
					}
				}
			}
		}
	}
	// Objects no revision names (a table pointing elsewhere, a history
	// cut short): a signature among them is reported, and judged against
	// the revisions the file has.
	// A scan that fails (too many headers, a header it cannot read) is
	// an error: a signature it did not see would go unreported.
	hs, _, err := a.d.headers(a.d.size)
	if err != nil {
		return nil, err
	}
	for i := len(hs) - 1; i >= 0; i-- { // newest first, as sections are
		h := hs[i]
		if !named[h.off] {
			out = append(out, version{h.num, entry{kind: 1, off: h.off, gen: h.gen}, -1})
		}
	}
	if a.repairedFinal == nil {
		return out, nil
	}
	for n, e := range a.repairedFinal.entries {
		if e.kind == 2 {
			out = append(out, version{n, e, -1})
		}
	}
	return out, nil
}

// view is the state a version is read in: the revision of its section.
func (a *analyser) view(sec int) *state {
	if sec < 0 || a.err != nil {
		return a.current()
	}
	if a.views == nil {
		a.views = map[int]*state{}
	}
	if s, ok := a.views[sec]; ok {
		return s
	}
	s := a.d.state(a.last[sec:])
	a.views[sec] = s
	return s
}

// current is the final revision as read: the table, or the rebuilt one;
// when neither can be read, a revision with no objects (every reference
// reads as null), never nil: objects found only by their headers are
// still read against it.
func (a *analyser) current() *state {
	if a.final != nil {
		return a.final
	}
	if a.repairedFinal == nil {
		return a.d.state(nil)
	}
	return a.repairedFinal
}

func find(f io.ReaderAt, size int64, a *analyser) ([]*Signature, error) {
	type key struct {
		num int
		off int64
		idx int
	}
	seen := map[key]bool{}
	byNum := map[int][]*Signature{}
	var nums []int
	versions, err := a.versions()
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		k := key{v.num, v.e.off, v.e.idx}
		if v.e.kind == 1 {
			k.idx = -1
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		var d pdict
		var spans map[string][2]int64
		off := int64(-1)
		st := a.view(v.sec)
		switch v.e.kind {
		case 1:
			p := a.d.object(v.e.off)
			if p.err != nil || p.num != v.num {
				continue
			}
			d, spans, off = asDict(p.v), p.spans, v.e.off
		case 2:
			x, err := st.get(v.num)
			if err != nil {
				continue
			}
			d = asDict(x)
		}
		if d == nil {
			continue
		}
		if s := sigFrom(st, d, v.num, off, spans, size); s != nil {
			if byNum[v.num] == nil {
				nums = append(nums, v.num)
			}
			byNum[v.num] = append(byNum[v.num], s)
			continue
		}
		// A field holding its signature as a direct dictionary.
		if sd, ok := d["V"].(pdict); ok && isSigDict(sd) {
			s := sigFrom(st, sd, v.num, -1, nil, size)
			s.Problems = append(s.Problems[:0], finding.New(finding.SigNotObject))
			s.RangeOK, s.Whole = false, false
			if byNum[v.num] == nil {
				nums = append(nums, v.num)
			}
			byNum[v.num] = append(byNum[v.num], s)
		}
	}
	var sigs []*Signature
	for _, n := range nums {
		list := byNum[n]
		// A dictionary rewritten in a later revision keeps the versions
		// whose /Contents is their signed gap; the rewrite shows up as a
		// change after the signature. Without such a version, the newest.
		var ok []*Signature
		for _, s := range list {
			if s.RangeOK {
				ok = append(ok, s)
			}
		}
		if len(ok) == 0 {
			ok = list[:1] // versions come newest section first
		}
		sigs = append(sigs, ok...)
	}
	sort.SliceStable(sigs, func(i, j int) bool {
		if sigs[i].SignedEnd != sigs[j].SignedEnd {
			return sigs[i].SignedEnd < sigs[j].SignedEnd
		}
		if sigs[i].Offset != sigs[j].Offset {
			return sigs[i].Offset < sigs[j].Offset
		}
		return sigs[i].Object < sigs[j].Object
	})
	return sigs, nil
}

// isSigDict: a /ByteRange, or typed /Sig or /DocTimeStamp with /Contents.
func isSigDict(d pdict) bool {
	if d["ByteRange"] != nil {
		return true
	}
	t, _ := d["Type"].(pname)
	return (t == "Sig" || t == "DocTimeStamp") && d["Contents"] != nil
}

// sigFrom reads a signature dictionary d (object num, its header at off,
// -1 inside an object stream; spans: where its values lie in the file).
func sigFrom(st *state, d pdict, num int, off int64, spans map[string][2]int64, size int64) *Signature {
	if !isSigDict(d) {
		return nil
	}
	sub, _ := d["SubFilter"].(pname)
	s := &Signature{Object: num, Offset: off, SubFilter: string(sub)}
	s.Timestamp = d["Type"] == pname("DocTimeStamp") || s.SubFilter == "ETSI.RFC3161"
	br, _ := st.resolve(d["ByteRange"]).(parray)
	for _, x := range br {
		n, ok := st.resolve(x).(int64)
		if !ok {
			s.ByteRange = nil
			break
		}
		s.ByteRange = append(s.ByteRange, n)
	}
	contents, _ := d["Contents"].(pstr)
	cStart, cEnd := int64(-1), int64(-1)
	if sp, ok := spans["Contents"]; ok && contents != nil {
		cStart, cEnd = sp[0], sp[1]
	} else if off >= 0 {
		// An indirect /Contents is another object's string: never a gap.
		contents, _ = st.resolve(d["Contents"]).(pstr)
		cStart, cEnd = -2, -2
	}
	s.claimsFrom(d)
	s.check(size, cStart, cEnd, []byte(contents))
	return s
}
