package cms

import (
	"bytes"
	"encoding/asn1"
	"math/big"
	"sort"
)

// A tiny DER writer: CMS needs exact control over SET ordering and
// IMPLICIT/EXPLICIT tags, which is clearer built by hand than through
// encoding/asn1 struct tags.

const (
	tagInteger     = 0x02
	tagOctetString = 0x04
	tagNull        = 0x05
	tagOID         = 0x06
	tagUTF8        = 0x0C
	tagSequence    = 0x30
	tagSet         = 0x31
	tagUTCTime     = 0x17
	tagGenTime     = 0x18
)

// header returns the identifier and length octets for a value of n bytes.
func header(tag byte, n int) []byte {
	if n < 0x80 {
		return []byte{tag, byte(n)}
	}
	var l []byte
	for v := n; v > 0; v >>= 8 {
		l = append([]byte{byte(v)}, l...)
	}
	return append([]byte{tag, 0x80 | byte(len(l))}, l...)
}

func tlv(tag byte, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := header(tag, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func seq(parts ...[]byte) []byte { return tlv(tagSequence, parts...) }

// set encodes a SET OF with its elements sorted, as DER requires.
func set(elems ...[]byte) []byte {
	sorted := append([][]byte(nil), elems...)
	sort.Slice(sorted, func(i, j int) bool { return bytes.Compare(sorted[i], sorted[j]) < 0 })
	return tlv(tagSet, sorted...)
}

// ctx is a context-specific constructed tag [n].
func ctx(n byte, parts ...[]byte) []byte { return tlv(0xA0|n, parts...) }

func oid(o asn1.ObjectIdentifier) []byte {
	b, err := asn1.Marshal(o)
	if err != nil {
		panic(err)
	}
	return b
}

func integer(v *big.Int) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func small(v int) []byte { return integer(big.NewInt(int64(v))) }

func octets(b []byte) []byte { return tlv(tagOctetString, b) }

func null() []byte { return []byte{tagNull, 0} }
