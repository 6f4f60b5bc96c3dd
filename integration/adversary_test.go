package integration

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/pdfv/adversary"
	"slices"
)

// The adversarial suite through the real stack: every base document is
// signed by the virtual card through pcscd with the shomei CLI, then
// manipulated (backend/verify/pdfv/adversary), and the shomei CLI verifies
// every case: each manipulated one is not PASSED, each control PASSED with
// the warning it should carry; each change is named in both languages,
// never by a code. poppler's pdftotext confirms which manipulations a
// viewer really shows.
func TestAdversarialSuite(t *testing.T) {
	need(t)
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)
	root := exportRoot(t, state)
	srv := tsatest.Start(t)
	tsaRoot := filepath.Join(t.TempDir(), "tsa.pem")
	os.WriteFile(tsaRoot, srv.RootPEM(), 0o644)
	sign := func(tb testing.TB, in, out string, certify int, visible, withTSA bool) {
		dir := tb.TempDir()
		args := []string{"sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--out", dir}
		if certify > 0 {
			args = append(args, "--certify", []string{"", "no-changes", "form-filling", "annotations"}[certify])
		}
		if visible {
			args = append(args, "--visible", "1,320,60,230,70")
		}
		if withTSA {
			args = append(args, "--tsa", srv.URL)
		}
		r := shomei(t, "TEST1234\n", append(args, in)...)
		if r.code != 0 {
			tb.Fatalf("sign %s: %d %s", in, r.code, r.stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(filepath.Base(in), ".pdf")+".signed.pdf"))
		if err != nil {
			tb.Fatal(err)
		}
		os.WriteFile(out, b, 0o644)
	}
	c := &tsa.Client{URL: srv.URL}
	cases := adversary.Build(t, t.TempDir(), sign, func(b []byte) ([]byte, error) { return c.Token(context.Background(), b) })
	if len(cases) < 80 {
		t.Fatalf("only %d cases", len(cases))
	}
	dir := t.TempDir()
	var files []string
	byFile := map[string]adversary.Case{}
	for _, k := range cases {
		f := filepath.Join(dir, k.Class+"-"+k.Name+".pdf")
		if err := os.WriteFile(f, k.PDF, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		byFile[f] = k
	}
	r := shomei(t, "", append([]string{"verify", "--json", "--no-stored-trust", "--trust", root, "--trust", tsaRoot}, files...)...)
	var out struct {
		Files []verify.FileReport `json:"files"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("verify --json: %v\n%s", err, r.stderr)
	}
	reports := map[string]verify.FileReport{}
	for _, f := range out.Files {
		reports[f.File] = f
	}
	code := regexp.MustCompile(`[a-z]+_[a-z_]+|[A-Z]{4,}_[A-Z_]+`)
	counts := map[string][2]int{} // class: manipulated not passed / total
	var shown, shownOf, good, bad, refused int
	for _, f := range files {
		k := byFile[f]
		rep, ok := reports[f]
		passed := ok && rep.Indication == verify.Passed
		if !ok {
			refused++ // unreadable as a whole: not PASSED
		}
		for _, s := range rep.Signatures {
			for _, ch := range s.Changes {
				if ch.Text.JA == "" || ch.Text.EN == "" || code.MatchString(ch.Text.JA) || code.MatchString(ch.Text.EN) {
					t.Errorf("%s: change %s not named in words: %+v", k.Name, ch.Kind, ch.Text)
				}
			}
		}
		if !k.Manipulated {
			good++
			if !passed {
				t.Errorf("control %s/%s: %s\n%s", k.Class, k.Name, rep.Indication, summary(rep))
				continue
			}
			var warns []string
			for _, s := range rep.Signatures {
				for _, ch := range s.Changes {
					if ch.Warning != "" {
						warns = append(warns, ch.Warning)
					}
				}
				if k.Warning != "" && !strings.Contains(s.Sentence.JA, i18n.T(i18n.JA, "verify.note."+k.Warning)) && s.Index == 1 {
					t.Errorf("control %s: the sentence does not carry the warning %s: %s", k.Name, k.Warning, s.Sentence.JA)
				}
			}
			if (k.Warning == "") != (len(warns) == 0) || (k.Warning != "" && !slices.Contains(warns, k.Warning)) {
				t.Errorf("control %s: warnings %v, want %q", k.Name, warns, k.Warning)
			}
			continue
		}
		bad++
		n := counts[k.Class]
		n[1]++
		if !passed {
			n[0]++
		} else {
			t.Errorf("manipulated %s/%s PASSED:\n%s", k.Class, k.Name, summary(rep))
		}
		counts[k.Class] = n
		if k.Shows {
			shownOf++
			if txt, err := exec.Command("pdftotext", "-q", f, "-").Output(); err == nil && strings.Contains(string(txt), adversary.Marker) {
				shown++
			} else {
				t.Errorf("%s/%s: pdftotext does not show the manipulation", k.Class, k.Name)
			}
		}
	}
	var classes []string
	for c := range counts {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		t.Logf("%-11s %d of %d manipulated cases not PASSED", c, counts[c][0], counts[c][1])
	}
	t.Logf("%d manipulated (%d refused as unreadable), %d controls; pdftotext shows the marker in %d of the %d cases meant to show it", bad, refused, good, shown, shownOf)
}

func summary(r verify.FileReport) string {
	var b strings.Builder
	for _, s := range r.Signatures {
		b.WriteString("  " + s.Indication + " " + s.Subindication + " " + s.Sentence.EN + "\n")
		for _, e := range s.Errors {
			b.WriteString("    error: " + e.Text.EN + " " + e.Detail + "\n")
		}
		for _, c := range s.Changes {
			b.WriteString("    " + c.Text.EN + " [" + c.Detail + "]\n")
		}
	}
	for _, e := range r.Errors {
		b.WriteString("  file error: " + e.Text.EN + " " + e.Detail + "\n")
	}
	return b.String()
}
