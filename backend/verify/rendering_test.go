package verify_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/backend/verify/render"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

var (
	engOnce  sync.Once
	eng      *render.Engine
	engCache string
)

// engine is one PDF engine for the package's tests, its compiled module
// cached in a folder of the run.
func engine(t testing.TB) *render.Engine {
	engOnce.Do(func() {
		dir, err := os.MkdirTemp("", "shomei-render-cache-")
		if err != nil {
			t.Fatal(err)
		}
		eng, engCache = render.New(dir), dir
	})
	return eng
}

// heavyPDF writes a PDF whose every page fills many small rectangles:
// intact, legitimate in form, slow to draw.
func heavyPDF(t testing.TB, path string, pages, rects int) {
	t.Helper()
	w := pdftest.NewWriter()
	w.Obj("<< /Type /Catalog /Pages 2 0 R >>")
	var kids []string
	for i := 0; i < pages; i++ {
		kids = append(kids, fmt.Sprintf("%d 0 R", 3+2*i))
	}
	w.Obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	var c bytes.Buffer
	for k := 0; k < rects; k++ {
		fmt.Fprintf(&c, "%d %d 2 2 re f\n", (k*7)%590, (k*13)%840)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(c.Bytes())
	zw.Close()
	for i := 0; i < pages; i++ {
		w.Obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>", 4+2*i))
		w.Obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
	}
	w.Write(t, path)
}

// hasDetail: one of the signature's changes says why in those words.
func hasDetail(s verify.SigReport, words string) bool {
	for _, c := range s.Changes {
		if strings.Contains(c.Detail, words) {
			return true
		}
	}
	return false
}

// The comparison is bounded: a crafted but intact document (heavy pages,
// countersigned so that the first signature's revision is drawn) runs out
// of a time budget, and a long document signed three times has more pages
// to draw than the comparison takes. Both are INDETERMINATE ("could not
// be compared"), never PASSED, and the second draws nothing.
func TestRenderingBudget(t *testing.T) {
	engine(t)
	dir := t.TempDir()
	heavy := filepath.Join(dir, "heavy.pdf")
	heavyPDF(t, heavy, 40, 60000)
	twice := signPDF(t, signPDF(t, heavy, nil), nil)
	e := render.New(engCache)
	e.Budget = time.Second
	start := time.Now()
	r := verifyWith(t, twice, e)
	t.Logf("heavy: %v with a budget of %v", time.Since(start).Round(time.Millisecond), e.Budget)
	if len(r.Signatures) != 2 || r.Passed() {
		t.Fatalf("heavy: %+v", r)
	}
	if s := r.Signatures[0]; s.Indication != verify.Indeterminate || s.Rendering == nil || s.Rendering.Status != verify.RenderingUnavailable || !hasDetail(s, render.ErrTimeout.Error()) {
		t.Fatalf("heavy, first signature: %s %+v %+v", s.Indication, s.Rendering, s.Changes)
	}

	long := filepath.Join(dir, "long.pdf")
	pdftest.Minimal(t, long, 350, false)
	thrice := signPDF(t, signPDF(t, signPDF(t, long, nil), nil), nil)
	start = time.Now()
	r = verifyWith(t, thrice, engine(t))
	t.Logf("350 pages, 3 signatures: %v", time.Since(start).Round(time.Millisecond))
	if len(r.Signatures) != 3 || r.Passed() {
		t.Fatalf("long: %+v", r)
	}
	for _, s := range r.Signatures[:2] {
		if s.Indication != verify.Indeterminate || s.Rendering == nil || s.Rendering.Status != verify.RenderingUnavailable || s.Rendering.Pages != 0 || !hasDetail(s, "pages to draw") {
			t.Errorf("long, signature %d: %s %+v", s.Index, s.Indication, s.Rendering)
		}
	}
	if s := r.Signatures[2]; s.Indication != verify.Passed {
		t.Errorf("long, last signature (the whole file): %s", s.Indication)
	}
}

// signPDF signs in with the virtual card (visible stamp when st is set)
// and returns the output.
func signPDF(t testing.TB, in string, st *pades.Stamp) string {
	t.Helper()
	g, _ := vcardtest.Signer(t)
	out := t.TempDir()
	res := signing.Files(context.Background(), g, []string{in}, signing.Options{OutDir: out, Visible: st}, nil)
	if len(res) != 1 || res[0].Err != nil {
		t.Fatalf("%+v", res)
	}
	return res[0].Output
}

func write(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "updated.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func verifyWith(t *testing.T, path string, e *render.Engine) *verify.FileReport {
	t.Helper()
	r, err := verify.File(path, verify.Options{Trust: testRoot(t), Render: e})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Signatures {
		t.Logf("%s #%d %s/%s changes=%s rendering=%+v: %s", filepath.Base(path), s.Index, s.Indication, s.Subindication, s.ChangesAfter, s.Rendering, s.Sentence.EN)
	}
	return r
}

// missDisallowed plays an analysis blind to what it refused: the changes it
// found disallowed (or could not read) are dropped, as if never seen; what it
// allowed stays, with its areas.
func missDisallowed(s *pdfv.Signature) {
	if s.Changes.Revisions == 0 {
		return
	}
	var kept []pdfv.Change
	for _, c := range s.Changes.List {
		if c.Allowed {
			kept = append(kept, c)
		}
	}
	s.Changes.List = kept
	s.Changes.Verdict = pdfv.ChangesAllowed
}

// allowEverything plays an analysis that missed the change: every change
// it found is called permitted.
func allowEverything(s *pdfv.Signature) {
	if s.Changes.Revisions == 0 {
		return
	}
	for i := range s.Changes.List {
		s.Changes.List[i].Allowed = true
	}
	s.Changes.Verdict = pdfv.ChangesAllowed
}

// The second line of defence: page 2's content rewritten after signing, in
// a way the change analysis is made to miss, is still FAILED, and the
// report names page 2 in both languages. Without the gap, the analysis
// alone already refuses it (the comparison does not run).
func TestRenderingCatchesWhatTheAnalysisMissed(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "契約書.pdf")
	pdftest.Minimal(t, in, 3, false)
	signed := signPDF(t, in, nil)
	raw, _ := os.ReadFile(signed)
	text := "BT /F1 24 Tf 72 720 Td (Shomei test page 2) Tj 0 -300 Td (Amount: 9,000,000 yen) Tj ET"
	path := write(t, pdftest.Update(raw, map[int]string{7: fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text)}, ""))

	e := render.New("")
	r := verifyWith(t, path, e)
	s := only(t, r)
	if s.Indication != verify.Failed || s.ChangesAfter != pdfv.ChangesDisallowed || s.Rendering != nil {
		t.Fatalf("the analysis alone: %+v", s)
	}
	if on, _ := e.Started(); on {
		t.Fatal("the engine started although the analysis had already decided")
	}

	defer verify.SetChangesHook(allowEverything)()
	r = verifyWith(t, path, engine(t))
	s = only(t, r)
	if r.Passed() || s.Indication != verify.Failed || s.ChangesAfter != pdfv.ChangesDisallowed {
		t.Fatalf("a missed content change: %+v", s)
	}
	rd := s.Rendering
	if rd == nil || rd.Status != verify.RenderingDifferent || rd.Pages != 3 || len(rd.Differs) != 1 || rd.Differs[0].Page != 2 || rd.Differs[0].Reason != render.ReasonContent {
		t.Fatalf("rendering: %+v", rd)
	}
	if !strings.Contains(s.Sentence.JA, "2 ページ目") || !strings.Contains(s.Sentence.EN, "Page 2") {
		t.Fatalf("the page is not named: %+v", s.Sentence)
	}
	last := s.Changes[len(s.Changes)-1]
	if last.Kind != verify.KindRenderingDiffers || last.Allowed {
		t.Fatalf("the difference is not a change of its own: %+v", s.Changes)
	}
}

