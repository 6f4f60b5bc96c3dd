// Package safetext makes text that someone else chose safe to show: a
// signer's reason and location, names in certificates, file names, error
// details quoting a file. Such text must never drive the terminal or the
// layout: an ANSI escape in a /Reason can erase the line above it and
// print a fake green verdict; a right-to-left override can make
// "exe.txt" read as "txt.exe".
//
// Show replaces every such character with a visible escape (\x1b, \u202e)
// so the reader sees that it was there; Check refuses it (what Shomei
// writes into a signature).
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unsafe reports whether r must not reach a display as itself: C0 and C1
// control characters and DEL (ANSI escapes, carriage returns, line feeds
// in one-line fields), the bidirectional controls (embeddings, overrides,
// isolates and marks), the line and paragraph separators and the
// interlinear annotation characters.
func Unsafe(r rune) bool {
	switch {
	case unicode.Is(unicode.Cc, r): // C0, DEL, C1
		return true
	case unicode.Is(unicode.Bidi_Control, r):
		return true
	case r == '\u2028' || r == '\u2029': // line, paragraph separator
		return true
	case r >= '\uFFF9' && r <= '\uFFFB': // interlinear annotation
		return true
	}
	return false
}

// Show returns s for display: each unsafe character as a visible escape
// (\x1b for control characters, \u202e for the others) and invalid UTF-8
// as U+FFFD. Text that needs nothing comes back as it is.
func Show(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case Unsafe(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ShowLines is Show for text where line breaks are meant (a sentence of
// several lines): "\n" is kept, everything else as Show.
func ShowLines(s string) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = Show(p)
	}
	return strings.Join(parts, "\n")
}

func clean(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || Unsafe(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// Error is the refusal of Check: which character, where.
type Error struct {
	Rune  rune
	Index int // byte offset in the text
}

func (e *Error) Error() string {
	return fmt.Sprintf("the text holds a control or direction character (U+%04X) at byte %d", e.Rune, e.Index)
}

// Check refuses text Shomei would write for others to read (a signature's
// reason, location, contact, a stamp's name): invalid UTF-8 or any unsafe
// character.
func Check(s string) error {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return &Error{Rune: r, Index: i}
			}
		}
		if Unsafe(r) {
			return &Error{Rune: r, Index: i}
		}
	}
	return nil
}
