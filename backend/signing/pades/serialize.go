package pades

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf16"

	"github.com/digitorus/pdf"
)

// ref is an indirect object reference.
type ref struct {
	id  uint32
	gen uint16
}

func (r ref) String() string { return fmt.Sprintf("%d %d R", r.id, r.gen) }

func refOf(v pdf.Value) ref { p := v.GetPtr(); return ref{p.GetID(), p.GetGen()} }

// writeValue serialises v as it appears inside the object container. The
// reader resolves references on access; a value that came through a
// reference carries its own object number, a direct one its container's, so
// references are written back as references.
func writeValue(b *bytes.Buffer, v pdf.Value, container ref, depth int) error {
	if depth > 64 {
		return errors.New("objects nested too deeply")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if r := refOf(v); r.id != 0 && r != container {
		b.WriteString(r.String())
		return nil
	}
	switch v.Kind() {
	case pdf.Null:
		b.WriteString("null")
	case pdf.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case pdf.Integer:
		b.WriteString(strconv.FormatInt(v.Int64(), 10))
	case pdf.Real:
		b.WriteString(strconv.FormatFloat(v.Float64(), 'f', -1, 64))
	case pdf.String:
		writeHexString(b, []byte(v.RawString()))
	case pdf.Name:
		writeName(b, v.Name())
	case pdf.Array:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			if err := writeValue(b, v.Index(i), container, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case pdf.Dict:
		return writeDict(b, v, container, depth, nil)
	case pdf.Stream:
		return errors.New("a stream cannot be rewritten inline")
	default:
		return fmt.Errorf("unexpected object kind %d", v.Kind())
	}
	return nil
}

// writeDict writes a dictionary, replacing or adding the entries in extra
// (raw PDF syntax, already serialised).
func writeDict(b *bytes.Buffer, v pdf.Value, container ref, depth int, extra map[string]string) error {
	b.WriteString("<<")
	for _, k := range v.Keys() {
		if _, replaced := extra[k]; replaced {
			continue
		}
		b.WriteByte(' ')
		writeName(b, k)
		b.WriteByte(' ')
		if err := writeValue(b, v.Key(k), container, depth+1); err != nil {
			return fmt.Errorf("/%s: %w", k, err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		b.WriteByte(' ')
		writeName(b, k)
		b.WriteByte(' ')
		b.WriteString(extra[k])
	}
	b.WriteString(" >>")
	return nil
}

// writeName writes /Name, escaping what the syntax does not allow as #xx.
func writeName(b *bytes.Buffer, n string) {
	b.WriteByte('/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c < 0x21 || c > 0x7E || bytes.IndexByte([]byte("#()<>[]{}/%"), c) >= 0 {
			fmt.Fprintf(b, "#%02X", c)
			continue
		}
		b.WriteByte(c)
	}
}

func writeHexString(b *bytes.Buffer, s []byte) {
	const hexdigits = "0123456789ABCDEF"
	b.WriteByte('<')
	for _, c := range s {
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
	}
	b.WriteByte('>')
}

// textString encodes a text string as hex UTF-16BE with a byte order mark:
// the one form every reader takes for Japanese text.
func textString(s string) string {
	var b bytes.Buffer
	u := utf16.Encode([]rune(s))
	raw := make([]byte, 2, 2+2*len(u))
	raw[0], raw[1] = 0xFE, 0xFF
	for _, c := range u {
		raw = append(raw, byte(c>>8), byte(c))
	}
	writeHexString(&b, raw)
	return b.String()
}
