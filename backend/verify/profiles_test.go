package verify_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// A PDF's report carries the 登記 line: met for the touki profile, not met
// (with the reason) for a PAdES signature.
func TestToukiLine(t *testing.T) {
	g, _ := vcardtest.Signer(t)
	in := filepath.Join(t.TempDir(), "登記.pdf")
	pdftest.Minimal(t, in, 1, false)
	res := signing.Files(context.Background(), g, []string{in}, signing.Options{Profile: signing.ProfileTouki}, nil)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	r, err := verify.File(res[0].Output, verify.Options{Trust: testRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Touki == nil || !r.Touki.Met || r.Touki.Sentence.JA != "登記申請の要件: 満たす" || !r.Passed() {
		t.Fatalf("touki PDF: %+v %+v", r.Touki, r)
	}
	pades, _, _ := signed(t, signing.Options{})
	r = mustFile(t, pades)
	if r.Touki == nil || r.Touki.Met || !slices.Contains(r.Touki.Reasons, "subfilter") || !strings.HasPrefix(r.Touki.Sentence.JA, "登記申請の要件: 満たさない（") {
		t.Fatalf("PAdES PDF: %+v", r.Touki)
	}
}

// kousei.xml in the same report as PDF and CMS: PASSED with the test root
// trusted, the holder named, every reference listed; a changed file is a
// HASH_FAILURE; without the root, INDETERMINATE.
func TestEgovReport(t *testing.T) {
	g, _ := vcardtest.Signer(t)
	dir := filepath.Join(t.TempDir(), "app")
	os.Mkdir(dir, 0o755)
	entries, _ := os.ReadDir("../egov/testdata/app")
	if len(entries) != 3 {
		t.Fatalf("fixture: %d files", len(entries))
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join("../egov/testdata/app", e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	p, err := egov.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	xml, err := p.Sign(g, egov.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Write(xml, egov.OutputFor(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	r, err := verify.File(out.Dir, verify.Options{Trust: testRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	s := only(t, r)
	if r.Kind != "egov" || !r.Passed() || s.Signer == nil || s.Signer.Name != vcard.DefaultHolder.Name || len(s.References) != 3 || !s.Intact {
		t.Fatalf("%+v\n%+v", r, s)
	}
	if r, _ := verify.File(filepath.Join(out.Dir, egov.KouseiName), verify.Options{}); r.Indication != verify.Indeterminate || r.Signatures[0].Subindication != verify.NoChainFound {
		t.Errorf("without the root: %+v", r.Signatures)
	}
	os.WriteFile(filepath.Join(out.Dir, "契約書.txt"), []byte("改ざん"), 0o644)
	r, _ = verify.File(out.Dir, verify.Options{Trust: testRoot(t)})
	if s := only(t, r); s.Indication != verify.Failed || s.Subindication != verify.HashFailure {
		t.Errorf("changed file: %s %s", s.Indication, s.Subindication)
	}
	// Outside the exact profile: cannot be confirmed.
	k := filepath.Join(out.Dir, egov.KouseiName)
	b, _ := os.ReadFile(k)
	os.WriteFile(k, []byte(strings.Replace(string(b), "<管理情報>", "<管理情報 xml:lang=\"ja\">", 1)), 0o644)
	r, _ = verify.File(out.Dir, verify.Options{Trust: testRoot(t)})
	if s := only(t, r); s.Indication != verify.Indeterminate || s.Subindication != verify.FormatFailure {
		t.Errorf("outside the profile: %s %s", s.Indication, s.Subindication)
	}
}
