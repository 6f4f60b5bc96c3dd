package pdftest

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"os"
)

// WriteBig writes a valid one-page PDF of about n bytes: the page carries
// an image XObject, never drawn, of n pseudo-random bytes written in
// chunks (the benchmarks' and the fast path tests' large documents).
func WriteBig(path string, n int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	var off int64
	var offs []int64
	put := func(s string) { w.WriteString(s); off += int64(len(s)) }
	obj := func(body string) {
		offs = append(offs, off)
		put(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", len(offs), body))
	}
	put("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Big 5 0 R >> >> >>")
	content := "0 g 72 720 m 300 720 l S"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	body := max(1, n-off-400)
	offs = append(offs, off)
	put(fmt.Sprintf("5 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n", body))
	chunk := make([]byte, 1<<20)
	rand.Read(chunk)
	for left := body; left > 0; {
		k := min(left, int64(len(chunk)))
		w.Write(chunk[:k])
		off += k
		left -= k
	}
	put("\nendstream\nendobj\n")
	xref := off
	put(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f\r\n", len(offs)+1))
	for _, o := range offs {
		put(fmt.Sprintf("%010d 00000 n\r\n", o))
	}
	put(fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref))
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
