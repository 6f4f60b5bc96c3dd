package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
)

// ViewDPI is the resolution of the pictures shown side by side.
const ViewDPI = 110

// Picture is one page drawn for a person: a PNG, or why there is none.
type Picture struct {
	PNG    []byte
	Width  int
	Height int
	Absent bool // the document has no such page
}

// Pair draws page n (1-based) of the signed revision and of the final file
// at ViewDPI, for the report's side-by-side view. Nothing is kept: each
// call draws again.
func (e *Engine) Pair(ctx context.Context, signed io.ReaderAt, signedSize int64, final io.ReaderAt, finalSize int64, n int) (before, after Picture, err error) {
	if _, err = e.start(); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, e.budget())
	defer cancel()
	s, err := e.session(ctx)
	if err != nil {
		return before, after, err
	}
	defer s.Close()
	draw := func(r io.ReaderAt, size int64) (Picture, error) {
		d, err := s.open(r, size)
		if err != nil {
			return Picture{}, err
		}
		if n < 1 || n > d.pages {
			return Picture{Absent: true}, nil
		}
		pg, err := d.render(n-1, ViewDPI)
		if err != nil {
			return Picture{}, err
		}
		var b bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&b, opaque(pg.img)); err != nil {
			return Picture{}, fmt.Errorf("%w: %v", ErrRender, err)
		}
		return Picture{PNG: b.Bytes(), Width: pg.img.Rect.Dx(), Height: pg.img.Rect.Dy()}, nil
	}
	if before, err = draw(signed, signedSize); err != nil {
		return
	}
	after, err = draw(final, finalSize)
	return
}

// opaque puts the page on white paper (PDFium leaves a page with
// transparency transparent).
func opaque(img *image.RGBA) *image.RGBA {
	for i := 3; i < len(img.Pix); i += 4 {
		a := int(img.Pix[i])
		if a == 255 {
			continue
		}
		for c := i - 3; c < i; c++ {
			img.Pix[c] = byte(int(img.Pix[c])*a/255 + 255 - a)
		}
		img.Pix[i] = 255
	}
	return img
}
