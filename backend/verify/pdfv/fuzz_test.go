package pdfv_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// FuzzFind: no input makes the signature finder or checker panic or hang.
func FuzzFind(f *testing.F) {
	for _, name := range []string{"dss__pdf-signed-original.pdf", "pyhanko__coverage-anomalies__weird-byterange.pdf"} {
		if b, err := os.ReadFile(filepath.Join(corpus, name)); err == nil && len(b) < 200<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte("%PDF-1.7\n1 0 obj\n<< /ByteRange [0 10 20 30] /Contents <3080> >>\nendobj\n%%EOF"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /ByteRange [0 -5 99999999999 3] /Contents <> >> endobj"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		sigs, err := pdfv.Find(r, int64(len(b)))
		if err != nil {
			return
		}
		for _, s := range sigs {
			s.Verify(r, int64(len(b)))
		}
	})
}
