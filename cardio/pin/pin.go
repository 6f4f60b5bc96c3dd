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

	// The 照合番号 are not chosen by the holder: they are read off the card
	// face. A is the 12-digit My Number; B is the birth date YYMMDD (era
	// year), the expiry year YYYY and the 4-digit security code, 14 digits.
	TextA   ID = "text_a"   // 照合番号A, text applet EF 0014
	TextB   ID = "text_b"   // 照合番号B, text applet EF 0015
	VisualA ID = "visual_a" // 照合番号A, visual applet EF 0013
	VisualB ID = "visual_b" // 照合番号B, visual applet EF 0012
)

// All lists the PINs a holder chose, in display order.
var All = []ID{Sign, Auth, Text, Juki}

// Codes lists the 照合番号 PIN files, in display order.
var Codes = []ID{TextA, TextB, VisualA, VisualB}

// Every is All followed by Codes: what a card status lists.
var Every = append(append([]ID(nil), All...), Codes...)

// IsCode reports whether id is a 照合番号 (printed on the card, never
// changed by the holder).
func IsCode(id ID) bool {
	return id == TextA || id == TextB || id == VisualA || id == VisualB
}

// Spec describes a PIN's format and try limit.
type Spec struct {
	ID       ID
	MinLen   int
	MaxLen   int
	Digits   bool // 4 digits; otherwise A–Z and 0–9
	MaxTries int
	check    func([]byte) bool // a further format rule (check digit, date), nil: none
}

var specs = map[ID]Spec{
	Sign: {ID: Sign, MinLen: 6, MaxLen: 16, MaxTries: 5},
	Auth: {ID: Auth, MinLen: 4, MaxLen: 4, Digits: true, MaxTries: 3},
	Text: {ID: Text, MinLen: 4, MaxLen: 4, Digits: true, MaxTries: 3},
	Juki: {ID: Juki, MinLen: 4, MaxLen: 4, Digits: true, MaxTries: 3},
	// Tries of the 照合番号: no peer publishes the limit (jpki/myna and
	// soltia48/myna-card print the counter the card reports; AokiApp/jsapdu
	// names the files only). The counter read from the card is what the guard
	// uses; MaxTries is the virtual card's start value and the display's
	// "of N". UNVERIFIED on a real card.
	TextA:   {ID: TextA, MinLen: 12, MaxLen: 12, Digits: true, MaxTries: 10, check: ValidMyNumber},
	TextB:   {ID: TextB, MinLen: 14, MaxLen: 14, Digits: true, MaxTries: 10, check: validCodeB},
	VisualA: {ID: VisualA, MinLen: 12, MaxLen: 12, Digits: true, MaxTries: 10, check: ValidMyNumber},
	VisualB: {ID: VisualB, MinLen: 14, MaxLen: 14, Digits: true, MaxTries: 10, check: validCodeB},
}

// ValidMyNumber reports whether b is 12 ASCII digits whose last is the check
// digit of the first 11 (the rule of 行政手続における特定の個人を識別するための
// 番号の利用等に関する法律施行令 art. 8): a mistyped My Number is caught
// before it costs a try.
func ValidMyNumber(b []byte) bool {
	if len(b) != 12 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return b[11]-'0' == MyNumberCheckDigit(b[:11])
}

// MyNumberCheckDigit computes the check digit of the first 11 digits of a
// My Number: Pn = digit n places from the right (n = 1..11), Qn = n+1 for
// n <= 6 and n-5 otherwise; r = sum(Pn*Qn) mod 11; the digit is 0 when
// r <= 1, else 11-r.
func MyNumberCheckDigit(d []byte) byte {
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(d[11-n] - '0')
		q := n + 1
		if n > 6 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	if r <= 1 {
		return 0
	}
	return byte(11 - r)
}

// validCodeB checks what 照合番号B's shape allows without the card: a
// month 01–12 and a day 01–31 in the birth date, an expiry year 2015–2099
// (the card was first issued in 2016). Peers disagree on the year of the
// birth date: soltia48/myna-card writes the Japanese era year (confirmed on
// a card, 1980-02-17 → 550217), AokiApp/jsapdu says only "YYMMDD"; both are
// two digits, so only month and day can be checked here.
func validCodeB(b []byte) bool {
	num := func(s []byte) int {
		n := 0
		for _, c := range s {
			n = n*10 + int(c-'0')
		}
		return n
	}
	m, d, y := num(b[2:4]), num(b[4:6]), num(b[6:10])
	return m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 2015 && y <= 2099
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
		return "", fmt.Errorf("unknown PIN %q (sign, auth, text, juki, text_a, text_b, visual_a or visual_b)", s)
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
	if bad || len(out) < spec.MinLen || len(out) > spec.MaxLen || (spec.check != nil && !spec.check(out)) {
		wipe(out)
		return nil, cardio.E(cardio.CodePINFormat, "pin", fmt.Errorf("%s: %s", id, spec.Rule()))
	}
	return &Secret{b: out}, nil
}

// Check applies the rule beyond length and alphabet (check digit, date
// shape); true when there is none.
func (s Spec) Check(b []byte) bool { return s.check == nil || s.check(b) }

// Rule describes the format in English (the UI has its own wording).
func (s Spec) Rule() string {
	if s.check != nil {
		return fmt.Sprintf("%d digits of the card face", s.MinLen)
	}
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
