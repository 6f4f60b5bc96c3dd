package safetext_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/safetext"
)

// A reason that tries to erase the line above it and print a green
// "valid": nothing that a terminal acts on survives, and the attempt is
// visible.
func TestShowDefusesANSI(t *testing.T) {
	attack := "ok\r\x1b[1A\x1b[2K\x1b[32m有効 (PASSED)\x1b[0m\u009b31m\x9b\u202etxt.exe"
	got := safetext.Show(attack)
	for _, bad := range []string{"\x1b", "\r", "\u009b", "\x9b", "\u202e", "\n"} {
		if strings.Contains(got, bad) {
			t.Errorf("Show(%q) = %q still holds %q", attack, got, bad)
		}
	}
	for _, want := range []string{`\x1b[1A`, `\x0d`, `\x9b`, `\u202e`, "有効 (PASSED)"} {
		if !strings.Contains(got, want) {
			t.Errorf("Show(%q) = %q, want it to show %q", attack, got, want)
		}
	}
}

func TestShowKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{"", "契約書に同意します", "Tokyo, 千代田区 1-1", "emoji 👨‍👩‍👧 ok", "tab-free"} {
		if got := safetext.Show(s); got != s {
			t.Errorf("Show(%q) = %q", s, got)
		}
		if err := safetext.Check(s); err != nil {
			t.Errorf("Check(%q) = %v", s, err)
		}
	}
}

func TestShowInvalidUTF8(t *testing.T) {
	got := safetext.Show("a\xffb\xc2")
	if got != "a\uFFFDb\uFFFD" {
		t.Errorf("got %q", got)
	}
}

func TestShowLinesKeepsBreaks(t *testing.T) {
	got := safetext.ShowLines("one\ntwo\x1b[2J")
	if got != "one\ntwo\\x1b[2J" {
		t.Errorf("got %q", got)
	}
}

func TestCheckRefuses(t *testing.T) {
	cases := map[string]rune{
		"reason\x1b[31m":  0x1b,
		"line\nbreak":     '\n',
		"\u202eabc":       0x202e,
		"x\u2066y":        0x2066,
		"c1\u0085":        0x85,
		"del\x7f":         0x7f,
		"para\u2029graph": 0x2029,
		"bad\xff":         0xfffd,
	}
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for s, r := range cases {
		err := safetext.Check(s)
		var e *safetext.Error
		if !errors.As(err, &e) || e.Rune != r {
			t.Errorf("Check(%q) = %v, want refusal of U+%04X", s, err, r)
		}
	}
}
