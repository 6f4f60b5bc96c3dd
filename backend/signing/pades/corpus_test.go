package pades_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

// corpusDir is the shared corpus beside the clone (CI has it; a lone clone
// skips).
const corpusDir = "../../../../shared/corpus"

// Signing real-world signed PDFs adds a signature and leaves every earlier
// one exactly as pdfsig judged it before; files that cannot take a signature
// (encrypted, certified with no changes, broken) are refused with a reason.
func TestSignCorpus(t *testing.T) {
	tools(t)
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.pdf"))
	if len(files) == 0 {
		t.Skip("shared corpus not found at " + corpusDir)
	}
	g, card := cardSigner(t)
	nss := pdftest.NSS(t, card.State().RootPEM())
	dir := t.TempDir()
	signed := 0
	for _, in := range files {
		name := filepath.Base(in)
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name)
			_, err := signPDF(t, g, in, out, jaOpts)
			switch {
			case errors.Is(err, pades.ErrEncrypted), errors.Is(err, pades.ErrCertified), errors.Is(err, pades.ErrNotPDF):
				t.Logf("refused: %v", err)
				os.Remove(out)
				if name == "dss__encrypted.pdf" && !errors.Is(err, pades.ErrEncrypted) {
					t.Errorf("encrypted file refused for another reason: %v", err)
				}
				return
			case err != nil:
				t.Fatalf("sign: %v", err)
			}
			if name == "dss__encrypted.pdf" || name == "dss__dss-2554__certified-no-change-permitted.pdf" {
				t.Fatalf("signed a file that must be refused")
			}
			signed++
			before := pdftest.PDFSig(t, nss, in)
			after := pdftest.PDFSig(t, nss, out)
			if len(after) != len(before)+1 {
				t.Fatalf("pdfsig sees %d signatures after, %d before", len(after), len(before))
			}
			// A signature valid before stays valid; one that was not never
			// becomes valid. (A broken one may be judged differently once
			// bytes follow it: dss__pdf-eof.pdf's ByteRange ends past the
			// file's end, which pdfsig reports as "not yet verified" before
			// and as a digest mismatch after; it fails both times.)
			for i := range before {
				if before[i].Valid != after[i].Valid {
					t.Errorf("signature %d: %q before, %q after", i+1, validation(before[i].Raw), validation(after[i].Raw))
				}
			}
			last := after[len(after)-1]
			if !last.Valid || !last.Total {
				t.Errorf("new signature: %s", last.Raw)
			}
		})
	}
	if signed < 25 {
		t.Errorf("only %d corpus files could be signed", signed)
	}
}

func validation(raw string) string {
	for _, l := range strings.Split(raw, "\n") {
		if strings.Contains(l, "Signature Validation:") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
