package pdfv

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify/pdfv/adversary"
)

// A signature no revision names (the history cut back before it, a later
// signature's revision judged with only allowed changes after it), its
// dictionary's header ("93 0 obj") across a window edge of the header
// scan at every byte of it (and the line end before, the byte after):
// never judged acceptable, by the one pass (a *Sums) and by the scan that
// reads for itself alike. Before the windows looked back, splits 2–5 (the
// space after the number to the "o") hid the signature, both paths.
func TestHeaderAtWindowEdge(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is needed to build the documents")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	pdftest.Minimal(t, in, 2, true)
	out := filepath.Join(dir, "s1.pdf")
	adversary.InProcess("")(t, in, out, 0, false, false)
	s1, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	type plain struct{ *bytes.Reader } // not a *Sums: the doc reads for itself
	check := func(name string, pdf []byte) {
		for _, path := range []string{"pass", "scan"} {
			var f interface {
				ReadAt([]byte, int64) (int, error)
			} = plain{bytes.NewReader(pdf)}
			if path == "pass" {
				f = NewSums(bytes.NewReader(pdf), int64(len(pdf)))
			}
			sigs, err := Check(f, int64(len(pdf)))
			if err == nil && Judged(sigs) {
				t.Errorf("%s, %s: judged acceptable: %s", name, path, describe(sigs))
			}
		}
	}
	for _, boundary := range []int{headerStep, 2 * headerStep} {
		for split := -1; split <= 9; split++ {
			check(fmt.Sprintf("cut/%d/%d", boundary, split), adversary.EdgeCut(t, dir, s1, adversary.InProcess(""), split, boundary))
		}
	}
}