// A legitimate countersignature with a visible stamp on page 1 stays
// PASSED: the stamp's rectangle is the only area left out, and without it
// the stamp is a difference (the mask is what lets it through). A document
// signed once never starts the engine.
func TestRenderingCountersignatureWithStamp(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	pdftest.Minimal(t, in, 2, false)
	once := signPDF(t, in, nil)

	e := render.New("")
	r := verifyWith(t, once, e)
	if s := only(t, r); !r.Passed() || s.Rendering != nil {
		t.Fatalf("signed once: %+v", s)
	}
	if on, _ := e.Started(); on {
		t.Fatal("a document signed once started the engine")
	}

	stamp := &pades.Stamp{Page: 1, X: 300, Y: 80, W: 200, H: 60, Lines: []string{"署名 花子", "2026-12-03"}}
	twice := signPDF(t, once, stamp)
	r = verifyWith(t, twice, engine(t))
	if len(r.Signatures) != 2 || !r.Passed() {
		t.Fatalf("countersigned: %+v", r)
	}
	s := r.Signatures[0]
	if rd := s.Rendering; rd == nil || rd.Status != verify.RenderingSame || rd.Pages != 2 || rd.Masked != 1 || len(rd.Differs) != 0 {
		t.Fatalf("first signature's rendering: %+v", s.Rendering)
	}
	if !strings.Contains(s.Sentence.JA, "全 2 ページ") {
		t.Fatalf("the sentence does not say the pages were compared: %s", s.Sentence.JA)
	}
	if got := verify.RenderingLine(i18n.JA, s.Rendering); got != "2 ページとも署名時と同じ表示です（許された変更の場所 1 か所を除く）" {
		t.Fatalf("the CLI line in Japanese: %q", got)
	}
	if got := verify.RenderingLine(i18n.EN, s.Rendering); got != "2 pages as signed (72 dpi; areas of allowed changes left out: 1)" {
		t.Fatalf("the CLI line in English: %q", got)
	}
	if r.Signatures[1].Rendering != nil {
		t.Fatal("the last signature covers the whole file: nothing to compare")
	}
	// The stamp really is drawn: compared with nothing left out, page 1
	// differs where the stamp is (lower right), and only there.
	raw, _ := os.ReadFile(twice)
	res, err := engine(t).Compare(context.Background(), bytes.NewReader(raw), int64(len(raw)), []render.Revision{{R: bytes.NewReader(raw), Size: s.SignedBytes}})
	if err != nil {
		t.Fatal(err)
	}
	d := res[0].Differs
	if len(d) != 1 || d[0].Page != 1 || d[0].Box[0] < 0.45 || d[0].Box[1] < 0.8 {
		t.Fatalf("the stamp without its area: %+v", d)
	}
}

// A page count beyond the engine's bound cannot be confirmed: INDETERMINATE,
// never PASSED.
func TestRenderingUnavailableIsIndeterminate(t *testing.T) {
	in := filepath.Join(t.TempDir(), "long.pdf")
	pdftest.Minimal(t, in, render.MaxPages+1, false)
	signed := signPDF(t, in, nil)
	raw, _ := os.ReadFile(signed)
	path := write(t, pdftest.Update(raw, map[int]string{9000: "<< /Title (x) >>"}, "/Info 9000 0 R "))
	r := verifyWith(t, path, engine(t))
	s := only(t, r)
	if s.Indication != verify.Indeterminate || s.ChangesAfter != pdfv.ChangesUnknown || s.Rendering == nil || s.Rendering.Status != verify.RenderingUnavailable {
		t.Fatalf("%+v", s)
	}
	if !strings.Contains(s.Sentence.JA, "確かめられませんでした") {
		t.Fatalf("sentence: %s", s.Sentence.JA)
	}
}
