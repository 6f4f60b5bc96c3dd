package identity

import (
	"bytes"
	"context"
	"image/png"

	"github.com/shomei-app/shomei/backend/verify/render"
	"github.com/shomei-app/shomei/internal/jp2"
)

// PhotoPNG turns the chip's face photo (JPEG 2000) into a PNG, in memory,
// the same way on every platform: its header is read and bounded
// (internal/jp2), then PDFium's OpenJPEG, in WebAssembly with a memory
// limit and a deadline, draws it at its own size (render.JPX). No file is
// written and no cgo is needed, so the Windows build shows the photo too.
// The desktop window, the web UI and `card identity --photo` all come here.
func PhotoPNG(ctx context.Context, photo []byte) ([]byte, error) {
	in, err := jp2.Header(photo)
	if err != nil {
		return nil, err
	}
	img, err := render.Default().JPX(ctx, photo, in.Width, in.Height)
	if err != nil {
		return nil, err
	}
	defer clear(img.Pix)
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WarmPhoto gets PhotoPNG's engine ready in the background while the staff
// type 照合番号B: its first start compiles PDFium (seconds; tens of
// seconds on a busy machine before anything is cached).
func WarmPhoto() { render.Default().Warm() }
