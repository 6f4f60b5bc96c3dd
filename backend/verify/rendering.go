package verify

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/backend/verify/render"
)

// The rendering comparison, the second line of defence behind the change
// analysis: when a signature covers an earlier revision and the analysis
// found only permitted changes, every page of that revision and of the file
// now is drawn and compared, the areas of the permitted changes left out. A
// difference makes the changes disallowed (FAILED, the page named); a
// comparison that cannot be made leaves them unknown (INDETERMINATE).

// Change kinds the comparison adds to a signature's changes.
const (
	KindRenderingDiffers     = "rendering_differs"
	KindRenderingUnavailable = "rendering_unavailable"
	// KindCoversSigned: an allowed change (a filled field, a stamp, a
	// comment) lies over the signed page's own text or images. It stays
	// allowed, with a warning (pdfv.WarnCovers): see README.
	KindCoversSigned = "covers_signed_content"
)

// WhyLookUnder is why such a change is allowed and what to do.
const WhyLookUnder = "look_under"

// RenderKinds lists them, for translations.
var RenderKinds = []string{KindRenderingDiffers, KindRenderingUnavailable, KindCoversSigned}

// Rendering statuses.
const (
	RenderingSame        = "same"
	RenderingDifferent   = "different"
	RenderingUnavailable = "unavailable"
)

// Rendering is what the comparison found for one signature.
type Rendering struct {
	Status  string        `json:"status"` // same | different | unavailable
	Pages   int           `json:"pages"`  // pages compared
	DPI     int           `json:"dpi"`
	Masked  int           `json:"masked"`  // permitted areas left out
	Differs []render.Diff `json:"differs"` // pages that look different
	// Overlaps: allowed changes that lie over the signed page's own text
	// or images (a warning).
	Overlaps []render.Overlap `json:"overlaps,omitempty"`
}

// maxRendered bounds the signatures whose revisions are drawn for one
// file (each is a document the engine opens and draws in full); more: the
// comparison cannot be made (INDETERMINATE).
const maxRendered = 32

// changesHook lets a test replace the change analysis' verdict (to play a
// gap in it); nil in the program.
var changesHook func(*pdfv.Signature)

// needsRendering: a sane, intact signature over an earlier revision whose
// later changes were all found permitted.
func needsRendering(s *pdfv.Signature) bool {
	return s.RangeOK && s.Intact && !s.Whole && s.SignedEnd > 0 && s.Changes.Verdict == pdfv.ChangesAllowed
}

// compareRenderings runs the comparison for the signatures that need it
// and folds its findings into their changes.
func compareRenderings(f io.ReaderAt, size int64, sigs []*pdfv.Signature, opt Options) map[int]*Rendering {
	var idx []int
	for i, s := range sigs {
		if needsRendering(s) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	out := map[int]*Rendering{}
	unavailable := func(err error) map[int]*Rendering {
		for _, i := range idx {
			out[i] = &Rendering{Status: RenderingUnavailable, DPI: render.DPI, Differs: []render.Diff{}}
			sigs[i].Changes.List = append(sigs[i].Changes.List, pdfv.Change{Kind: KindRenderingUnavailable, Detail: "the pages could not be drawn to compare them: " + err.Error()})
			sigs[i].Changes.Verdict = pdfv.ChangesUnknown
		}
		return out
	}
	if len(idx) > maxRendered {
		return unavailable(fmt.Errorf("%d signatures over earlier revisions to compare, more than %d", len(idx), maxRendered))
	}
	cs := make([]pdfv.Changes, len(idx))
	for k, i := range idx {
		cs[k] = sigs[i].Changes
	}
	areas, pages, err := pdfv.PermittedAreas(f, size, cs...)
	if err != nil {
		return unavailable(err)
	}
	revs := make([]render.Revision, len(idx))
	for k, i := range idx {
		revs[k] = render.Revision{R: f, Size: sigs[i].SignedEnd, Pages: pages}
		for _, a := range areas[k] {
			revs[k].Permitted = append(revs[k].Permitted, render.Area{Page: a.Page, Rect: a.Rect})
		}
	}
	eng := opt.Render
	if eng == nil {
		eng = render.Default()
	}
	res, err := eng.Compare(opt.ctx(), f, size, revs)
	if err != nil {
		return unavailable(err)
	}
	for k, i := range idx {
		r := res[k]
		rd := &Rendering{Status: RenderingSame, Pages: r.Pages, DPI: render.DPI, Masked: r.Masked, Differs: append([]render.Diff{}, r.Differs...), Overlaps: r.Overlaps}
		out[i] = rd
		if len(r.Differs) == 0 {
			// The pages match, but an allowed change may hide signed
			// words or pictures under it: said, once per page.
			done := map[int]bool{}
			for _, o := range r.Overlaps {
				if !done[o.Page] {
					done[o.Page] = true
					sigs[i].Changes.List = append(sigs[i].Changes.List, pdfv.Change{Kind: KindCoversSigned, Page: o.Page, Allowed: true, Why: WhyLookUnder, Warn: pdfv.WarnCovers,
						Detail: fmt.Sprintf("an allowed change at %v on page %d lies over the signed page's text or images", o.Rect, o.Page)})
				}
			}
			continue
		}
		rd.Status = RenderingDifferent
		var pages []string
		for _, d := range r.Differs {
			pages = append(pages, fmt.Sprint(d.Page))
		}
		sigs[i].Changes.List = append(sigs[i].Changes.List, pdfv.Change{Kind: KindRenderingDiffers,
			Detail: fmt.Sprintf("page %s looks different from what was signed, outside every change found permitted", strings.Join(pages, ", "))})
		sigs[i].Changes.Verdict = pdfv.ChangesDisallowed
	}
	return out
}

// RenderingLine is the comparison's outcome in words, for the details of a
// report.
func RenderingLine(l i18n.Lang, r *Rendering) string {
	switch r.Status {
	case RenderingSame:
		return i18n.T(l, "verify.rendering.same", r.Pages, r.DPI, r.Masked)
	case RenderingDifferent:
		return i18n.T(l, "verify.rendering.different", differingPages(r))
	}
	return i18n.T(l, "verify.rendering.unavailable")
}

// differingPages lists the pages of a rendering difference ("2, 5").
func differingPages(r *Rendering) string {
	if r == nil || r.Status != RenderingDifferent {
		return ""
	}
	var p []string
	for _, d := range r.Differs {
		p = append(p, fmt.Sprint(d.Page))
	}
	return strings.Join(p, ", ")
}

// PagePair draws page p (1-based) of the revision signature n covers and
// of the file now, for the report's side-by-side view. Nothing is kept on
// disk or in memory: each call draws again. eng nil: render.Default.
func PagePair(path string, n, p int, eng *render.Engine) (signed, now render.Picture, err error) {
	f, err := os.Open(path)
	if err != nil {
		return signed, now, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return signed, now, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	sigs, err := checkPDF(f, st.Size())
	if err != nil {
		return signed, now, err
	}
	if n < 1 || n > len(sigs) {
		return signed, now, fmt.Errorf("%w: the file has %d signatures", ErrNoSuchSignature, len(sigs))
	}
	if !sigs[n-1].RangeOK {
		return signed, now, ErrNotARevision
	}
	if eng == nil {
		eng = render.Default()
	}
	return eng.Pair(context.Background(), f, sigs[n-1].SignedEnd, f, st.Size(), p)
}
