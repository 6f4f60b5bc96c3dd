// Package canonjson reads JSON strictly and writes it in the JSON
// Canonicalization Scheme (RFC 8785): object members sorted by their UTF-16
// code units, no insignificant whitespace, strings with the minimal escapes,
// so the same data always gives the same bytes and anyone can reproduce them
// to check a signature. Shomei signs consent documents and application
// manifests in this form.
//
// Numbers are limited to integers of magnitude up to 2^53, which is all
// Shomei's formats use; anything else is refused rather than rounded.
package canonjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Parse decodes one JSON value: valid UTF-8, no duplicate member names,
// nothing after the value. Objects become map[string]any, arrays []any,
// numbers json.Number.
func Parse(b []byte) (any, error) {
	if !utf8.Valid(b) {
		return nil, errors.New("JSON is not valid UTF-8")
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	v, err := value(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("JSON has data after its value")
	}
	return v, nil
}

func value(d *json.Decoder) (any, error) {
	t, err := d.Token()
	if err != nil {
		return nil, fmt.Errorf("JSON: %w", err)
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					return nil, fmt.Errorf("JSON: %w", err)
				}
				key := k.(string)
				if _, dup := m[key]; dup {
					return nil, fmt.Errorf("JSON: member %q appears twice", key)
				}
				if m[key], err = value(d); err != nil {
					return nil, err
				}
			}
			_, err := d.Token() // '}'
			return m, err
		case '[':
			a := []any{}
			for d.More() {
				v, err := value(d)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := d.Token() // ']'
			return a, err
		}
		return nil, fmt.Errorf("JSON: unexpected %v", t)
	default:
		return t, nil
	}
}

// Encode writes v canonically. v holds what Parse returns (and also Go
// ints, int64 and []string for convenience).
func Encode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Canonical re-encodes JSON bytes canonically.
func Canonical(raw []byte) ([]byte, error) {
	v, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	return Encode(v)
}

// Marshal is json.Marshal followed by Canonical: the canonical bytes of a Go
// value.
func Marshal(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Canonical(raw)
}

const maxSafe = 1 << 53

func encode(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case string:
		return str(b, v)
	case json.Number:
		bad := fmt.Errorf("JSON number %s: only integers up to 2^53 are allowed", v)
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			if n > maxSafe || n < -maxSafe {
				return bad
			}
			b.WriteString(strconv.FormatInt(n, 10))
			return nil
		}
		// 1.0, -5e0 and the like: exact only well inside the float range.
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) >= maxSafe {
			return bad
		}
		b.WriteString(strconv.FormatInt(int64(f), 10)) // -0 becomes 0
	case int:
		return encode(b, json.Number(strconv.Itoa(v)))
	case int64:
		return encode(b, json.Number(strconv.FormatInt(v, 10)))
	case []string:
		a := make([]any, len(v))
		for i, s := range v {
			a[i] = s
		}
		return encode(b, a)
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return less16(keys[i], keys[j]) })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := str(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := encode(b, v[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("canonjson: cannot encode %T", v)
	}
	return nil
}

// less16 compares strings by UTF-16 code units, as RFC 8785 sorts members.
func less16(a, b string) bool {
	x, y := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(x) && i < len(y); i++ {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return len(x) < len(y)
}

// str writes a JSON string with only the escapes RFC 8785 requires.
func str(b *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return errors.New("canonjson: string is not valid UTF-8")
	}
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return nil
}
