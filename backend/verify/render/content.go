package render

import (
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/structs"
)

// A permitted change (a filled field, a later signature's stamp, a
// comment) is left out of the comparison. What lies under it on the page as
// signed is not: ContentUnder finds the page's own text and images (not its
// annotations, not lines and fills) whose bounds meet a permitted area. A
// value filled over signed words may hide them; the report says so.

// maxObjects bounds the page objects read from one page (nested forms
// counted); more: the page is taken as covered.
const maxObjects = 20000

// Overlap is a permitted area that lies over signed page content.
type Overlap struct {
	Page int        `json:"page"` // 1-based
	Rect [4]float64 `json:"rect"` // the area, in default user space
}

type matrix [6]float64

func (m matrix) mul(n matrix) matrix { // m then n
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) rect(r [4]float64) [4]float64 {
	out := [4]float64{1e18, 1e18, -1e18, -1e18}
	for _, p := range [][2]float64{{r[0], r[1]}, {r[0], r[3]}, {r[2], r[1]}, {r[2], r[3]}} {
		x, y := m[0]*p[0]+m[2]*p[1]+m[4], m[1]*p[0]+m[3]*p[1]+m[5]
		out[0], out[1], out[2], out[3] = min(out[0], x), min(out[1], y), max(out[2], x), max(out[3], y)
	}
	return out
}

func meets(a, b [4]float64) bool {
	return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

// contentUnder lists the areas (of page i, 0-based) that meet the page's
// text or images.
func (d *doc) contentUnder(i int, areas []Area) ([]Overlap, error) {
	var on []Area
	for _, a := range areas {
		if a.Page == i+1 {
			on = append(on, a)
		}
	}
	if len(on) == 0 {
		return nil, nil
	}
	s := d.s
	pg := requests.Page{ByIndex: &requests.PageByIndex{Document: d.ref, Index: i}}
	n, err := s.inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: pg})
	if err != nil {
		return nil, s.wrap(ErrRender, err)
	}
	var boxes [][4]float64
	seen := 0
	all := false // too many objects to read: every area is taken as covered
	var walk func(get func(int) (references.FPDF_PAGEOBJECT, error), count int, m matrix, depth int) error
	walk = func(get func(int) (references.FPDF_PAGEOBJECT, error), count int, m matrix, depth int) error {
		for k := 0; k < count && !all; k++ {
			if seen++; seen > maxObjects || depth > 8 {
				all = true
				return nil
			}
			o, err := get(k)
			if err != nil {
				return s.wrap(ErrRender, err)
			}
			t, err := s.inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: o})
			if err != nil {
				return s.wrap(ErrRender, err)
			}
			switch t.Type {
			case enums.FPDF_PAGEOBJ_TEXT, enums.FPDF_PAGEOBJ_IMAGE:
				b, err := s.inst.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: o})
				if err != nil {
					return s.wrap(ErrRender, err)
				}
				boxes = append(boxes, m.rect([4]float64{float64(b.Left), float64(b.Bottom), float64(b.Right), float64(b.Top)}))
			case enums.FPDF_PAGEOBJ_FORM:
				fm, err := s.inst.FPDFPageObj_GetMatrix(&requests.FPDFPageObj_GetMatrix{PageObject: o})
				if err != nil {
					return s.wrap(ErrRender, err)
				}
				c, err := s.inst.FPDFFormObj_CountObjects(&requests.FPDFFormObj_CountObjects{PageObject: o})
				if err != nil {
					return s.wrap(ErrRender, err)
				}
				inner := toMatrix(fm.Matrix).mul(m)
				err = walk(func(j int) (references.FPDF_PAGEOBJECT, error) {
					r, err := s.inst.FPDFFormObj_GetObject(&requests.FPDFFormObj_GetObject{PageObject: o, Index: uint64(j)})
					if err != nil {
						return "", err
					}
					return r.PageObject, nil
				}, c.Count, inner, depth+1)
				if err != nil {
					return err
				}
			}
		}
		return nil
	}
	err = walk(func(j int) (references.FPDF_PAGEOBJECT, error) {
		r, err := s.inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: pg, Index: j})
		if err != nil {
			return "", err
		}
		return r.PageObject, nil
	}, n.Count, matrix{1, 0, 0, 1, 0, 0}, 0)
	if err != nil {
		return nil, err
	}
	var out []Overlap
	for _, a := range on {
		hit := all
		for _, b := range boxes {
			if hit = hit || meets(a.Rect, b); hit {
				break
			}
		}
		if hit {
			out = append(out, Overlap{Page: i + 1, Rect: a.Rect})
		}
	}
	return out, nil
}

func toMatrix(m structs.FPDF_FS_MATRIX) matrix {
	return matrix{float64(m.A), float64(m.B), float64(m.C), float64(m.D), float64(m.E), float64(m.F)}
}
