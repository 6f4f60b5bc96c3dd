// Package jp2 decodes the My Number Card's face photo (JPEG 2000) to an
// image, in memory, with Debian's OpenJPEG (libopenjp2) through cgo. No
// browser engine Shomei runs in decodes JPEG 2000, so the backend hands the
// UI a PNG; the CLI writes one on request.
//
// Why OpenJPEG through cgo: Go has no maintained JPEG 2000 decoder, and a
// decoder is not something to write by hand. OpenJPEG is the reference
// implementation, packaged by Debian (libopenjp2-7) and fuzzed by OSS-Fuzz.
// The external opj_decompress would need the photo in a file; through cgo it
// never leaves memory. Builds without cgo (the Windows cross-build) get
// ErrUnsupported: the check still runs, the photo is not shown there.
package jp2

import (
	"bytes"
	"errors"
	"image"
	"image/png"
)

// Errors.
var (
	ErrUnsupported = errors.New("jp2: JPEG 2000 decoding is not built into this binary (needs cgo and libopenjp2)")
	ErrInvalid     = errors.New("jp2: not a JPEG 2000 image this decoder accepts")
)

// MaxSide bounds each side of a decoded image: the card's photo is a few
// hundred pixels; anything larger is refused before decoding.
const MaxSide = 2048

// PNG decodes b and encodes the image as PNG.
func PNG(b []byte) ([]byte, error) {
	img, err := Decode(b)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode decodes a JP2 file or a raw J2K codestream.
func Decode(b []byte) (image.Image, error) { return decode(b) }
