package render

import (
	"context"
	"fmt"
	"image"
	"io"
	"math"
)

// Area is a rectangle of a page (1-based) in default user space (llx, lly,
// urx, ury) where a permitted change may paint: left out of the comparison.
type Area struct {
	Page int
	Rect [4]float64
}

// Revision is an earlier revision to compare with the final file: the
// bytes its signature covers, and the areas of the changes the analysis
// named as permitted.
type Revision struct {
	R         io.ReaderAt
	Size      int64
	Permitted []Area
	// Pages is the final file's page count as the areas were numbered; when
	// the engine counts otherwise, the areas cannot be placed (an error).
	Pages int
}

// Result is the comparison of one revision with the final file.
type Result struct {
	Pages   int    // pages compared
	Masked  int    // permitted areas left out
	Differs []Diff // pages that look different, in page order
	// Overlaps are the permitted areas that lie over the signed page's own
	// text or images (what they show may hide it).
	Overlaps []Overlap
}

// Diff is one page that looks different.
type Diff struct {
	Page   int    `json:"page"`   // 1-based
	Reason string `json:"reason"` // content | size | missing | added
	Pixels int    `json:"pixels"` // pixels that differ outside the permitted areas
	// Box is where they are, as fractions of the page's width and height
	// from the top left: x0, y0, x1, y1 (the whole page for size/missing/added).
	Box [4]float64 `json:"box"`
}

// Reasons of a Diff.
const (
	ReasonContent = "content"
	ReasonSize    = "size"
	ReasonMissing = "missing" // the page was signed and is gone
	ReasonAdded   = "added"   // the page was not signed
	// ReasonAnnotation: an annotation not there when signed, outside the
	// permitted areas (drawn by other viewers even where PDFium draws
	// nothing).
	ReasonAnnotation = "annotation"
)

const (
	// tolerance is the largest change of a colour channel not counted: the
	// same engine draws the same bytes identically; this only absorbs the
	// anti-aliased edge of a permitted area.
	tolerance = 16
	// margin widens a permitted area by its anti-aliased edge, in pixels.
	margin = 2
)

// Compare draws every page of the final file (once) and of each revision
// at DPI, and lists the pages that differ outside the permitted areas.
// The whole job (the engine's start aside) ends at ctx's deadline or
// the engine's budget (Timeout), whichever is first; an error means the documents could not be
// compared (cannot be confirmed).
func (e *Engine) Compare(ctx context.Context, final io.ReaderAt, finalSize int64, revs []Revision) ([]Result, error) {
	// The engine's start (a compile the first time) is the same for every
	// document and not part of the document's time.
	if _, err := e.start(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.budget())
	defer cancel()
	s, err := e.session(ctx)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	fd, err := s.open(final, finalSize)
	if err != nil {
		return nil, err
	}
	docs := make([]*doc, len(revs))
	out := make([]Result, len(revs))
	for i, r := range revs {
		if docs[i], err = s.open(r.R, r.Size); err != nil {
			return nil, err
		}
		out[i].Pages = max(docs[i].pages, fd.pages)
		if len(r.Permitted) > 0 && r.Pages != fd.pages {
			return nil, fmt.Errorf("%w (%d, %d)", ErrPages, r.Pages, fd.pages)
		}
	}
	// Every page of every document is drawn: the sum is bounded before
	// the first one (many revisions of a long document).
	renders := fd.pages
	for _, d := range docs {
		renders += d.pages
	}
	if renders > MaxRenders {
		return nil, fmt.Errorf("%w (%d pages to draw, at most %d)", ErrTooLarge, renders, MaxRenders)
	}
	for p := 0; p < fd.pages; p++ {
		fp, err := fd.render(p, DPI)
		if err != nil {
			return nil, err
		}
		for i, d := range docs {
			if p >= d.pages {
				out[i].Differs = append(out[i].Differs, Diff{Page: p + 1, Reason: ReasonAdded, Box: [4]float64{0, 0, 1, 1}})
				continue
			}
			rp, err := d.render(p, DPI)
			if err != nil {
				return nil, err
			}
			masks, err := fp.masks(revs[i].Permitted, p+1)
			if err != nil {
				return nil, err
			}
			out[i].Masked += len(masks)
			diff, ok := compare(rp.img, fp.img, masks)
			if ok {
				// The same pixels: still, every annotation of the page now
				// must have been there when signed or lie in a permitted
				// area. Other viewers draw some annotations PDFium leaves
				// blank (a FreeText without an appearance, for one).
				if diff, ok, err = newAnnots(d, fd, p, fp, revs[i].Permitted); err != nil {
					return nil, err
				}
			}
			if !ok {
				diff.Page = p + 1
				out[i].Differs = append(out[i].Differs, diff)
				continue
			}
			over, err := d.contentUnder(p, revs[i].Permitted)
			if err != nil {
				return nil, err
			}
			out[i].Overlaps = append(out[i].Overlaps, over...)
		}
	}
	for i, d := range docs {
		for p := fd.pages; p < d.pages; p++ {
			out[i].Differs = append(out[i].Differs, Diff{Page: p + 1, Reason: ReasonMissing, Box: [4]float64{0, 0, 1, 1}})
		}
	}
	if ctx.Err() != nil {
		return nil, ErrTimeout
	}
	return out, nil
}

