// Package render is the verifier's second line of defence: it draws the
// pages of a signed revision and of the file as it is now with PDFium (the
// engine Chromium uses), compiled to WebAssembly and run by wazero (no cgo,
// so every platform build keeps working), and compares them. A difference
// that the change analysis did not explain as permitted means the reader
// now sees something the signer did not sign.
//
// The engine starts on first use only: a document signed once and never
// changed is never rendered. Its compiled form is kept on disk (wazero's
// compilation cache) so the compile, about 4 s, is paid once per version.
// PDFium runs without any file system, with a memory limit, and is
// stopped when a deadline passes.
package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/shomei-app/shomei/backend/appdir"
)

// Bounds of one comparison (see README, "Rendering comparison").
const (
	DPI         = 72      // comparison resolution
	MaxPages    = 500     // pages per document; more: cannot be confirmed
	MaxRenders  = 1000    // pages drawn for one comparison, every document counted; more: cannot be confirmed
	MaxPixels   = 4 << 20 // pixels of one rendered page; larger pages are drawn smaller
	MemoryLimit = 1 << 30 // the WebAssembly memory of one PDFium instance
	// Timeout is the time budget of one comparison (or one page pair),
	// the engine's start aside: when it runs out the documents could not
	// be compared (cannot be confirmed, never passed). A crafted but intact
	// document (heavy pages) held a verification for a minute at 60 s.
	Timeout = 10 * time.Second
)

// Errors a caller reports as "cannot be confirmed".
var (
	ErrStart    = errors.New("the PDF engine cannot be started")
	ErrTimeout  = errors.New("rendering took too long")
	ErrTooLarge = errors.New("the document has too many pages to compare")
	ErrOpen     = errors.New("the PDF engine cannot open the document")
	ErrRender   = errors.New("the PDF engine cannot draw a page")
	ErrPages    = errors.New("the PDF engine and the change analysis count the pages differently")
)

// Engine is a lazily started PDFium. The zero value is not usable: use
// New or Default.
type Engine struct {
	cacheDir string // "" : no compilation cache on disk
	// Budget replaces Timeout when set (tests).
	Budget time.Duration

	mu      sync.Mutex
	pool    pdfium.Pool
	started time.Duration // how long the last start took
	warming bool          // Warm's start is under way
}

// New returns an engine that keeps its compiled module under cacheDir
// (created when needed; "" keeps nothing on disk). Nothing starts until
// the first rendering.
func New(cacheDir string) *Engine { return &Engine{cacheDir: cacheDir} }

var (
	defOnce sync.Once
	def     *Engine
)

// Default is the process's engine, caching under the data folder's
// cache/pdfium (see appdir); without a data folder it caches nothing.
func Default() *Engine {
	defOnce.Do(func() {
		dir := ""
		if d, err := appdir.Data(); err == nil {
			dir = filepath.Join(d, "cache", "pdfium")
		}
		def = New(dir)
	})
	return def
}

// Started reports whether the engine is running, and how long its start
// took.
func (e *Engine) Started() (bool, time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pool != nil, e.started
}

// budget is the time one comparison may take.
func (e *Engine) budget() time.Duration {
	if e.Budget > 0 {
		return e.Budget
	}
	return Timeout
}

// Close stops the engine; a later use starts it again.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pool == nil {
		return nil
	}
	err := e.pool.Close()
	e.pool = nil
	return err
}

// Warm starts the engine in the background, so that its first use does
// not wait for the module's compilation (seconds, tens of seconds on a
// busy machine when nothing is cached yet). A failed start is reported by
// that first use, which tries again.
func (e *Engine) Warm() {
	e.mu.Lock()
	running := e.pool != nil || e.warming
	e.warming = true
	e.mu.Unlock()
	if running {
		return
	}
	go func() {
		_, _ = e.start()
		e.mu.Lock()
		e.warming = false
		e.mu.Unlock()
	}()
}

func (e *Engine) start() (pdfium.Pool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pool != nil {
		return e.pool, nil
	}
	t0 := time.Now()
	cfg := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(MemoryLimit / 65536).
		WithCloseOnContextDone(true)
	if e.cacheDir != "" {
		if err := os.MkdirAll(e.cacheDir, 0o700); err == nil {
			if c, err := wazero.NewCompilationCacheWithDir(e.cacheDir); err == nil {
				cfg = cfg.WithCompilationCache(c)
			}
		}
	}
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle:  0,
		MaxIdle:  0,
		MaxTotal: 2,
		// A fresh instance for every job: what one document did to the
		// engine's memory never reaches the drawing of another.
		ReuseWorkers:  false,
		RuntimeConfig: cfg,
		// No file system at all: documents are handed over as readers.
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	e.pool, e.started = pool, time.Since(t0)
	return pool, nil
}

// session is one PDFium instance borrowed for one job, killed when the
// job's deadline passes.
type session struct {
	inst  pdfium.Pdfium
	stop  func() bool
	timed chan struct{}
	docs  []references.FPDF_DOCUMENT
}

// Session borrows an instance; the caller must Close it. The instance is
// killed (and the job's calls fail) when ctx ends.
func (e *Engine) session(ctx context.Context) (*session, error) {
	pool, err := e.start()
	if err != nil {
		return nil, err
	}
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ErrTimeout
		}
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	s := &session{inst: inst, timed: make(chan struct{})}
	s.stop = context.AfterFunc(ctx, func() {
		close(s.timed)
		inst.Kill()
	})
	return s, nil
}

func (s *session) expired() bool {
	select {
	case <-s.timed:
		return true
	default:
		return false
	}
}

