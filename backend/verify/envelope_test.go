package verify_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// An enveloping signature says which bytes were signed (the embedded
// ones) and never passes for another file: renamed to contract.txt.p7s
// next to an unrelated contract.txt, or given --data with it, it fails;
// with the same bytes it passes and says so; alone it passes and says the
// embedded content is what was signed.
func TestEnvelopingNeverImpliesAnotherFile(t *testing.T) {
	g, _ := vcardtest.Signer(t)
	dir := t.TempDir()
	signedTxt := filepath.Join(dir, "signed.txt")
	os.WriteFile(signedTxt, []byte("本当に署名した内容\n"), 0o644)
	res := signing.Files(context.Background(), g, []string{signedTxt}, signing.Options{Enveloping: true}, nil)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	p7m, err := os.ReadFile(res[0].Output)
	if err != nil {
		t.Fatal(err)
	}
	// The attack: the .p7m renamed next to an unrelated file.
	contract := filepath.Join(dir, "contract.txt")
	os.WriteFile(contract, []byte("別の契約書\n"), 0o644)
	renamed := contract + ".p7s"
	os.WriteFile(renamed, p7m, 0o644)
	alone := filepath.Join(t.TempDir(), "alone.p7m")
	os.WriteFile(alone, p7m, 0o644)

	cases := []struct {
		name, sig, data string
		passed          bool
		sentence        string
	}{
		{"renamed next to another file", renamed, "", false, "contract.txt"},
		{"--data another file", alone, contract, false, "contract.txt"},
		{"--data the same bytes", alone, signedTxt, true, "signed.txt"},
		{"alone", alone, "", true, "埋め込まれた内容"},
	}
	for _, c := range cases {
		r, err := verify.File(c.sig, verify.Options{Trust: testRoot(t), Data: c.data})
		if err != nil {
			t.Fatal(err)
		}
		s := only(t, r)
		if r.SignedContent == nil || !r.SignedContent.Embedded || r.SignedContent.Size != int64(len("本当に署名した内容\n")) || len(r.SignedContent.SHA256) != 64 {
			t.Errorf("%s: signed content %+v", c.name, r.SignedContent)
		}
		if r.Passed() != c.passed || (!c.passed && (s.Indication != verify.Failed || s.Subindication != verify.HashFailure)) {
			t.Errorf("%s: %s/%s, want passed=%v", c.name, s.Indication, s.Subindication, c.passed)
		}
		if !strings.Contains(s.Sentence.JA, c.sentence) || s.Sentence.EN == "" {
			t.Errorf("%s: sentence %q does not name %q", c.name, s.Sentence.JA, c.sentence)
		}
	}
}
