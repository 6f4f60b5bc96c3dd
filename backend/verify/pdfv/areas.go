package pdfv

import (
	"errors"
	"io"
)

// Area is a place where a permitted change may paint: the rectangle of a
// widget or annotation on a page of the file's final revision, for the
// rendering comparison to leave out.
type Area struct {
	Page   int        // 1-based, in page-tree order
	Rect   [4]float64 // /Rect in default user space: llx, lly, urx, ury
	Object int        // the widget or annotation
}

// maxAreas bounds the areas collected (an attacker chooses the count).
const maxAreas = 10000

// PermittedAreas lists, for each of cs, in the final revision, the
// rectangles of the widgets and annotations that the changes named as
// allowed: the annotation itself, a widget of a field filled or signed, a
// widget showing a new signature, a widget whose appearance stream was the
// one replaced. Nothing else: a rectangle of anything the analysis did not
// name stays compared. pages is the number of pages the analysis sees; a
// caller compares it with the renderer's before trusting page numbers. The
// final revision is read once for all.
func PermittedAreas(f io.ReaderAt, size int64, cs ...Changes) (areas [][]Area, pages int, err error) {
	a := newAnalyser(f, size)
	if a.err != nil {
		return nil, 0, a.err
	}
	s := a.final
	list, err := s.pages()
	if err != nil {
		return nil, 0, err
	}
	areas = make([][]Area, len(cs))
	total := 0
	for k, c := range cs {
		named := map[int]bool{}
		for _, x := range c.List {
			if x.Allowed && x.Object > 0 {
				named[x.Object] = true
			}
		}
		if len(named) == 0 {
			continue
		}
		for i, pg := range list {
			for _, x := range asArray(s.resolve(pg["Annots"])) {
				r, ok := x.(pref)
				if !ok || !s.isNamed(r.num, named) {
					continue
				}
				rect, ok := s.rectOf(s.dict(r)["Rect"]) // normalised: a mask never inverted
				if !ok {
					continue
				}
				if total++; total > maxAreas {
					return nil, 0, errors.New("too many annotations")
				}
				areas[k] = append(areas[k], Area{Page: i + 1, Rect: rect, Object: r.num})
			}
		}
	}
	return areas, len(list), nil
}

// isNamed reports whether annotation n, or the field it belongs to, the
// signature it shows or its normal appearance, is in named.
func (s *state) isNamed(n int, named map[int]bool) bool {
	if len(named) == 0 {
		return false
	}
	d := s.dict(pref{n, 0})
	for i := 0; d != nil && i < 16; i++ {
		if named[n] || named[refNum(d["V"])] {
			return true
		}
		if ap := s.dict(d["AP"]); ap != nil {
			switch x := ap["N"].(type) {
			case pref:
				if named[x.num] {
					return true
				}
			default:
				for _, y := range s.dict(x) {
					if named[refNum(y)] {
						return true
					}
				}
			}
		}
		p, ok := d["Parent"].(pref)
		if !ok {
			break
		}
		n, d = p.num, s.dict(p)
	}
	return false
}

// pages lists the page dictionaries in page-tree order, as viewers number
// them.
func (s *state) pages() ([]pdict, error) {
	root := s.root()
	if root == nil {
		return nil, errors.New("no document catalog")
	}
	seen := map[int]bool{}
	var out []pdict
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		if depth > maxDepth {
			return errors.New("page tree too deep")
		}
		if r, ok := v.(pref); ok {
			if seen[r.num] {
				return errors.New("the page tree has a loop")
			}
			seen[r.num] = true
		}
		d := s.dict(v)
		if d == nil {
			return nil
		}
		kids, ok := s.resolve(d["Kids"]).(parray)
		if !ok || d["Type"] == pname("Page") {
			if len(out) == maxAreas {
				return errors.New("too many pages")
			}
			out = append(out, d)
			return nil
		}
		for _, k := range kids {
			if err := walk(k, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(root["Pages"], 0)
}
