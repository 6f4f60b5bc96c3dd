package verify_test

import (
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/pdfv/adversary"
)

// The adversarial suite through the whole verification (change analysis,
// rendering comparison, trust): every manipulated document not PASSED,
// every control PASSED. integration/adversary_test.go does the same with
// the card behind pcscd and the CLI.
func TestAdversarialVerdicts(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is needed to build the suite")
	}
	srv := tsatest.Start(t)
	store := testRoot(t)
	b, _ := pem.Decode(srv.RootPEM())
	if _, err := store.AddUser(b.Bytes, "test TSA"); err != nil {
		t.Fatal(err)
	}
	cases := adversary.Build(t, t.TempDir(), adversary.InProcess(srv.URL), adversary.TSAToken(srv.URL))
	if len(cases) < 80 {
		t.Fatalf("only %d cases", len(cases))
	}
	dir := t.TempDir()
	var bad, good int
	for _, k := range cases {
		path := filepath.Join(dir, k.Class+"-"+k.Name+".pdf")
		os.WriteFile(path, k.PDF, 0o644)
		r, err := verify.File(path, verify.Options{Trust: store, Render: engine(t)})
		if err != nil {
			if !k.Manipulated {
				t.Errorf("control %s: %v", k.Name, err)
			}
			continue
		}
		if k.Manipulated {
			bad++
			if r.Passed() {
				t.Errorf("manipulated %s/%s PASSED", k.Class, k.Name)
			}
			continue
		}
		good++
		// The warning a control keeps, and no other: in the changes and
		// in the first signature's sentence.
		var warns []string
		for _, s := range r.Signatures {
			for _, c := range s.Changes {
				if c.Warning != "" && !slices.Contains(warns, c.Warning) {
					warns = append(warns, c.Warning)
				}
			}
		}
		if k.Warning != "" && (len(warns) != 1 || warns[0] != k.Warning || len(r.Signatures) == 0 || !strings.Contains(r.Signatures[0].Sentence.JA, i18n.T(i18n.JA, "verify.note."+k.Warning))) {
			t.Errorf("control %s/%s: warnings %v, want %q in the sentence %q", k.Class, k.Name, warns, k.Warning, r.Signatures[0].Sentence.JA)
		}
		if k.Warning == "" && len(warns) > 0 {
			t.Errorf("control %s/%s: warnings %v, want none", k.Class, k.Name, warns)
		}
		if !r.Passed() {
			for _, s := range r.Signatures {
				t.Logf("  %s %s: %s", s.Indication, s.Subindication, s.Sentence.EN)
				for _, c := range s.Changes {
					t.Logf("    %s [%s]", c.Text.EN, c.Detail)
				}
			}
			t.Errorf("control %s/%s: %s", k.Class, k.Name, r.Indication)
		}
	}
	t.Logf("%d manipulated, %d controls", bad, good)
}