// masks turns the permitted areas of page n into pixel rectangles of this
// rendering (PDFium maps the corners: crop box, rotation, user unit).
func (pg *page) masks(areas []Area, n int) ([]image.Rectangle, error) {
	var out []image.Rectangle
	for _, a := range areas {
		if a.Page != n {
			continue
		}
		r := image.Rectangle{Min: image.Pt(math.MaxInt32, math.MaxInt32), Max: image.Pt(math.MinInt32, math.MinInt32)}
		for _, c := range [][2]float64{{a.Rect[0], a.Rect[1]}, {a.Rect[2], a.Rect[1]}, {a.Rect[0], a.Rect[3]}, {a.Rect[2], a.Rect[3]}} {
			x, y, err := pg.toPx(c[0], c[1])
			if err != nil {
				return nil, err
			}
			r.Min.X, r.Min.Y = min(r.Min.X, x), min(r.Min.Y, y)
			r.Max.X, r.Max.Y = max(r.Max.X, x), max(r.Max.Y, y)
		}
		out = append(out, image.Rect(r.Min.X-margin, r.Min.Y-margin, r.Max.X+margin+1, r.Max.Y+margin+1).Intersect(pg.img.Rect))
	}
	return out, nil
}

// compare reports whether a and b are the same outside masks; when not, how
// many pixels differ and where.
func compare(a, b *image.RGBA, masks []image.Rectangle) (Diff, bool) {
	if a.Rect != b.Rect {
		return Diff{Reason: ReasonSize, Box: [4]float64{0, 0, 1, 1}}, false
	}
	w, h := a.Rect.Dx(), a.Rect.Dy()
	n := 0
	box := image.Rectangle{Min: image.Pt(w, h)}
	for y := 0; y < h; y++ {
		ra := a.Pix[y*a.Stride : y*a.Stride+4*w]
		rb := b.Pix[y*b.Stride : y*b.Stride+4*w]
		for x := 0; x < w; x++ {
			i := 4 * x
			if !differs(ra[i:i+4], rb[i:i+4]) || masked(masks, x, y) {
				continue
			}
			n++
			box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
			box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
		}
	}
	if n == 0 {
		return Diff{}, true
	}
	fw, fh := float64(w), float64(h)
	return Diff{Reason: ReasonContent, Pixels: n, Box: [4]float64{float64(box.Min.X) / fw, float64(box.Min.Y) / fh, float64(box.Max.X) / fw, float64(box.Max.Y) / fh}}, false
}

func differs(p, q []byte) bool {
	for i := 0; i < 4; i++ {
		d := int(p[i]) - int(q[i])
		if d > tolerance || d < -tolerance {
			return true
		}
	}
	return false
}

func masked(masks []image.Rectangle, x, y int) bool {
	for _, m := range masks {
		if x >= m.Min.X && x < m.Max.X && y >= m.Min.Y && y < m.Max.Y {
			return true
		}
	}
	return false
}

// String names a result for logs and tests.
func (r Result) String() string {
	return fmt.Sprintf("%d pages, %d masked, differs %v", r.Pages, r.Masked, r.Differs)
}

// newAnnots reports whether page p of the final file has an annotation
// that page p of the revision did not have (same subtype and rectangle)
// and that lies in no permitted area.
func newAnnots(rev, final *doc, p int, fp *page, permitted []Area) (Diff, bool, error) {
	was, err := rev.annots(p)
	if err != nil {
		return Diff{}, false, err
	}
	now, err := final.annots(p)
	if err != nil {
		return Diff{}, false, err
	}
	used := make([]bool, len(was))
	for _, a := range now {
		if matchAnnot(a, was, used) || inArea(a, permitted, p+1) {
			continue
		}
		d := Diff{Reason: ReasonAnnotation, Box: [4]float64{0, 0, 1, 1}}
		if a.sub >= 0 {
			if box, err := fp.fraction(a.rect); err == nil {
				d.Box = box
			}
		}
		return d, false, nil
	}
	return Diff{}, true, nil
}

const slack = 0.5 // points: rectangles written with other rounding

func matchAnnot(a annot, was []annot, used []bool) bool {
	for i, b := range was {
		if used[i] || a.sub != b.sub || a.sub < 0 {
			continue
		}
		same := true
		for k := range a.rect {
			same = same && math.Abs(a.rect[k]-b.rect[k]) <= slack
		}
		if same {
			used[i] = true
			return true
		}
	}
	return false
}

func inArea(a annot, areas []Area, page int) bool {
	if a.sub < 0 {
		return false
	}
	for _, ar := range areas {
		if ar.Page != page {
			continue
		}
		x0, x1 := min(ar.Rect[0], ar.Rect[2]), max(ar.Rect[0], ar.Rect[2])
		y0, y1 := min(ar.Rect[1], ar.Rect[3]), max(ar.Rect[1], ar.Rect[3])
		if a.rect[0] >= x0-slack && a.rect[1] >= y0-slack && a.rect[2] <= x1+slack && a.rect[3] <= y1+slack {
			return true
		}
	}
	return false
}

// fraction places a rectangle of the page as fractions of the drawing.
func (pg *page) fraction(r [4]float64) ([4]float64, error) {
	m, err := pg.masks([]Area{{Page: 1, Rect: r}}, 1)
	if err != nil || len(m) != 1 {
		return [4]float64{0, 0, 1, 1}, err
	}
	w, h := float64(pg.img.Rect.Dx()), float64(pg.img.Rect.Dy())
	return [4]float64{float64(m[0].Min.X) / w, float64(m[0].Min.Y) / h, float64(m[0].Max.X) / w, float64(m[0].Max.Y) / h}, nil
}
