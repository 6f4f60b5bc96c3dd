package verify_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
)

// TestWriteFuzzSeeds regenerates the fuzz seed corpora kept in git
// (pdfv/testdata/fuzz/FuzzCheck, cmsv/testdata/fuzz/FuzzParse) from what
// the virtual card signs. Run with SHOMEI_WRITE_SEEDS=1.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("SHOMEI_WRITE_SEEDS") != "1" {
		t.Skip("set SHOMEI_WRITE_SEEDS=1 to rewrite the seed corpora")
	}
	ts := tsatest.Start(t)
	pdf, p7s, _ := signed(t, signing.Options{})
	pdfT, p7sT, _ := signed(t, signing.Options{TSA: &tsa.Client{URL: ts.URL}})
	in := hostile(t)
	write := func(dir, name, path string, data []byte) {
		if data == nil {
			data, _ = os.ReadFile(path)
		}
		os.MkdirAll(dir, 0o755)
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pd := "pdfv/testdata/fuzz/FuzzCheck"
	write(pd, "signed-b-b", pdf, nil)
	write(pd, "signed-b-t", pdfT, nil)
	for _, k := range []string{"xref-prev-loop", "page-tree-loop", "reference-cycle", "absurd-objstm-n", "absurd-byterange", "truncated-90%"} {
		write(pd, fmt.Sprintf("hostile-%s", k), "", in[k])
	}
	cd := "cmsv/testdata/fuzz/FuzzParse"
	write(cd, "detached", p7s, nil)
	write(cd, "detached-b-t", p7sT, nil)
	write(cd, "deep-ber", "", in["cms-deep-ber.p7s"][:2000])
}
