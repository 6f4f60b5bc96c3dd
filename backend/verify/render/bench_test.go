package render_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify/render"
)

// The engine's costs beside poppler's pdftoppm drawing the same pages at the
// same resolution in the same run (the yardstick):
//   - start/cold: a new engine with an empty cache (the module compiled);
//   - start/cached: a new engine over a warm cache (the module loaded);
//   - page: ms per page of a 20-page comparison (both versions drawn and
//     compared), and the ratio to pdftoppm's ms per page;
//   - memory: the Go runtime's memory obtained from the system after a
//     comparison (WebAssembly memory and compiled code included).
func BenchmarkEngine(b *testing.B) {
	one := benchDoc(b, 1)
	b.Run("start/cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			e := render.New(b.TempDir())
			compareOnce(b, e, one)
			e.Close()
		}
	})
	warm := b.TempDir()
	e := render.New(warm)
	compareOnce(b, e, one)
	e.Close()
	b.Run("start/cached", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			e := render.New(warm)
			compareOnce(b, e, one)
			e.Close()
		}
	})
	const pages = 20
	doc := benchDoc(b, pages)
	b.Run("page", func(b *testing.B) {
		e := render.New(warm)
		defer e.Close()
		compareOnce(b, e, doc) // started outside the timing
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			compareOnce(b, e, doc)
		}
		b.StopTimer()
		perPage := float64(b.Elapsed().Milliseconds()) / float64(b.N) / (2 * pages)
		b.ReportMetric(perPage, "ms/page")
		if y := pdftoppm(b, doc, pages); y > 0 {
			b.ReportMetric(y, "pdftoppm_ms/page")
			b.ReportMetric(perPage/y, "x_pdftoppm")
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.Sys)/(1<<20), "MB_sys")
	})
}

func benchDoc(b *testing.B, pages int) []byte {
	p := filepath.Join(b.TempDir(), "doc.pdf")
	pdftest.Minimal(b, p, pages, true)
	raw, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

func compareOnce(b *testing.B, e *render.Engine, doc []byte) {
	res, err := e.Compare(context.Background(), bytes.NewReader(doc), int64(len(doc)), []render.Revision{{R: bytes.NewReader(doc), Size: int64(len(doc))}})
	if err != nil || len(res) != 1 || len(res[0].Differs) != 0 {
		b.Fatalf("%v %v", res, err)
	}
}

// pdftoppm returns poppler's ms per page for doc at the comparison's DPI (0
// when pdftoppm is missing).
func pdftoppm(b *testing.B, doc []byte, pages int) float64 {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return 0
	}
	dir := b.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	os.WriteFile(in, doc, 0o644)
	const runs = 3
	t0 := time.Now()
	for i := 0; i < runs; i++ {
		if out, err := exec.Command("pdftoppm", "-r", "72", "-png", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			b.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
	return float64(time.Since(t0).Milliseconds()) / runs / float64(pages)
}
