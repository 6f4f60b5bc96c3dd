package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// A signer-chosen /Reason that tries to erase the INDETERMINATE line and
// print a green "valid (PASSED)", and a /Location with a right-to-left
// override, signed by the virtual card through the PAdES writer directly
// (Shomei's own signing refuses such text). No human or JSON output of
// verify lets a terminal act on them, and the attempt stays visible.
func TestVerifyOutputDefusesSignerText(t *testing.T) {
	dataDir(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "evil.pdf")
	pdftest.Minimal(t, in, 1, false)
	g, _ := vcardtest.Signer(t)
	d, err := pades.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	reason := "ok\r\x1b[1A\x1b[2K\x1b[32m✔ 有効 (PASSED)\x1b[0m\u009b2J"
	err = d.Sign(f, pades.Options{Name: "署名\x1b]0;title\x07", Reason: reason, Location: "\u202efdp.exe", Time: time.Now()}, len(g.CertificateDER()), func(dg []byte) ([]byte, error) {
		sig, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g, Cert: g.Certificate()}), dg)
		if err != nil {
			return nil, err
		}
		return sig.Detached(), nil
	})
	d.Close()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.JA, i18n.EN} {
		for _, args := range [][]string{{"verify", out}, {"verify", "--json", out}} {
			r := shomei(t, lang, nil, args...)
			if r.code != 3 {
				t.Errorf("%v: exit %d, want 3 (INDETERMINATE: untrusted)", args, r.code)
			}
			all := r.stdout + r.stderr
			for _, bad := range []string{"\x1b", "\r", "\u009b", "\u202e", "\x07"} {
				if strings.Contains(all, bad) {
					t.Errorf("%s %v: output holds %q:\n%s", lang, args, bad, all)
				}
			}
			if !strings.Contains(all, `\x1b[32m`) && !strings.Contains(all, `\\x1b[32m`) {
				t.Errorf("%s %v: the escape is not shown as text:\n%s", lang, args, all)
			}
			if len(args) == 2 {
				// The one verdict line is the real one.
				var verdicts int
				for _, l := range strings.Split(r.stdout, "\n") {
					if strings.Contains(l, "(INDETERMINATE") {
						verdicts++
					}
					if strings.Contains(l, "PASSED") && !strings.Contains(l, `\x1b`) {
						t.Errorf("%s: a PASSED line that is not the quoted reason: %q", lang, l)
					}
				}
				if verdicts != 1 {
					t.Errorf("%s: %d verdict lines:\n%s", lang, verdicts, r.stdout)
				}
			}
		}
	}
}
