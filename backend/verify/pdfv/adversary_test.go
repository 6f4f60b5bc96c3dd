package pdfv

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
	"github.com/shomei-app/shomei/backend/verify/pdfv/adversary"
)

// Judged is pdfv's side of a verdict: every signature intact, its range
// sane, and nothing but allowed changes after it.
func Judged(sigs []*Signature) bool {
	if len(sigs) == 0 {
		return false
	}
	for _, s := range sigs {
		if !s.Intact || !s.RangeOK || (s.Changes.Verdict != ChangesNone && s.Changes.Verdict != ChangesAllowed) {
			return false
		}
	}
	return true
}

// The adversarial suite at pdfv's level: every manipulated document is
// judged not acceptable, every control acceptable with the warning it
// should carry.
func TestAdversarialSuite(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is needed to build the suite")
	}
	srv := tsatest.Start(t)
	cases := adversary.Build(t, t.TempDir(), adversary.InProcess(srv.URL), adversary.TSAToken(srv.URL))
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	if d := os.Getenv("SHOMEI_ADVERSARY_DIR"); d != "" {
		for _, k := range cases {
			os.WriteFile(filepath.Join(d, k.Class+"-"+k.Name+".pdf"), k.PDF, 0o644)
		}
	}
	var bad, good int
	for _, k := range cases {
		t.Run(k.Class+"/"+k.Name, func(t *testing.T) {
			sigs, err := Check(bytes.NewReader(k.PDF), int64(len(k.PDF)))
			if err != nil {
				if k.Manipulated {
					return
				}
				t.Fatal(err)
			}
			ok := Judged(sigs)
			t.Log(describe(sigs))
			if k.Manipulated {
				bad++
				if ok {
					t.Errorf("manipulated, judged acceptable: %s", describe(sigs))
				}
				return
			}
			good++
			if !ok {
				t.Errorf("control judged not acceptable: %s", describe(sigs))
			}
			var warns []string
			for _, s := range sigs {
				for _, c := range s.Changes.List {
					if c.Warn != "" {
						warns = append(warns, c.Warn)
					}
				}
			}
			want := k.Warning
			if want == adversary.WarnCovers {
				want = "" // found by the rendering comparison (backend/verify)
			}
			if (want == "") != (len(warns) == 0) || (want != "" && !slices.Contains(warns, want)) {
				t.Errorf("warnings %v, want %q", warns, k.Warning)
			}
		})
	}
	t.Logf("%d manipulated, %d controls", bad, good)
}

func describe(sigs []*Signature) string {
	var b bytes.Buffer
	for _, s := range sigs {
		b.WriteString("\n  sig " + strconv.Itoa(s.Object) + " intact=" + bool01(s.Intact) + " range=" + bool01(s.RangeOK) + " " + s.Changes.Verdict)
		for _, p := range s.Problems {
			b.WriteString("\n    problem: " + p.String())
		}
		for _, c := range s.Changes.List {
			b.WriteString("\n    " + c.Kind + " allowed=" + bool01(c.Allowed) + ": " + c.Detail)
		}
	}
	return b.String()
}

func bool01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
