package cmsv

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"io"
)

// An enveloping signature holds its content, which may be any size: read
// whole (and normalised from BER), a 300 MB .p7m took 940 MB. ParseFile
// reads the structure from the file instead: everything but the content is
// copied (certificates, signer infos: bounded by MaxStructure) and the
// content is only located, as the pieces of its OCTET STRING, and hashed
// from the file when a signer needs it.

// MaxStructure bounds what ParseFile keeps in memory: the signature without
// its content (certificates, CRLs, signer infos).
const MaxStructure = 64 << 20

// maxPieces bounds the pieces of a constructed OCTET STRING (16 bytes each
// in memory).
const maxPieces = 1 << 20

// ErrStructureTooLarge: the signature without its content is larger than
// MaxStructure.
var ErrStructureTooLarge = errors.New("the signature's structure (without its content) is too large")

// Embedded is the content of an enveloping signature, where it lies in the
// file.
type Embedded struct {
	r      io.ReaderAt
	pieces [][2]int64 // offset, length
	Size   int64      // the content's length
}

// Hash hashes the content with h, read from the file.
func (e *Embedded) Hash(h crypto.Hash) ([]byte, error) {
	hh := h.New()
	buf := make([]byte, 1<<20)
	for _, p := range e.pieces {
		if _, err := io.CopyBuffer(hh, io.NewSectionReader(e.r, p[0], p[1]), buf); err != nil {
			return nil, err
		}
	}
	return hh.Sum(nil), nil
}

// EmbeddedBytes is a content already in memory (a PEM signature's).
func EmbeddedBytes(b []byte) *Embedded {
	return &Embedded{r: bytes.NewReader(b), pieces: [][2]int64{{0, int64(len(b))}}, Size: int64(len(b))}
}

// ContentHash is Hash as a signer's content.
func (e *Embedded) ContentHash() ContentHash {
	cache := map[crypto.Hash][]byte{}
	return func(h crypto.Hash) ([]byte, error) {
		if d, ok := cache[h]; ok {
			return d, nil
		}
		d, err := e.Hash(h)
		if err == nil {
			cache[h] = d
		}
		return d, err
	}
}

// ParseFile reads a ContentInfo holding SignedData (BER or DER) from r
// (size bytes). An embedded content is returned as Embedded, and the
// Signed has no EContent (it reads as detached: verify it with
// Embedded.ContentHash); without one, Embedded is nil.
func ParseFile(r io.ReaderAt, size int64) (*Signed, *Embedded, error) {
	p := &fileParser{r: r, size: size}
	rest, emb, err := p.split()
	if err != nil {
		return nil, nil, err
	}
	s, err := Parse(rest)
	if err != nil {
		return nil, nil, err
	}
	if emb != nil {
		emb.r = r
	}
	return s, emb, nil
}

type tlv struct {
	off     int64 // where the header starts
	hdr     int64 // header length
	id      []byte
	cons    bool
	length  int64 // -1: indefinite
	content int64 // where the content starts
}

type fileParser struct {
	r     io.ReaderAt
	size  int64
	out   bytes.Buffer
	nodes int
}

// header reads the TLV header at off.
func (p *fileParser) header(off int64) (tlv, error) {
	var b [16]byte
	n, err := p.r.ReadAt(b[:], off)
	if n == 0 {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return tlv{}, fmt.Errorf("%w: truncated (%v)", errBER, err)
	}
	in := b[:n]
	t := tlv{off: off}
	i := 1
	if in[0]&0x1f == 0x1f {
		for i < len(in) && in[i]&0x80 != 0 {
			i++
		}
		i++
		if i > len(in) || i > 6 {
			return t, fmt.Errorf("%w: tag too long", errBER)
		}
	}
	t.id = append([]byte(nil), in[:i]...)
	t.cons = in[0]&0x20 != 0
	if i >= len(in) {
		return t, fmt.Errorf("%w: truncated", errBER)
	}
	l := in[i]
	i++
	switch {
	case l < 0x80:
		t.length = int64(l)
	case l == 0x80:
		if !t.cons {
			return t, fmt.Errorf("%w: indefinite primitive", errBER)
		}
		t.length = -1
	default:
		k := int(l & 0x7f)
		if k > 8 || i+k > len(in) {
			return t, fmt.Errorf("%w: bad length", errBER)
		}
		var v uint64
		for _, c := range in[i : i+k] {
			v = v<<8 | uint64(c)
		}
		if v > uint64(p.size) {
			return t, fmt.Errorf("%w: length past the end", errBER)
		}
		t.length = int64(v)
		i += k
	}
	t.hdr = int64(i)
	t.content = off + t.hdr
	if t.length >= 0 && t.content+t.length > p.size {
		return t, fmt.Errorf("%w: length %d past the end", errBER, t.length)
	}
	p.nodes++
	if p.nodes > 8*maxNodes {
		return t, fmt.Errorf("%w: too many elements", errBER)
	}
	return t, nil
}

