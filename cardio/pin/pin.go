// Package pin knows the card's PINs: which ones exist, their formats and try
// limits, how user input is normalised, and a Secret type that keeps PIN bytes
// out of logs and wipes them after use. The checks that guard a PIN try live
// in package jpki (guard.go); this package only says what a valid PIN is.
package pin

import (
	"fmt"
	"strings"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/internal/errs"
)

// ID names one of the card's PINs.
type ID string

const (
	Sign ID = "sign" // 署名用電子証明書の暗証番号 (signing password), JPKI EF 001B
	Auth ID = "auth" // 利用者証明用電子証明書の暗証番号, JPKI EF 0018
	Text ID = "text" // 券面事項入力補助用暗証番号, text applet EF 0011
	Juki ID = "juki" // 住民基本台帳用暗証番号, 住基 applet EF 001C
)

// All lists the PINs in display order.
var All = []ID{Sign, Auth, Text, Juki}

// Spec describes a PIN's format and try limit.
type Spec struct {
	ID       ID
	MinLen   int
	MaxLen   int
	Digits   bool // 4 digits; otherwise A–Z and 0–9
	MaxTries int
}

var specs = map[ID]Spec{
	Sign: {ID: Sign, MinLen: 6, MaxLen: 16, MaxTries: 5},
	Auth: {ID: Auth, MinLen: 4, MaxLen: 4, Digits: true, MaxTries: 3},
	Text: {ID: Text, MinLen: 4, MaxLen: 4, Digits: true, MaxTries: 3},
	Juki: {ID: Juki, MinLen: 4, MaxLen: 4, Digits: true, MaxTries: 3},
}

// Specs lists the four PINs' specs, in the order of All: the one policy
// every shell (and the screens, through the UI service) reads.
func Specs() []Spec {
	out := make([]Spec, len(All))
	for i, id := range All {
		out[i] = specs[id]
	}
	return out
}

// SpecOf returns the spec of id.
func SpecOf(id ID) (Spec, bool) {
	s, ok := specs[id]
	return s, ok
}

// ParseID accepts the CLI / API names.
func ParseID(s string) (ID, error) {
	id := ID(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := specs[id]; !ok {
		return "", fmt.Errorf("unknown PIN %q (sign, auth, text or juki)", s)
	}
	return id, nil
}

// Secret holds PIN bytes. It never prints its content (fmt, %v, %#v, JSON
// all show a placeholder) and Wipe zeroes it.
type Secret struct {
	b []byte
}

const redacted = "[PIN redacted]"

func (s *Secret) String() string               { return redacted }
func (s *Secret) GoString() string             { return redacted }
func (s *Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
func (s *Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Bytes returns the normalised PIN bytes. The slice is the Secret's own: do
// not keep it past Wipe.
func (s *Secret) Bytes() []byte {
	if s == nil {
		return nil
	}
	return s.b
}

// Len is the number of characters.
func (s *Secret) Len() int {
	if s == nil {
		return 0
	}
	return len(s.b)
}

// Wipe zeroes the bytes. Safe to call more than once and on nil.
func (s *Secret) Wipe() {
	if s == nil {
		return
	}
	for i := range s.b {
		s.b[i] = 0
	}
	s.b = nil
}

// Parse normalises user input for the PIN id and checks its format before
// anything reaches the card. Full-width letters and digits become ASCII, the
// signing password is upper-cased, and surrounding spaces and a trailing
// newline are dropped. The input slice is wiped. A format error never
// contains the input.
func Parse(id ID, input []byte) (*Secret, error) {
	defer wipe(input)
	spec, ok := specs[id]
	if !ok {
		return nil, cardio.E(cardio.CodePINFormat, "pin", fmt.Errorf("unknown PIN %q", id))
	}
	out := make([]byte, 0, len(input))
	rs := []rune(string(input))
	defer func() {
		for i := range rs {
			rs[i] = 0
		}
	}()
	// Trim ASCII and ideographic spaces and line ends at both ends only.
	start, end := 0, len(rs)
	for start < end && isSpace(rs[start]) {
		start++
	}
	for end > start && isSpace(rs[end-1]) {
		end--
	}
	bad := false
	for _, r := range rs[start:end] {
		r = fold(r)
		switch {
		case r >= '0' && r <= '9':
		case !spec.Digits && r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case !spec.Digits && r >= 'A' && r <= 'Z':
		default:
			bad = true
		}
		if bad {
			break
		}
		out = append(out, byte(r))
	}
	if bad || len(out) < spec.MinLen || len(out) > spec.MaxLen {
		wipe(out)
		return nil, cardio.E(cardio.CodePINFormat, "pin", fmt.Errorf("%s: %s", id, spec.Rule()))
	}
	return &Secret{b: out}, nil
}

// Rule describes the format in English (the UI has its own wording).
func (s Spec) Rule() string {
	if s.Digits {
		return fmt.Sprintf("%d digits", s.MinLen)
	}
	return fmt.Sprintf("%d to %d characters, letters A–Z and digits 0–9", s.MinLen, s.MaxLen)
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '\u3000'
}

// fold maps full-width ASCII variants (U+FF01–U+FF5E) to ASCII.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFF01 + 0x21
	}
	return r
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// ResetCodeLen is the length of a card's reset code (the virtual card's:
// real cards are reset on J-LIS's terminal, never with a code here).
const ResetCodeLen = 8

// ParseResetCode checks a reset code: 8 printable ASCII characters once
// spaces around it are trimmed. The input is wiped; a malformed code is
// errs.ResetCodeFormat and nothing is sent.
func ParseResetCode(input []byte) (*Secret, error) {
	defer wipe(input)
	code := []byte(strings.TrimSpace(string(input)))
	ok := len(code) == ResetCodeLen
	for _, c := range code {
		ok = ok && c > ' ' && c < 0x7f
	}
	if !ok {
		wipe(code)
		return nil, errs.New(errs.ResetCodeFormat)
	}
	return &Secret{b: code}, nil
}
