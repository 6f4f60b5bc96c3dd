package render_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify/render"
)

// One engine for the package's tests, compiled once into a cache of the
// test run (the first test pays the compile).
var (
	engOnce sync.Once
	eng     *render.Engine
)

func engine(t testing.TB) *render.Engine {
	engOnce.Do(func() {
		dir, err := os.MkdirTemp("", "shomei-render-cache-")
		if err != nil {
			t.Fatal(err)
		}
		eng = render.New(dir)
	})
	return eng
}

func TestMain(m *testing.M) {
	code := m.Run()
	if eng != nil {
		eng.Close()
	}
	os.Exit(code)
}

// doc writes a minimal PDF of n pages and returns its bytes.
func doc(t testing.TB, n int) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.pdf")
	pdftest.Minimal(t, p, n, false)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// compare compares signed with final, the permitted areas numbered
// against final's 3 pages.
func compare(t *testing.T, signed, final []byte, permitted ...render.Area) render.Result {
	t.Helper()
	res, err := engine(t).Compare(context.Background(), bytes.NewReader(final), int64(len(final)), []render.Revision{{R: bytes.NewReader(signed), Size: int64(len(signed)), Permitted: permitted, Pages: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("%d results", len(res))
	}
	return res[0]
}

const page2 = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R >>"

// An unchanged revision looks the same; new text on page 2 is found on page
// 2 only, where it was written; a permitted area over it hides it, and only
// there; a page added or a page size changed is named.
func TestCompare(t *testing.T) {
	signed := doc(t, 3)
	if r := compare(t, signed, pdftest.Update(signed, map[int]string{20: "<< /Producer (x) >>"}, "/Info 20 0 R ")); len(r.Differs) != 0 || r.Pages != 3 {
		t.Fatalf("an invisible change looks different: %v", r)
	}
	text := "BT /F1 24 Tf 72 720 Td (Shomei test page 2) Tj 0 -400 Td (Paid: 0 yen) Tj ET"
	changed := pdftest.Update(signed, map[int]string{7: fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text)}, "")
	r := compare(t, signed, changed)
	if len(r.Differs) != 1 || r.Differs[0].Page != 2 || r.Differs[0].Reason != render.ReasonContent || r.Differs[0].Pixels == 0 {
		t.Fatalf("new text on page 2: %v", r)
	}
	// The text is at y = 320 pt from the bottom of 842: 0.58–0.62 from the top.
	if b := r.Differs[0].Box; b[1] < 0.5 || b[3] > 0.7 || b[0] < 0.1 {
		t.Fatalf("the difference is placed at %v", b)
	}
	if r := compare(t, signed, changed, render.Area{Page: 2, Rect: [4]float64{60, 300, 400, 350}}); len(r.Differs) != 0 || r.Masked != 1 {
		t.Fatalf("a permitted area over the change: %v", r)
	}
	for _, a := range []render.Area{{Page: 1, Rect: [4]float64{60, 300, 400, 350}}, {Page: 2, Rect: [4]float64{60, 330, 400, 350}}} {
		if r := compare(t, signed, changed, a); len(r.Differs) != 1 || r.Differs[0].Page != 2 {
			t.Fatalf("an area elsewhere (%v) must not hide the change: %v", a, r)
		}
	}
	// Areas numbered against another page count cannot be placed.
	_, err := engine(t).Compare(context.Background(), bytes.NewReader(changed), int64(len(changed)), []render.Revision{{R: bytes.NewReader(signed), Size: int64(len(signed)), Permitted: []render.Area{{Page: 2, Rect: [4]float64{60, 300, 400, 350}}}, Pages: 2}})
	if !errors.Is(err, render.ErrPages) {
		t.Fatalf("areas of another page count: %v", err)
	}
	// An annotation PDFium draws nothing for (a link without a border;
	// other viewers may draw annotations PDFium leaves blank): named anyway,
	// where it is, unless it lies in a permitted area.
	note := pdftest.Update(signed, map[int]string{6: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R /Annots [31 0 R] >>",
		31: "<< /Type /Annot /Subtype /Link /Rect [100 100 300 140] /Border [0 0 0] /A << /S /URI /URI (https://example.invalid/) >> >>"}, "")
	if r := compare(t, signed, note); len(r.Differs) != 1 || r.Differs[0].Page != 2 || r.Differs[0].Reason != render.ReasonAnnotation || r.Differs[0].Pixels != 0 || r.Differs[0].Box[1] < 0.8 {
		t.Fatalf("a new annotation that draws nothing: %v", r)
	}
	if r := compare(t, signed, note, render.Area{Page: 2, Rect: [4]float64{90, 90, 310, 150}}); len(r.Differs) != 0 {
		t.Fatalf("the same in a permitted area: %v", r)
	}
	bigger := pdftest.Update(signed, map[int]string{6: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R >>"}, "")
	if r := compare(t, signed, bigger); len(r.Differs) != 1 || r.Differs[0].Page != 2 || r.Differs[0].Reason != render.ReasonSize {
		t.Fatalf("a page made wider: %v", r)
	}
	added := pdftest.Update(signed, map[int]string{2: "<< /Type /Pages /Kids [4 0 R 6 0 R 8 0 R 30 0 R] /Count 4 >>", 30: page2}, "")
	if r := compare(t, signed, added); len(r.Differs) != 1 || r.Differs[0].Page != 4 || r.Differs[0].Reason != render.ReasonAdded {
		t.Fatalf("a page added: %v", r)
	}
	removed := pdftest.Update(signed, map[int]string{2: "<< /Type /Pages /Kids [4 0 R 6 0 R] /Count 2 >>"}, "")
	if r := compare(t, signed, removed); len(r.Differs) != 1 || r.Differs[0].Page != 3 || r.Differs[0].Reason != render.ReasonMissing {
		t.Fatalf("a page removed: %v", r)
	}
}

// Broken input is an error (cannot be confirmed), never "the same"; a
// deadline stops the engine.
func TestCompareFailures(t *testing.T) {
	good := doc(t, 1)
	junk := []byte("%PDF-1.7\nnot a pdf at all")
	_, err := engine(t).Compare(context.Background(), bytes.NewReader(junk), int64(len(junk)), []render.Revision{{R: bytes.NewReader(good), Size: int64(len(good))}})
	if !errors.Is(err, render.ErrOpen) {
		t.Fatalf("a broken final file: %v", err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := engine(t).Compare(ctx, bytes.NewReader(good), int64(len(good)), []render.Revision{{R: bytes.NewReader(good), Size: int64(len(good))}}); err == nil {
		t.Fatal("a passed deadline compared anyway")
	}
	// The engine still works after a killed session.
	if r := compare(t, good, good); len(r.Differs) != 0 || r.Pages != 1 {
		t.Fatalf("after a timeout: %v", r)
	}
}

// The side-by-side pictures are PNGs of the page; a page the revision does
// not have is marked absent.
func TestPair(t *testing.T) {
	signed := doc(t, 1)
	final := pdftest.Update(signed, map[int]string{2: "<< /Type /Pages /Kids [4 0 R 30 0 R] /Count 2 >>", 30: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>"}, "")
	for _, n := range []int{1, 2} {
		a, b, err := engine(t).Pair(context.Background(), bytes.NewReader(signed), int64(len(signed)), bytes.NewReader(final), int64(len(final)), n)
		if err != nil {
			t.Fatal(err)
		}
		if b.Absent || len(b.PNG) == 0 {
			t.Fatalf("page %d of the final file: %+v", n, b)
		}
		img, err := png.Decode(bytes.NewReader(b.PNG))
		if err != nil || img.Bounds().Dx() != b.Width || b.Width < 595*render.ViewDPI/72-2 {
			t.Fatalf("page %d picture: %v %v", n, err, b.Width)
		}
		if a.Absent != (n == 2) {
			t.Fatalf("page %d of the signed revision: absent=%v", n, a.Absent)
		}
	}
}

// Warm starts the engine in the background: it is running afterwards
// without any rendering asked for, and a second Warm is harmless.
func TestWarm(t *testing.T) {
	e := render.New(t.TempDir())
	defer e.Close()
	if ok, _ := e.Started(); ok {
		t.Fatal("started before anything asked for it")
	}
	e.Warm()
	e.Warm()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if ok, took := e.Started(); ok {
			t.Logf("started in the background in %v", took)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Warm never started the engine")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The engine Warm started draws as any other.
	d := doc(t, 3)
	res, err := e.Compare(context.Background(), bytes.NewReader(d), int64(len(d)), []render.Revision{{R: bytes.NewReader(d), Size: int64(len(d)), Pages: 3}})
	if err != nil || len(res) != 1 {
		t.Fatalf("after Warm: %v, %d results", err, len(res))
	}
}
