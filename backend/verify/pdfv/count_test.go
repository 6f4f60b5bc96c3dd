package pdfv_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// Many copies of one signature dictionary (in one revision, or one per
// revision) are refused by count before any analysis; under the bound,
// signatures ending at one revision share one change analysis.
func TestSignatureCountBound(t *testing.T) {
	base := corpusBytes(t, filepath.Join("testdata", "fuzz", "FuzzCheck", "signed-b-b"))
	i := bytes.Index(base, []byte("/Type /Sig"))
	s := bytes.LastIndex(base[:i], []byte("obj"))
	e := bytes.Index(base[i:], []byte("endobj"))
	sig := strings.TrimSpace(string(base[s+3 : i+e]))
	build := func(n int) []byte {
		doc := base
		for k := 0; k < n; k++ {
			doc = update(doc, 500+k, 0, 1, sig, false, false, 0, "")
		}
		return doc
	}
	for _, n := range []int{3, 250} {
		doc := build(n)
		sigs, err := pdfv.Check(bytes.NewReader(doc), int64(len(doc)))
		if n > 200 {
			if err == nil || !strings.Contains(err.Error(), "signatures") {
				t.Errorf("%d copies: %v", n, err)
			}
			continue
		}
		if err != nil || len(sigs) < n {
			t.Fatalf("%d copies: %d signatures, %v", n, len(sigs), err)
		}
		for _, x := range sigs {
			if x.Changes.Verdict == "" {
				t.Errorf("a signature without a change verdict")
			}
		}
	}
}
