package cmsv_test

import (
	"crypto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/cmsv"
)

// seeds are the CMS files the structure-aware target edits: the virtual
// card's detached signature (testdata/fuzz/FuzzParse/detached) and, when
// the shared corpus is present, an enveloping one.
func seeds(tb testing.TB) [][]byte {
	var out [][]byte
	raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzParse", "detached"))
	if err != nil {
		tb.Fatal(err)
	}
	s := string(raw)
	i, j := strings.Index(s, "[]byte("), strings.LastIndex(s, ")")
	b, err := strconv.Unquote(s[i+len("[]byte(") : j])
	if err != nil {
		tb.Fatal(err)
	}
	out = append(out, []byte(b))
	if b, err := os.ReadFile(filepath.Join(corpus, "cms", "dss-2011__cades-enveloping.p7m")); err == nil {
		out = append(out, b)
	}
	return out
}

// tlv is one element of a DER/BER tree, as a structure-aware fuzzer edits
// it: the tag kept, the length re-encoded as the operation says.
type tlv struct {
	tag  []byte
	kids []*tlv // constructed
	val  []byte // primitive
	cons bool
	// encoding choices
	indefinite bool
	padLen     int // extra leading zero bytes in a long-form length
}

func parseTLV(b []byte, depth int) (*tlv, []byte, bool) {
	if len(b) < 2 || depth > 40 {
		return nil, nil, false
	}
	t := &tlv{cons: b[0]&0x20 != 0}
	i := 1
	if b[0]&0x1f == 0x1f {
		for i < len(b) && b[i]&0x80 != 0 {
			i++
		}
		i++
	}
	if i >= len(b) {
		return nil, nil, false
	}
	t.tag = b[:i]
	l := int(b[i])
	i++
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 4 || i+n > len(b) {
			return nil, nil, false
		}
		l = 0
		for _, c := range b[i : i+n] {
			l = l<<8 | int(c)
		}
		i += n
	}
	if i+l > len(b) || l < 0 {
		return nil, nil, false
	}
	body := b[i : i+l]
	if t.cons {
		for len(body) > 0 {
			k, rest, ok := parseTLV(body, depth+1)
			if !ok {
				return nil, nil, false
			}
			t.kids = append(t.kids, k)
			body = rest
		}
	} else {
		t.val = body
	}
	return t, b[i+l:], true
}

func (t *tlv) encode() []byte {
	var body []byte
	if t.cons {
		for _, k := range t.kids {
			body = append(body, k.encode()...)
		}
	} else {
		body = t.val
	}
	out := append([]byte{}, t.tag...)
	if t.indefinite && t.cons {
		out = append(out, 0x80)
		out = append(out, body...)
		return append(out, 0, 0)
	}
	n := len(body)
	if n < 128 && t.padLen == 0 {
		out = append(out, byte(n))
	} else {
		var lb []byte
		for x := n; x > 0; x >>= 8 {
			lb = append([]byte{byte(x)}, lb...)
		}
		for range min(t.padLen, 3) {
			lb = append([]byte{0}, lb...)
		}
		out = append(out, 0x80|byte(len(lb)))
		out = append(out, lb...)
	}
	return append(out, body...)
}

// walk visits the tree in order, at most limit nodes; it reports whether
// the tree had more.
func (t *tlv) walk(f func(*tlv), limit *int) bool {
	if *limit <= 0 {
		return false
	}
	*limit--
	f(t)
	for _, k := range t.kids {
		if !k.walk(f, limit) {
			return false
		}
	}
	return true
}

// clone copies a subtree (repeats must not share nodes: a later edit of
// one copy would change them all, and nesting a shared node grows the
// tree exponentially).
func (t *tlv) clone() *tlv {
	c := *t
	c.kids = make([]*tlv, len(t.kids))
	for i, k := range t.kids {
		c.kids[i] = k.clone()
	}
	return &c
}

// maxTree bounds the edited tree: the harness must stay fast, the parser's
// own limits are what is under test.
const maxTree = 20000

// FuzzCMS: CMS SignedData edited element by element. Each 4-byte group of
// ops names a node (by index in tree order), an operation and an argument:
// indefinite length, padded long-form length, the value replaced by data,
// the node repeated, nested inside SEQUENCEs, a primitive OCTET STRING
// split into a constructed one, or the node removed. The result is parsed
// and every signer verified.
func FuzzCMS(f *testing.F) {
	seeds := seeds(f)
	for i := range seeds {
		f.Add(i, []byte{}, []byte{})
		f.Add(i, []byte{0, 0, 0, 0, 5, 2, 3, 0}, []byte{0x05, 0x00})
		f.Add(i, []byte{1, 3, 200, 0, 2, 4, 1, 0}, []byte("x"))
	}
	f.Fuzz(func(t *testing.T, seed int, ops, data []byte) {
		if len(seeds) == 0 {
			t.Skip("no seeds")
		}
		root, _, ok := parseTLV(seeds[abs(seed)%len(seeds)], 0)
		if !ok {
			t.Fatal("seed does not parse")
		}
		for o := 0; o+4 <= len(ops) && o < 64; o += 4 {
			var nodes []*tlv
			limit := maxTree
			if !root.walk(func(n *tlv) { nodes = append(nodes, n) }, &limit) {
				break
			}
			n := nodes[(int(ops[o])<<8|int(ops[o+1]))%len(nodes)]
			arg := int(ops[o+3])
			switch ops[o+2] % 7 {
			case 0:
				n.indefinite = true
			case 1:
				n.padLen = 1 + arg%3
			case 2:
				if !n.cons {
					n.val = data
				}
			case 3:
				if n.cons && len(n.kids) > 0 {
					k := n.kids[arg%len(n.kids)]
					for range min(arg, 50) {
						n.kids = append(n.kids, k.clone())
					}
				}
			case 4:
				for range arg % 80 {
					c := *n
					*n = tlv{tag: []byte{0x30}, cons: true, kids: []*tlv{&c}, indefinite: arg&1 == 1}
				}
			case 5:
				if !n.cons && len(n.val) > 1 {
					cut := 1 + arg%(len(n.val)-1)
					a := &tlv{tag: []byte{0x04}, val: n.val[:cut]}
					b := &tlv{tag: []byte{0x04}, val: n.val[cut:]}
					n.tag = []byte{n.tag[0] | 0x20}
					n.cons, n.val, n.kids = true, nil, []*tlv{a, b}
				}
			case 6:
				if n.cons && len(n.kids) > 0 {
					i := arg % len(n.kids)
					n.kids = append(n.kids[:i:i], n.kids[i+1:]...)
				}
			}
		}
		enc := root.encode()
		fromFile(t, enc)
		s, err := cmsv.Parse(enc)
		if err != nil {
			return
		}
		for i := 0; i < s.Signers() && i < 8; i++ {
			s.Verify(i, func(h crypto.Hash) ([]byte, error) { return make([]byte, h.Size()), nil })
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}
