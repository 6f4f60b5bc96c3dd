package verify_test

import (
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

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
