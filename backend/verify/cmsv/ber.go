package cmsv

import (
	"errors"
	"fmt"
)

// Limits for untrusted input.
const (
	maxDepth = 64
	maxNodes = 1 << 20
)

var errBER = errors.New("malformed BER/DER")

// toDER re-encodes BER (indefinite lengths, non-minimal lengths, constructed
// strings) as DER so encoding/asn1 can read it. The order of SET OF elements
// is kept as found: signed attributes are verified over their bytes as
// encoded (see attrsForVerify).
//
// Two passes: the first reads the tree and sums each element's DER size,
// the second writes the result once into a buffer of the final size. (One
// pass that re-assembled each level copied an enveloped content once per
// nesting level: a 300 MB CMS took 1.8 GB.)
func toDER(in []byte) ([]byte, error) {
	t := &berTree{}
	root, rest, err := t.read(in, 0)
	if err != nil {
		return nil, err
	}
	// Whatever follows the top-level object (a PDF's /Contents is padded,
	// usually with zeros) is not part of the signature.
	_ = rest
	out := make([]byte, 0, t.nodes[root].total())
	return t.write(out, root), nil
}

// berNode is one element: its identifier, its primitive content or its
// children, and the size of its DER content.
type berNode struct {
	id     []byte
	prim   []byte
	kids   []int
	octets bool // a constructed OCTET STRING: written as one primitive
	size   int  // DER content length
}

func (n *berNode) total() int { return len(header(n.idOut(), n.size)) + n.size }

func (n *berNode) idOut() []byte {
	if n.octets {
		return []byte{0x04}
	}
	return n.id
}

type berTree struct{ nodes []berNode }

// read reads one TLV from in and returns its node and what follows.
func (t *berTree) read(in []byte, depth int) (int, []byte, error) {
	if depth > maxDepth {
		return 0, nil, fmt.Errorf("%w: nested too deeply", errBER)
	}
	if len(t.nodes) >= maxNodes {
		return 0, nil, fmt.Errorf("%w: too many elements", errBER)
	}
	if len(in) < 2 {
		return 0, nil, fmt.Errorf("%w: truncated", errBER)
	}
	// Identifier octets (high tag numbers span several bytes).
	idLen := 1
	if in[0]&0x1F == 0x1F {
		for idLen < len(in) && in[idLen]&0x80 != 0 {
			idLen++
			if idLen > 5 {
				return 0, nil, fmt.Errorf("%w: tag too long", errBER)
			}
		}
		idLen++
		if idLen >= len(in) {
			return 0, nil, fmt.Errorf("%w: truncated tag", errBER)
		}
	}
	id := in[:idLen]
	constructed := in[0]&0x20 != 0
	p := idLen
	l := int(in[p])
	p++
	indefinite := false
	switch {
	case l == 0x80:
		if !constructed {
			return 0, nil, fmt.Errorf("%w: indefinite primitive", errBER)
		}
		indefinite = true
	case l > 0x80:
		n := l & 0x7F
		if n > 4 || p+n > len(in) {
			return 0, nil, fmt.Errorf("%w: bad length", errBER)
		}
		l = 0
		for _, c := range in[p : p+n] {
			l = l<<8 | int(c)
		}
		p += n
		if l < 0 || l > len(in)-p {
			return 0, nil, fmt.Errorf("%w: length %d past the end", errBER, l)
		}
	default:
		if l > len(in)-p {
			return 0, nil, fmt.Errorf("%w: length past the end", errBER)
		}
	}
	me := len(t.nodes)
	t.nodes = append(t.nodes, berNode{id: id})
	if !constructed {
		t.nodes[me].prim, t.nodes[me].size = in[p:p+l], l
		return me, in[p+l:], nil
	}
	var content []byte
	if indefinite {
		content = in[p:]
	} else {
		content = in[p : p+l]
	}
	octets := len(id) == 1 && id[0] == 0x24
	var kids []int
	size := 0
	for {
		if indefinite {
			if len(content) >= 2 && content[0] == 0 && content[1] == 0 {
				content = content[2:]
				break
			}
			if len(content) == 0 {
				return 0, nil, fmt.Errorf("%w: missing end-of-contents", errBER)
			}
		} else if len(content) == 0 {
			break
		}
		k, r, err := t.read(content, depth+1)
		if err != nil {
			return 0, nil, err
		}
		kn := &t.nodes[k]
		if octets {
			// A constructed OCTET STRING (BER) becomes one primitive
			// OCTET STRING: its segments must be OCTET STRINGs.
			if !kn.octets && !(len(kn.id) == 1 && kn.id[0] == 0x04) {
				return 0, nil, fmt.Errorf("%w: constructed OCTET STRING holds tag %02X", errBER, kn.id[0])
			}
			size += kn.size
		} else {
			size += kn.total()
		}
		kids = append(kids, k)
		content = r
	}
	t.nodes[me].kids, t.nodes[me].octets, t.nodes[me].size = kids, octets, size
	return me, restAfter(in, p, l, indefinite, content), nil
}

// write appends node i in DER.
func (t *berTree) write(out []byte, i int) []byte {
	n := &t.nodes[i]
	out = append(out, header(n.idOut(), n.size)...)
	return t.content(out, i)
}

// content appends node i's DER content (a constructed OCTET STRING's
// segments, concatenated).
func (t *berTree) content(out []byte, i int) []byte {
	n := &t.nodes[i]
	if n.kids == nil && !n.octets && n.id[0]&0x20 == 0 {
		return append(out, n.prim...)
	}
	for _, k := range n.kids {
		if n.octets {
			out = t.content(out, k)
		} else {
			out = t.write(out, k)
		}
	}
	return out
}

func restAfter(in []byte, p, l int, indefinite bool, content []byte) []byte {
	if indefinite {
		return content
	}
	return in[p+l:]
}

func derLen(b []byte) (l, n int, err error) {
	if len(b) == 0 {
		return 0, 0, errBER
	}
	if b[0] < 0x80 {
		return int(b[0]), 1, nil
	}
	k := int(b[0] & 0x7F)
	if k == 0 || k > 4 || len(b) < 1+k {
		return 0, 0, errBER
	}
	for _, c := range b[1 : 1+k] {
		l = l<<8 | int(c)
	}
	if l > len(b)-1-k {
		return 0, 0, errBER
	}
	return l, 1 + k, nil
}

func header(id []byte, n int) []byte {
	out := append([]byte(nil), id...)
	if n < 0x80 {
		return append(out, byte(n))
	}
	var l []byte
	for v := n; v > 0; v >>= 8 {
		l = append([]byte{byte(v)}, l...)
	}
	return append(append(out, 0x80|byte(len(l))), l...)
}
