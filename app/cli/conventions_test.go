package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/version"
)

// commandPaths are the commands --help must explain (every one the README
// names).
var commandPaths = [][]string{
	{}, {"readers"}, {"card"}, {"card", "status"}, {"pin"}, {"pin", "change"}, {"pin", "advise"}, {"sign"},
	{"vcard"}, {"vcard", "init"}, {"vcard", "export-root"}, {"verify"}, {"trust"}, {"trust", "list"},
	{"trust", "import"}, {"trust", "add"}, {"trust", "remove"}, {"trust", "fetch"}, {"trust", "from-card"},
	{"serve"}, {"consent"}, {"consent", "show"}, {"consent", "sign"}, {"consent", "withdraw"}, {"consent", "list"},
	{"counter"}, {"counter", "status"}, {"counter", "reset"}, {"counter", "watch"}, {"history"},
	{"history", "export"}, {"history", "verify"}, {"history", "purge"}, {"completion"}, {"version"},
}

// English words that would show an untranslated text in Japanese help
// (flag names, values and placeholders such as PAGE,X,Y,W,H are allowed).
var englishWord = regexp.MustCompile(`\b(the|a|an|of|to|for|and|or|with|from|Usage|Flags|Available|default|string|int|help|about)\b`)

// --help is on stdout with exit 0 in the locale's language, for every
// command; the Japanese help has no English sentence and no catalog key.
func TestHelpEveryCommand(t *testing.T) {
	for _, p := range commandPaths {
		for _, L := range []i18n.Lang{i18n.JA, i18n.EN} {
			r := shomei(t, L, nil, append(append([]string{}, p...), "--help")...)
			name := strings.Join(append([]string{"shomei"}, p...), " ")
			if r.code != 0 || r.stderr != "" || len(r.stdout) < 40 {
				t.Fatalf("%s --help (%s): %d\nstdout:\n%s\nstderr:\n%s", name, L, r.code, r.stdout, r.stderr)
			}
			if strings.Contains(r.stdout, "cli.") {
				t.Errorf("%s --help (%s) shows a catalog key:\n%s", name, L, r.stdout)
			}
			if L == i18n.JA {
				if !strings.Contains(r.stdout, "使い方:") {
					t.Errorf("%s --help (ja) is not Japanese:\n%s", name, r.stdout)
				}
				// Drop option names and command names before looking for English.
				text := regexp.MustCompile(`(?m)^\s+[a-z][a-z-]*\s\s|[a-z]+([-_][a-z]+)+|--?[a-z0-9-]+|shomei[a-z -]*`).ReplaceAllString(r.stdout, "")
				if m := englishWord.FindString(text); m != "" {
					t.Errorf("%s --help (ja) has English (%q):\n%s", name, m, r.stdout)
				}
			} else if !strings.Contains(r.stdout, "Usage:") {
				t.Errorf("%s --help (en) is not English:\n%s", name, r.stdout)
			}
		}
	}
}

// Usage errors: exit 2, a sentence in the user's language on stderr that
// points at --help, nothing on stdout (but the JSON error for --json).
func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{"bogus"}, {"trust", "bogus"}, {"trust"}, {"sign", "--bogus"}, {"verify"}, {"history", "--limit", "x"},
		{"pin", "change"}, {"pin", "change", "juki"}, {"completion", "tcsh"}, {"sign", "a.pdf", "--format", "xml"},
		{"history", "export", "--format", "xml", "--out", "x"}, {"counter", "reset", "sign", "extra"},
	}
	for _, c := range cases {
		r := shomei(t, i18n.JA, nil, c...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "コマンドの指定が正しくありません") || !strings.Contains(r.stderr, "--help") {
			t.Errorf("%v: %d\nstdout: %s\nstderr: %s", c, r.code, r.stdout, r.stderr)
		}
		if englishWord.MatchString(regexp.MustCompile(`"[^"]*"|「[^」]*」|（[^）]*）|[a-z]+([-_][a-z]+)+|--?[a-z-]+|shomei[a-z -]*`).ReplaceAllString(r.stderr, "")) {
			t.Errorf("%v: English in the Japanese usage error: %s", c, r.stderr)
		}
		en := shomei(t, i18n.EN, nil, c...)
		if en.code != 2 || !strings.Contains(en.stderr, "The command line is not valid") {
			t.Errorf("%v (en): %d %s", c, en.code, en.stderr)
		}
	}
	r := shomei(t, i18n.EN, nil, "history", "--limit", "x", "--json")
	var v struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if r.code != 2 || json.Unmarshal([]byte(r.stdout), &v) != nil || v.Error.Code != "usage" || v.Error.Message == "" {
		t.Errorf("--json usage error: %d %q", r.code, r.stdout)
	}
	// No arguments at all: the help on stderr, exit 2.
	if r := shomei(t, i18n.EN, nil); r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("no arguments: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestVersionCompletionMan(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if r := shomei(t, i18n.JA, nil, args...); r.code != 0 || r.stdout != "shomei "+version.String()+"\n" {
			t.Errorf("%v: %d %q", args, r.code, r.stdout)
		}
	}
	want := map[string]string{"bash": "__start_shomei", "zsh": "#compdef shomei", "fish": "complete -c shomei", "powershell": "Register-ArgumentCompleter"}
	for sh, marker := range want {
		r := shomei(t, i18n.EN, nil, "completion", sh)
		if r.code != 0 || !strings.Contains(r.stdout, marker) {
			t.Errorf("completion %s: %d, no %q", sh, r.code, marker)
		}
	}
	// The completion a shell asks for: subcommands of trust.
	r := shomei(t, i18n.EN, nil, "__complete", "trust", "")
	for _, sub := range []string{"list", "import", "add", "remove", "fetch", "from-card"} {
		if !strings.Contains(r.stdout, sub) {
			t.Errorf("__complete trust: no %s in %q", sub, r.stdout)
		}
	}
	dir := filepath.Join(t.TempDir(), "man1")
	if r := shomei(t, i18n.EN, nil, "man", dir); r.code != 0 {
		t.Fatalf("man: %d %s", r.code, r.stderr)
	}
	for _, page := range []string{"shomei.1", "shomei-sign.1", "shomei-verify.1", "shomei-trust-from-card.1", "shomei-counter-reset.1"} {
		raw, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil || !strings.Contains(string(raw), `.TH "SHOMEI" "1"`) || !strings.Contains(string(raw), ".SH NAME") {
			t.Errorf("man page %s: %v\n%.300s", page, err, raw)
		}
	}
	sign, _ := os.ReadFile(filepath.Join(dir, "shomei-sign.1"))
	if !strings.Contains(string(sign), "accept-disclosure") {
		t.Errorf("shomei-sign.1 lacks its options:\n%s", sign)
	}
}