func (t tlv) eoc() bool { return len(t.id) == 1 && t.id[0] == 0 && t.length == 0 }

// end finds where the element t ends (after its end-of-contents when
// indefinite).
func (p *fileParser) end(t tlv, depth int) (int64, error) {
	if t.length >= 0 {
		return t.content + t.length, nil
	}
	if depth > maxDepth {
		return 0, fmt.Errorf("%w: nested too deeply", errBER)
	}
	for off := t.content; ; {
		c, err := p.header(off)
		if err != nil {
			return 0, err
		}
		if c.eoc() {
			return c.content, nil
		}
		if off, err = p.end(c, depth+1); err != nil {
			return 0, err
		}
	}
}

// children lists the elements inside the constructed t.
func (p *fileParser) children(t tlv, depth int) ([]tlv, error) {
	var out []tlv
	limit := p.size
	if t.length >= 0 {
		limit = t.content + t.length
	}
	for off := t.content; off < limit || t.length < 0; {
		c, err := p.header(off)
		if err != nil {
			return nil, err
		}
		if t.length < 0 && c.eoc() {
			return out, nil
		}
		out = append(out, c)
		if off, err = p.end(c, depth+1); err != nil {
			return nil, err
		}
		if off > limit {
			return nil, fmt.Errorf("%w: element past its parent", errBER)
		}
	}
	return out, nil
}

// copyRaw appends the element t as it is in the file.
func (p *fileParser) copyRaw(t tlv, depth int) error {
	end, err := p.end(t, depth)
	if err != nil {
		return err
	}
	if int64(p.out.Len())+end-t.off > MaxStructure {
		return ErrStructureTooLarge
	}
	_, err = p.out.ReadFrom(io.NewSectionReader(p.r, t.off, end-t.off))
	return err
}

// open writes t's identifier with an indefinite length (its content is
// rewritten; close ends it).
func (p *fileParser) open(t tlv) { p.out.Write(t.id); p.out.WriteByte(0x80) }
func (p *fileParser) close()     { p.out.Write([]byte{0, 0}) }

// split rewrites the ContentInfo without the content of its
// encapContentInfo, and locates that content.
func (p *fileParser) split() ([]byte, *Embedded, error) {
	ci, err := p.header(0)
	if err != nil {
		return nil, nil, err
	}
	kids, err := p.children(ci, 0)
	if err != nil || len(kids) != 2 || !ci.cons {
		return nil, nil, fmt.Errorf("not a CMS ContentInfo: %v", err)
	}
	var emb *Embedded
	p.open(ci)
	if err := p.copyRaw(kids[0], 1); err != nil {
		return nil, nil, err
	}
	p.open(kids[1]) // [0] EXPLICIT
	sdl, err := p.children(kids[1], 1)
	if err != nil || len(sdl) != 1 {
		return nil, nil, fmt.Errorf("not a CMS ContentInfo: %v", err)
	}
	sd := sdl[0]
	p.open(sd)
	parts, err := p.children(sd, 2)
	if err != nil || len(parts) < 4 {
		return nil, nil, fmt.Errorf("SignedData: %v", err)
	}
	for i, part := range parts {
		if i != 2 {
			if err := p.copyRaw(part, 3); err != nil {
				return nil, nil, err
			}
			continue
		}
		// encapContentInfo: its type, and the content located, not copied.
		enc, err := p.children(part, 3)
		if err != nil || len(enc) == 0 || len(enc) > 2 {
			return nil, nil, fmt.Errorf("SignedData: encapContentInfo: %v", err)
		}
		p.open(part)
		if err := p.copyRaw(enc[0], 4); err != nil {
			return nil, nil, err
		}
		p.close()
		if len(enc) == 2 {
			octs, err := p.children(enc[1], 4)
			if err != nil || len(octs) != 1 {
				return nil, nil, fmt.Errorf("SignedData: eContent: %v", err)
			}
			emb = &Embedded{}
			if err := p.pieces(octs[0], emb, 5); err != nil {
				return nil, nil, err
			}
		}
	}
	p.close() // SignedData
	p.close() // [0]
	p.close() // ContentInfo
	return p.out.Bytes(), emb, nil
}

// pieces records where the octets of the OCTET STRING t lie (a constructed
// one: its pieces, in order).
func (p *fileParser) pieces(t tlv, e *Embedded, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: nested too deeply", errBER)
	}
	if t.id[0]&^0x20 != 0x04 {
		return fmt.Errorf("%w: eContent is not an OCTET STRING", errBER)
	}
	if !t.cons {
		if len(e.pieces) >= maxPieces {
			return fmt.Errorf("%w: too many pieces", errBER)
		}
		if t.length > 0 {
			e.pieces = append(e.pieces, [2]int64{t.content, t.length})
			e.Size += t.length
		}
		return nil
	}
	kids, err := p.children(t, depth)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if err := p.pieces(k, e, depth+1); err != nil {
			return err
		}
	}
	return nil
}