// wrap turns an engine error into ErrTimeout when the deadline killed it.
func (s *session) wrap(kind, err error) error {
	if s.expired() {
		return ErrTimeout
	}
	return fmt.Errorf("%w: %v", kind, err)
}

func (s *session) Close() {
	if !s.stop() {
		return // killed: the instance is gone
	}
	for _, d := range s.docs {
		s.inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d})
	}
	s.inst.Close()
}

// doc is an open document.
type doc struct {
	s     *session
	ref   references.FPDF_DOCUMENT
	pages int
}

func (s *session) open(r io.ReaderAt, size int64) (*doc, error) {
	res, err := s.inst.OpenDocument(&requests.OpenDocument{FileReader: io.NewSectionReader(r, 0, size), FileReaderSize: size})
	if err != nil {
		return nil, s.wrap(ErrOpen, err)
	}
	s.docs = append(s.docs, res.Document)
	n, err := s.inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: res.Document})
	if err != nil {
		return nil, s.wrap(ErrOpen, err)
	}
	if n.PageCount > MaxPages {
		return nil, fmt.Errorf("%w (%d > %d)", ErrTooLarge, n.PageCount, MaxPages)
	}
	return &doc{s: s, ref: res.Document, pages: n.PageCount}, nil
}

// page is one rendered page: its pixels (copied out of the engine) and the
// transform from page space to them.
type page struct {
	img  *image.RGBA
	toPx func(x, y float64) (int, int, error)
}

// render draws page i (0-based) at dpi, as a viewer shows it: the page
// content, its annotations and its form fields' appearances.
func (d *doc) render(i, dpi int) (*page, error) {
	s := d.s
	pg := requests.Page{ByIndex: &requests.PageByIndex{Document: d.ref, Index: i}}
	sz, err := s.inst.GetPageSizeInPixels(&requests.GetPageSizeInPixels{Page: pg, DPI: dpi})
	if err != nil {
		return nil, s.wrap(ErrRender, err)
	}
	w, h := max(sz.Width, 1), max(sz.Height, 1)
	for w*h > MaxPixels {
		w, h = max(w*3/4, 1), max(h*3/4, 1)
	}
	res, err := s.inst.RenderPageInPixels(&requests.RenderPageInPixels{
		Page: pg, Width: w, Height: h,
		RenderFlags: enums.FPDF_RENDER_FLAG_ANNOT,
		RenderForm:  true,
		Document:    &d.ref,
	})
	if err != nil {
		return nil, s.wrap(ErrRender, err)
	}
	defer res.Cleanup()
	src, ok := res.Result.RenderedImage.(*image.RGBA)
	if !ok || src == nil {
		return nil, fmt.Errorf("%w: no image", ErrRender)
	}
	img := image.NewRGBA(src.Rect)
	copy(img.Pix, src.Pix)
	W, H := img.Rect.Dx(), img.Rect.Dy()
	toPx := func(x, y float64) (int, int, error) {
		r, err := s.inst.FPDF_PageToDevice(&requests.FPDF_PageToDevice{Page: pg, SizeX: W, SizeY: H, PageX: x, PageY: y})
		if err != nil {
			return 0, 0, s.wrap(ErrRender, err)
		}
		return r.DeviceX, r.DeviceY, nil
	}
	return &page{img: img, toPx: toPx}, nil
}

// maxAnnots bounds the annotations read from one page.
const maxAnnots = 5000

// annot is an annotation as PDFium sees it: its subtype and rectangle in
// default user space.
type annot struct {
	sub  int
	rect [4]float64
}

// annots lists page i's annotations (PDFium's reading of /Annots).
func (d *doc) annots(i int) ([]annot, error) {
	s := d.s
	pg := requests.Page{ByIndex: &requests.PageByIndex{Document: d.ref, Index: i}}
	n, err := s.inst.FPDFPage_GetAnnotCount(&requests.FPDFPage_GetAnnotCount{Page: pg})
	if err != nil {
		return nil, s.wrap(ErrRender, err)
	}
	if n.Count > maxAnnots {
		return nil, fmt.Errorf("%w (%d annotations on page %d)", ErrTooLarge, n.Count, i+1)
	}
	out := make([]annot, 0, n.Count)
	for k := 0; k < n.Count; k++ {
		a, err := s.inst.FPDFPage_GetAnnot(&requests.FPDFPage_GetAnnot{Page: pg, Index: k})
		if err != nil {
			return nil, s.wrap(ErrRender, err)
		}
		sub, err1 := s.inst.FPDFAnnot_GetSubtype(&requests.FPDFAnnot_GetSubtype{Annotation: a.Annotation})
		r, err2 := s.inst.FPDFAnnot_GetRect(&requests.FPDFAnnot_GetRect{Annotation: a.Annotation})
		s.inst.FPDFPage_CloseAnnot(&requests.FPDFPage_CloseAnnot{Annotation: a.Annotation})
		if err1 != nil || err2 != nil {
			// An annotation PDFium cannot describe: no rectangle to place.
			out = append(out, annot{sub: -1})
			continue
		}
		x0, x1 := min(float64(r.Rect.Left), float64(r.Rect.Right)), max(float64(r.Rect.Left), float64(r.Rect.Right))
		y0, y1 := min(float64(r.Rect.Bottom), float64(r.Rect.Top)), max(float64(r.Rect.Bottom), float64(r.Rect.Top))
		out = append(out, annot{sub: int(sub.Subtype), rect: [4]float64{x0, y0, x1, y1}})
	}
	return out, nil
}
