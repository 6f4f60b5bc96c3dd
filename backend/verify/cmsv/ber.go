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
func toDER(in []byte) ([]byte, error) {
	nodes := 0
	out, rest, err := reencode(in, 0, &nodes)
	if err != nil {
		return nil, err
	}
	// Whatever follows the top-level object (a PDF's /Contents is padded,
	// usually with zeros) is not part of the signature.
	_ = rest
	return out, nil
}

// reencode reads one TLV from in and returns its DER form and what follows.
func reencode(in []byte, depth int, nodes *int) (der, rest []byte, err error) {
	if depth > maxDepth {
		return nil, nil, fmt.Errorf("%w: nested too deeply", errBER)
	}
	*nodes++
	if *nodes > maxNodes {
		return nil, nil, fmt.Errorf("%w: too many elements", errBER)
	}
	if len(in) < 2 {
		return nil, nil, fmt.Errorf("%w: truncated", errBER)
	}
	// Identifier octets (high tag numbers span several bytes).
	idLen := 1
	if in[0]&0x1F == 0x1F {
		for idLen < len(in) && in[idLen]&0x80 != 0 {
			idLen++
			if idLen > 5 {
				return nil, nil, fmt.Errorf("%w: tag too long", errBER)
			}
		}
		idLen++
		if idLen >= len(in) {
			return nil, nil, fmt.Errorf("%w: truncated tag", errBER)
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
			return nil, nil, fmt.Errorf("%w: indefinite primitive", errBER)
		}
		indefinite = true
	case l > 0x80:
		n := l & 0x7F
		if n > 4 || p+n > len(in) {
			return nil, nil, fmt.Errorf("%w: bad length", errBER)
		}
		l = 0
		for _, c := range in[p : p+n] {
			l = l<<8 | int(c)
		}
		p += n
		if l < 0 || l > len(in)-p {
			return nil, nil, fmt.Errorf("%w: length %d past the end", errBER, l)
		}
	default:
		if l > len(in)-p {
			return nil, nil, fmt.Errorf("%w: length past the end", errBER)
		}
	}
	if !constructed {
		return append(header(id, l), in[p:p+l]...), in[p+l:], nil
	}
	var body []byte
	var content []byte
	if indefinite {
		content = in[p:]
	} else {
		content = in[p : p+l]
	}
	for {
		if indefinite {
			if len(content) >= 2 && content[0] == 0 && content[1] == 0 {
				content = content[2:]
				break
			}
			if len(content) == 0 {
				return nil, nil, fmt.Errorf("%w: missing end-of-contents", errBER)
			}
		} else if len(content) == 0 {
			break
		}
		child, r, err := reencode(content, depth+1, nodes)
		if err != nil {
			return nil, nil, err
		}
		body = append(body, child...)
		content = r
	}
	// A constructed OCTET STRING (BER) becomes one primitive OCTET STRING.
	if len(id) == 1 && id[0] == 0x24 {
		flat, err := flattenOctets(body)
		if err != nil {
			return nil, nil, err
		}
		return append(header([]byte{0x04}, len(flat)), flat...), restAfter(in, p, l, indefinite, content), nil
	}
	return append(header(id, len(body)), body...), restAfter(in, p, l, indefinite, content), nil
}

func restAfter(in []byte, p, l int, indefinite bool, content []byte) []byte {
	if indefinite {
		return content
	}
	return in[p+l:]
}

// flattenOctets concatenates the primitive OCTET STRING segments of a
// (now DER) constructed one.
func flattenOctets(b []byte) ([]byte, error) {
	var out []byte
	for len(b) > 0 {
		if b[0] != 0x04 {
			return nil, fmt.Errorf("%w: constructed OCTET STRING holds tag %02X", errBER, b[0])
		}
		l, n, err := derLen(b[1:])
		if err != nil {
			return nil, err
		}
		out = append(out, b[1+n:1+n+l]...)
		b = b[1+n+l:]
	}
	return out, nil
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
