package cmsv

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// berOf re-writes DER as BER: every constructed element with an indefinite
// length, every OCTET STRING over 8 bytes as a constructed one of two
// segments, lengths in long form.
func berOf(t *testing.T, der []byte) (out, rest []byte) {
	t.Helper()
	id := der[0]
	l, n, err := derLen(der[1:])
	if err != nil {
		t.Fatal(err)
	}
	body, rest := der[1+n:1+n+l], der[1+n+l:]
	switch {
	case id&0x20 != 0:
		out = []byte{id, 0x80}
		for len(body) > 0 {
			var k []byte
			k, body = berOf(t, body)
			out = append(out, k...)
		}
		return append(out, 0, 0), rest
	case id == 0x04 && l > 8:
		h := l / 2
		out = []byte{0x24, 0x80, 0x04, 0x84, byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h)}
		out = append(out, body[:h]...)
		out = append(out, 0x04, 0x84, byte((l-h)>>24), byte((l-h)>>16), byte((l-h)>>8), byte(l-h))
		out = append(out, body[h:]...)
		return append(out, 0, 0), rest
	default:
		out = []byte{id, 0x84, byte(l >> 24), byte(l >> 16), byte(l >> 8), byte(l)}
		return append(out, body...), rest
	}
}

// The two-pass BER to DER conversion gives back exactly the DER of a
// signature written as BER (indefinite lengths, constructed strings,
// long-form lengths).
func TestBERRoundTrip(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzParse", "detached"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	q, err := strconv.Unquote(s[strings.Index(s, "[]byte(")+len("[]byte(") : strings.LastIndex(s, ")")])
	if err != nil {
		t.Fatal(err)
	}
	der := []byte(q)
	ber, _ := berOf(t, der)
	if bytes.Equal(ber, der) || len(ber) <= len(der) {
		t.Fatal("the BER form is not different")
	}
	got, err := toDER(ber)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, der) {
		t.Fatalf("toDER(BER) differs from the DER (%d vs %d bytes)", len(got), len(der))
	}
	if again, err := toDER(der); err != nil || !bytes.Equal(again, der) {
		t.Fatalf("toDER(DER) changed it: %v", err)
	}
}
