package pades_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

// An array the signature adds to, held in its page or catalog, that cannot
// be written again (nested beyond the serialiser's bound) refuses the
// signature: the page's /Annots and the form's /Fields were once written
// cut off, an update no reader could parse.
func TestArrayNotRewritable(t *testing.T) {
	g, _ := cardSigner(t)
	dir := t.TempDir()
	base := filepath.Join(dir, "base.pdf")
	pdftest.Minimal(t, base, 1, false)
	deep := strings.Repeat("[", 70) + strings.Repeat("]", 70)
	for name, obj := range map[string]map[int]string{
		"page annots": {4: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R /Annots [" + deep + "] >>"},
		"form fields": {1: "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + deep + "] >> >>"},
	} {
		in := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(in, pdftest.Update(mustRead(t, base), obj, ""), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := signPDF(t, g, in, filepath.Join(dir, name+".signed.pdf"), pades.Options{Name: "test"})
		if err == nil || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
	}
}
