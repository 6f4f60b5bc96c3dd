package pdfv_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// objStmPDF puts body as object 1 inside an object stream (object 2) of a
// file with a cross-reference stream (object 3), so the dictionary is found
// only through the parsed structure.
func objStmPDF(body string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	stm := "1 0 " + body
	o2 := b.Len()
	fmt.Fprintf(&b, "2 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(stm), stm)
	o3 := b.Len()
	rows := []byte{0, 0, 0, 0, 2, 0, 0, 1, 0, byte(o2 >> 8), byte(o2), 0, 1, byte(o3 >> 8), byte(o3), 0}
	// Catalog-less on purpose: the reader must still not panic.
	fmt.Fprintf(&b, "3 0 obj\n<< /Type /XRef /Size 4 /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", len(rows), rows, o3)
	return b.Bytes()
}

// ByteRange values whose sums overflow int64 are refused as values, never
// added: the 204-byte file that made the reader panic, and the same
// dictionary inside an object stream.
func TestByteRangeOverflow(t *testing.T) {
	const huge = "9223372036854775807"
	dicts := []string{
		"<< /Type /Sig /ByteRange [0 1 " + huge + " 2] /Contents <3080> >>",
		"<< /Type /Sig /ByteRange [0 1 " + huge + " " + huge + "] /Contents <3080> >>",
		"<< /Type /Sig /ByteRange [" + huge + " " + huge + " 0 1] /Contents <3080> >>",
		"<< /Type /Sig /ByteRange [0 -9223372036854775808 5 -1] /Contents <3080> >>",
	}
	files := map[string][]byte{}
	for i, d := range dicts {
		files[fmt.Sprintf("plain-%d", i)] = []byte("%PDF-1.7\n1 0 obj\n" + d + "\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
		files[fmt.Sprintf("objstm-%d", i)] = objStmPDF(d)
	}
	if len(files) != 2*len(dicts) {
		t.Fatal("cases lost")
	}
	for name, b := range files {
		t.Run(name, func(t *testing.T) {
			sigs, err := pdfv.Check(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				return // refused as a whole: fine
			}
			for _, s := range sigs {
				if s.Intact || s.RangeOK {
					t.Errorf("absurd ByteRange %v judged sane", s.ByteRange)
				}
				if !strings.Contains(s.Problems.String(), "ByteRange") && !strings.Contains(s.Problems.String(), "ranges") {
					t.Errorf("problems do not name the ByteRange: %q", s.Problems)
				}
			}
			if v := pdfv.Verdict(sigs); v == "" || v == "none" && len(sigs) > 0 {
				t.Errorf("verdict %q", v)
			}
		})
	}
}
