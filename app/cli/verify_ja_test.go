package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
	"github.com/shomei-app/shomei/backend/verify/finding"
	"github.com/shomei-app/shomei/backend/verify/pdfv/adversary"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// The Japanese report says everything in Japanese: the adversarial suite,
// the shared corpus (PDF and CMS) and the public suites, verified through
// `shomei verify` in the ja locale, and through `--json` whose "ja" fields
// are what the UI shows. Nothing may hold an English sentence (three English
// words in a row), a finding or change code, an i18n key or a formatting
// slip. What the document or a certificate says (names, reasons, file
// names, the values a sentence quotes) is data and is taken out first.
func TestVerifyReportJapaneseOnly(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is needed to build the adversarial suite")
	}
	// The detector itself: what the old report printed is caught.
	for _, bad := range []string{"    問題: no path from ‹› to a trust anchor (issuer ‹›)", "verify.label.errors", "    失効確認: verify.rev.", "    ✗ byterange_shape", "%!s(MISSING)"} {
		if notJapanese(bad) == "" {
			t.Fatalf("the detector misses %q", bad)
		}
	}
	if why := notJapanese("  署名 1: 有効 (PASSED)"); why != "" {
		t.Fatalf("the detector refuses a Japanese line: %s", why)
	}
	dataDir(t)
	srv := tsatest.Start(t)
	dir := t.TempDir()
	var files []string
	for _, k := range adversary.Build(t, dir, adversary.InProcess(srv.URL), adversary.TSAToken(srv.URL)) {
		p := filepath.Join(dir, k.Class+"-"+k.Name+".pdf")
		if err := os.WriteFile(p, k.PDF, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	suite := len(files)
	if suite < 80 {
		t.Fatalf("only %d adversarial cases", suite)
	}
	for _, glob := range []string{"../../../shared/corpus/*.pdf", "../../../shared/corpus/cms/*.p7[sm]", "../../backend/verify/pdfv/testdata/public/*.pdf"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	t.Logf("%d adversarial cases, %d corpus and public files", suite, len(files)-suite)
	root := filepath.Join(dir, "root.pem")
	os.WriteFile(root, vcardtest.State(t).RootPEM(), 0o644)
	tsaRoot := filepath.Join(dir, "tsa.pem")
	os.WriteFile(tsaRoot, srv.RootPEM(), 0o644)

	args := []string{"verify", "--trust", root, "--trust", tsaRoot}
	js := shomei(t, i18n.JA, nil, append(append(args, "--json"), files...)...)
	var out struct {
		Files []map[string]any `json:"files"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil {
		t.Fatalf("--json: %v\n%s", err, js.stderr)
	}
	if len(out.Files) < suite {
		t.Fatalf("%d reports for %d files", len(out.Files), len(files))
	}
	var data []string
	var ja []string
	notes := 0
	for _, f := range out.Files {
		walk(f, "", func(key string, v string, parents []string) {
			switch {
			case key == "ja":
				ja = append(ja, v)
			case key == "args", inside(parents, "args"), inside(parents, "claims"), inside(parents, "signer"), inside(parents, "trust_anchor"),
				key == "file", key == "data", key == "tsa", key == "source", key == "name", key == "format", key == "reason":
				data = append(data, v)
			}
			if key == "code" {
				notes++
			}
		})
	}
	if notes == 0 {
		t.Fatal("no finding in the whole suite: the walk reads nothing")
	}
	// Longest first, so a name is removed before a part of it.
	sort.Slice(data, func(i, j int) bool { return len(data[i]) > len(data[j]) })
	strip := func(s string) string {
		for _, d := range data {
			if len(d) > 1 {
				s = strings.ReplaceAll(s, d, "‹›")
			}
		}
		return s
	}
	for _, s := range ja {
		if why := notJapanese(strip(s)); why != "" {
			t.Errorf("JSON ja field: %s: %q", why, s)
		}
	}
	human := shomei(t, i18n.JA, nil, append(args, files...)...)
	lines := strings.Split(human.stdout+human.stderr, "\n")
	if len(lines) < 10*suite {
		t.Fatalf("%d lines for %d files", len(lines), len(files))
	}
	for _, l := range lines {
		if why := notJapanese(strip(l)); why != "" {
			t.Errorf("CLI line: %s: %q", why, l)
		}
	}
	t.Logf("%d ja fields, %d CLI lines, %d findings checked", len(ja), len(lines), notes)
}

// walk calls fn for every string in a decoded JSON value, with its key and
// the keys above it.
func walk(v any, key string, fn func(key, v string, parents []string), parents ...string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			walk(c, k, fn, append(append([]string(nil), parents...), key)...)
		}
	case []any:
		for _, c := range x {
			walk(c, key, fn, parents...)
		}
	case string:
		fn(key, x, parents)
	}
}

func inside(parents []string, k string) bool {
	for _, p := range parents {
		if p == k {
			return true
		}
	}
	return false
}

var (
	enWord    = regexp.MustCompile(`^[("'“]*[A-Za-z][a-z]+[,.;:)"'”]*$`)
	i18nKey   = regexp.MustCompile(`\b(verify|cli|err|trust|touki|api|pin)\.[a-z_]*\.?`)
	snakeCode = regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`)
	// The ETSI indication and sub-indication after the verdict (as in
	// "有効 (PASSED)"): standard names the report promises (README).
	etsi = regexp.MustCompile(`\((PASSED|FAILED|INDETERMINATE)(/[A-Z_]+)?\)`)
)

// notJapanese says what is wrong with a line of the Japanese report, or "".
func notJapanese(s string) string {
	s = etsi.ReplaceAllString(s, "")
	if strings.Contains(s, "%!") || strings.Contains(s, "%s") || strings.Contains(s, "%d") {
		return "formatting slip"
	}
	if m := i18nKey.FindString(s); m != "" {
		return "i18n key " + m
	}
	for _, c := range snakeCode.FindAllString(s, -1) {
		if isCode(c) {
			return "raw code " + c
		}
	}
	run := 0
	for _, w := range strings.Fields(s) {
		if enWord.MatchString(w) {
			run++
			if run >= 3 {
				return "English words"
			}
			continue
		}
		run = 0
	}
	return ""
}

var codes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range finding.Codes {
		m[c] = true
	}
	for _, k := range i18n.Keys("verify.change.") {
		m[strings.TrimPrefix(k, "verify.change.")] = true
	}
	for _, k := range i18n.Keys("verify.why.") {
		m[strings.TrimPrefix(k, "verify.why.")] = true
	}
	return m
}()

func isCode(s string) bool { return codes[s] }
