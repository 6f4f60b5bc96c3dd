// Package kenmen reads, checks and builds the data files of the My Number
// Card's two 券面 applets: the text applet (券面事項入力補助AP: My Number,
// the basic 4 information, their digests and J-LIS's signature) and the
// visual applet (券面事項確認AP: birth date, sex, the name and address
// images, the face photo, the signature, the expiry, the security-code
// image), and the card-verifiable certificates (CVC) that carry the keys
// those signatures verify under. It does no card I/O: cardio/jpki reads the
// files, this package parses them the way a viewer must, with bounds, and
// decides whether J-LIS's signatures hold.
//
// The layouts were checked against every public peer: jpki/myna (Go
// libmyna/text_ap.go, Rust src/visual.rs), soltia48/myna-card (src/ap/text.rs,
// src/ap/surface.rs, src/data.rs) and AokiApp/jsapdu (packages/mynacard
// src/schema.ts, src/constants.ts). They agree on every tag below; where they
// differ it is said at the place.
package kenmen

import (
	"errors"
	"fmt"
)

// ErrMalformed is wrapped by every parse error.
var ErrMalformed = errors.New("malformed 券面 data")

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
}

// maxFile bounds any file: READ BINARY offsets are 15 bits.
const maxFile = 0x7FFF

// header parses one BER-TLV header at the start of b: a one- or two-byte
// tag (the files use DFxx/FFxx/5Fxx/7Fxx and one-byte 90/91/A1), and a
// definite length in the short form or 81/82/83. It returns the tag, the
// header length and the value length.
//
// Written here rather than taken from encoding/asn1: the card's objects are
// BER with private-class two-byte tags, their lengths are not promised to be
// DER-minimal (encoding/asn1 refuses those), and the checks need the byte
// offset of every object.
func header(b []byte) (tag uint32, hdr, n int, err error) {
	if len(b) < 2 {
		return 0, 0, 0, malformed("object header cut short")
	}
	tag = uint32(b[0])
	i := 1
	if b[0]&0x1F == 0x1F {
		if b[1]&0x80 != 0 {
			return 0, 0, 0, malformed("tag longer than two bytes")
		}
		tag = tag<<8 | uint32(b[1])
		i = 2
	}
	if len(b) <= i {
		return 0, 0, 0, malformed("object header cut short")
	}
	l := int(b[i])
	i++
	switch {
	case l < 0x80:
		n = l
	case l >= 0x81 && l <= 0x83:
		k := l & 0x7F
		if len(b) < i+k {
			return 0, 0, 0, malformed("length cut short")
		}
		for _, c := range b[i : i+k] {
			n = n<<8 | int(c)
		}
		i += k
	default:
		return 0, 0, 0, malformed("length form %02X", l)
	}
	if n > maxFile {
		return 0, 0, 0, malformed("object of %d bytes", n)
	}
	return tag, i, n, nil
}

// ObjectLen returns the total length (header included) of the TLV object at
// the start of b, which may hold only its first bytes: what a reader needs
// to know how much more to read.
func ObjectLen(b []byte) (int, error) {
	_, hdr, n, err := header(b)
	if err != nil {
		return 0, err
	}
	return hdr + n, nil
}

// field is one object inside a file's outer template.
type field struct {
	tag   uint32
	value []byte
	raw   []byte // header and value, as written
	start int    // offset of raw from the start of the file
}

type fields []field

// parseFile reads the outer template with tag outer at the start of raw
// (anything after it is filler) and the objects inside it, stopping at 00 or
// FF filler. When table is not zero, the object with that tag is an offset
// table (big-endian u16 offsets from the start of the file of every other
// object, in order), and it is checked, not trusted.
func parseFile(raw []byte, outer, table uint32) (fields, error) {
	tag, hdr, n, err := header(raw)
	if err != nil {
		return nil, err
	}
	if tag != outer {
		return nil, malformed("file starts with tag %X, want %X", tag, outer)
	}
	if hdr+n > len(raw) {
		return nil, malformed("template of %d bytes in a file of %d", hdr+n, len(raw))
	}
	var out fields
	var offsets []byte
	seen := map[uint32]bool{}
	pos := hdr
	for pos < hdr+n {
		if raw[pos] == 0x00 || raw[pos] == 0xFF {
			break
		}
		t, h, l, err := header(raw[pos : hdr+n])
		if err != nil {
			return nil, err
		}
		end := pos + h + l
		if end > hdr+n {
			return nil, malformed("object %X runs past its template", t)
		}
		if seen[t] {
			return nil, malformed("object %X appears twice", t)
		}
		seen[t] = true
		if table != 0 && t == table {
			offsets = raw[pos+h : end]
		} else {
			out = append(out, field{tag: t, value: raw[pos+h : end], raw: raw[pos:end], start: pos})
		}
		pos = end
	}
	if table != 0 {
		if offsets == nil {
			return nil, malformed("no offset table %X", table)
		}
		if len(offsets) != 2*len(out) {
			return nil, malformed("offset table of %d bytes for %d objects", len(offsets), len(out))
		}
		for i, f := range out {
			if got := int(offsets[2*i])<<8 | int(offsets[2*i+1]); got != f.start {
				return nil, malformed("offset %d says %d, object %X starts at %d", i, got, f.tag, f.start)
			}
		}
	}
	return out, nil
}

func (fs fields) get(tag uint32) ([]byte, error) {
	for _, f := range fs {
		if f.tag == tag {
			return f.value, nil
		}
	}
	return nil, malformed("no object %X", tag)
}

// rawOf concatenates the objects with the given tags, headers included, as
// written.
func (fs fields) rawOf(tags ...uint32) ([]byte, error) {
	var out []byte
	for _, t := range tags {
		found := false
		for _, f := range fs {
			if f.tag == t {
				out = append(out, f.raw...)
				found = true
			}
		}
		if !found {
			return nil, malformed("no object %X", t)
		}
	}
	return out, nil
}

// tlv encodes one object (builders).
func tlv(tag uint32, value []byte) []byte {
	var out []byte
	if tag > 0xFF {
		out = append(out, byte(tag>>8))
	}
	out = append(out, byte(tag))
	switch n := len(value); {
	case n < 0x80:
		out = append(out, byte(n))
	case n <= 0xFF:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, value...)
}

// withTable builds an outer template whose first object is an offset table
// of the objects that follow, the way the card writes the text applet's
// 0002 and the visual applet's 0002.
func withTable(outer, table uint32, objs [][]byte) []byte {
	body := 0
	for _, o := range objs {
		body += len(o)
	}
	tableLen := len(tlv(table, make([]byte, 2*len(objs))))
	total := tableLen + body
	outerHdr := len(tlv(outer, make([]byte, total))) - total
	offs := make([]byte, 0, 2*len(objs))
	pos := outerHdr + tableLen
	for _, o := range objs {
		offs = append(offs, byte(pos>>8), byte(pos))
		pos += len(o)
	}
	v := tlv(table, offs)
	for _, o := range objs {
		v = append(v, o...)
	}
	return tlv(outer, v)
}
