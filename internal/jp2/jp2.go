// Package jp2 reads the header of the My Number Card's face photo (JPEG
// 2000): its size and number of components, from the codestream's SIZ
// marker, with every length checked. It decodes nothing: the pixels are
// drawn by PDFium's OpenJPEG in WebAssembly (backend/verify/render, JPX),
// the same on every platform and without cgo. The header is read first so
// that a picture too large for a face photo is refused before any decoder
// sees it, and so that the picture can be placed at its own size.
//
// Hand-written because no library reads only this: the SIZ segment is a
// fixed layout (ISO/IEC 15444-1 A.5.1) and the JP2 boxes a length and a
// type (I.4), a few lines each; a decoder is not written here.
package jp2

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrInvalid: the bytes are not a JPEG 2000 picture this reader accepts.
var ErrInvalid = errors.New("jp2: not a JPEG 2000 image this decoder accepts")

// MaxSide bounds each side of a picture: the card's photo is a few hundred
// pixels; anything larger is refused before decoding.
const MaxSide = 2048

// Info is what the header says of the picture.
type Info struct {
	Width, Height int
	Components    int
}

var signature = []byte{0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A}

// Header reads a JP2 file's or a raw codestream's size.
func Header(b []byte) (Info, error) {
	cs := b
	if len(b) >= len(signature) && string(b[:len(signature)]) == string(signature) {
		var err error
		if cs, err = codestream(b); err != nil {
			return Info{}, err
		}
	}
	return siz(cs)
}

// codestream finds the contiguous codestream box (jp2c) among the file's
// top-level boxes.
func codestream(b []byte) ([]byte, error) {
	for off := 0; off < len(b); {
		rest := b[off:]
		if len(rest) < 8 {
			return nil, fmt.Errorf("%w: box header cut short", ErrInvalid)
		}
		n, hdr := uint64(binary.BigEndian.Uint32(rest)), uint64(8)
		switch n {
		case 0: // to the end of the file
			n = uint64(len(rest))
		case 1: // 64-bit length after the type
			if len(rest) < 16 {
				return nil, fmt.Errorf("%w: box header cut short", ErrInvalid)
			}
			n, hdr = binary.BigEndian.Uint64(rest[8:]), 16
		}
		if n < hdr || n > uint64(len(rest)) {
			return nil, fmt.Errorf("%w: box length %d out of bounds", ErrInvalid, n)
		}
		if string(rest[4:8]) == "jp2c" {
			return rest[hdr:n], nil
		}
		off += int(n)
	}
	return nil, fmt.Errorf("%w: no codestream box", ErrInvalid)
}

// siz reads the SOC and SIZ markers that begin every codestream.
func siz(cs []byte) (Info, error) {
	if len(cs) < 6 || cs[0] != 0xFF || cs[1] != 0x4F || cs[2] != 0xFF || cs[3] != 0x51 {
		return Info{}, fmt.Errorf("%w: no SOC and SIZ markers", ErrInvalid)
	}
	l := int(binary.BigEndian.Uint16(cs[4:]))
	if l < 41 || len(cs) < 4+l {
		return Info{}, fmt.Errorf("%w: SIZ segment cut short", ErrInvalid)
	}
	u := func(i int) uint64 { return uint64(binary.BigEndian.Uint32(cs[i:])) }
	x, y, x0, y0 := u(8), u(12), u(16), u(20)
	c := int(binary.BigEndian.Uint16(cs[40:]))
	if l != 38+3*c {
		return Info{}, fmt.Errorf("%w: SIZ length %d for %d components", ErrInvalid, l, c)
	}
	if x <= x0 || y <= y0 || x-x0 > MaxSide || y-y0 > MaxSide {
		return Info{}, fmt.Errorf("%w: size %d×%d (at most %d a side)", ErrInvalid, int64(x)-int64(x0), int64(y)-int64(y0), MaxSide)
	}
	if c < 1 || c > 4 {
		return Info{}, fmt.Errorf("%w: %d components", ErrInvalid, c)
	}
	return Info{Width: int(x - x0), Height: int(y - y0), Components: c}, nil
}
