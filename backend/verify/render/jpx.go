package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"strconv"
	"time"
)

// JPXTimeout bounds the drawing of one JPEG 2000 picture.
const JPXTimeout = 20 * time.Second

// ErrJPX: PDFium could not draw the JPEG 2000 picture.
var ErrJPX = errors.New("the PDF engine cannot draw the JPEG 2000 picture")

// JPX draws a JPEG 2000 picture (a JP2 file or a raw codestream) of w×h
// pixels, as the caller read them from its header, at its own size: the
// picture is wrapped in a one-page PDF whose page is the picture (a
// JPXDecode image XObject, as PDF carries JPEG 2000) and PDFium's OpenJPEG
// decodes it in the engine's sandbox. Nothing reaches a file.
func (e *Engine) JPX(ctx context.Context, b []byte, w, h int) (*image.RGBA, error) {
	if w < 1 || h < 1 || w*h > MaxPixels {
		return nil, fmt.Errorf("%w: size %d×%d", ErrJPX, w, h)
	}
	// The engine's start (its compile, once per version) is not the
	// picture's doing: the deadline bounds the drawing only, as in Pair.
	if _, err := e.start(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, JPXTimeout)
	defer cancel()
	s, err := e.session(ctx)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	pdf := jpxPDF(b, w, h)
	d, err := s.open(bytes.NewReader(pdf), int64(len(pdf)))
	if err != nil {
		return nil, err
	}
	if d.pages != 1 {
		return nil, fmt.Errorf("%w: %d pages", ErrJPX, d.pages)
	}
	pg, err := d.render(0, 72)
	if err != nil {
		return nil, err
	}
	if pg.img.Rect.Dx() != w || pg.img.Rect.Dy() != h {
		return nil, fmt.Errorf("%w: drawn %v, want %d×%d", ErrJPX, pg.img.Rect, w, h)
	}
	return opaque(pg.img), nil
}

// jpxPDF is a one-page PDF whose page, w×h points, is the picture.
func jpxPDF(b []byte, w, h int) []byte {
	W, H := strconv.Itoa(w), strconv.Itoa(h)
	content := "q " + W + " 0 0 " + H + " 0 0 cm /P Do Q"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + W + " " + H + "] /Resources << /XObject << /P 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /XObject /Subtype /Image /Width " + W + " /Height " + H + " /Filter /JPXDecode /Length " + strconv.Itoa(len(b)) + " >>\nstream\n" + string(b) + "\nendstream",
		"<< /Length " + strconv.Itoa(len(content)) + " >>\nstream\n" + content + "\nendstream",
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return out.Bytes()
}
