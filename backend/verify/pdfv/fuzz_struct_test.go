package pdfv_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// Structure-aware fuzzing. Byte mutation of whole PDFs almost never keeps
// a cross-reference table consistent, so it reaches little beyond the
// lexer. These targets take the numbers an attacker controls as numbers
// (offsets, counts, widths, lengths, ByteRange values, generations) and
// the repeated parts as counts, and build a file around them that the
// reader has to take seriously. Run them with bounded minimisation:
//
//	go test ./backend/verify/pdfv -run '^$' -fuzz FuzzReader -fuzzminimizetime 20x -parallel 1
//	go test ./backend/verify/pdfv -run '^$' -fuzz FuzzChanges -fuzzminimizetime 20x -parallel 1

// corpusBytes reads the []byte value of a Go fuzz corpus file.
func corpusBytes(tb testing.TB, path string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	s := string(raw)
	i, j := strings.Index(s, "[]byte("), strings.LastIndex(s, ")")
	if i < 0 || j < i {
		tb.Fatalf("%s: not a fuzz corpus file", path)
	}
	b, err := strconv.Unquote(s[i+len("[]byte(") : j])
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(b)
}

func check(t *testing.T, b []byte) {
	sigs, err := pdfv.Check(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return
	}
	for _, s := range sigs {
		if s.Intact && !s.RangeOK && s.Whole {
			t.Fatalf("whole coverage claimed for a ByteRange judged not sane: %v", s.ByteRange)
		}
	}
	if pdfv.Verdict(sigs) == "" {
		t.Fatal("no verdict")
	}
}

// buildPDF writes a small file: nobj objects (some nested depth deep, one
// a signature dictionary with the given ByteRange), an optional object
// stream holding the next objects with the given /N and /First, and a
// cross-reference table or stream whose widths, counts, offsets and /Prev
// come from the fuzzer.
func buildPDF(nobj, depth int, objstm bool, stmN, stmFirst int, length int64, xstream bool, w1, w2, w3 int, count int, skew int64, prev int64, br [4]int64, tail []byte) []byte {
	nobj = 1 + abs(nobj)%40
	depth = abs(depth) % 300
	count = abs(count) % 5000
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, nobj+3)
	for i := 1; i <= nobj; i++ {
		offs[i] = b.Len()
		switch i {
		case 1:
			fmt.Fprintf(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>\nendobj\n")
		case 2:
			fmt.Fprintf(&b, "2 0 obj\n<< /Type /Pages /Kids [%d 0 R] /Count 1 >>\nendobj\n", min(nobj, 4))
		case 3:
			fmt.Fprintf(&b, "3 0 obj\n<< /FT /Sig /T (s) /V %d 0 R >>\nendobj\n", min(nobj, 5))
		case 5:
			fmt.Fprintf(&b, "5 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [%d %d %d %d] /Contents <308000> >>\nendobj\n", br[0], br[1], br[2], br[3])
		default:
			fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /K %s%s >>\nendobj\n", i, strings.Repeat("[", depth), strings.Repeat("]", depth))
		}
	}
	stmObj := nobj + 1
	if objstm {
		inner := fmt.Sprintf("%d 0 << /Type /Sig /ByteRange [%d %d %d %d] /Contents <3000> >>", nobj+2, br[0], br[1], br[2], br[3])
		offs[stmObj] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d >>\nstream\n%s\nendstream\nendobj\n", stmObj, stmN, stmFirst, length, inner)
	}
	x := b.Len()
	size := nobj + 3
	if !xstream {
		fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", max(count, size))
		for i := 1; i < max(count, size); i++ {
			o := int64(0)
			if i < len(offs) {
				o = int64(offs[i]) + skew
			}
			fmt.Fprintf(&b, "%010d 00000 n\r\n", max(o, 0)%10000000000)
		}
		fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", size, prev, x)
	} else {
		w1, w2, w3 = abs(w1)%9, abs(w2)%9, abs(w3)%9
		row := func(vals ...int64) []byte {
			var r []byte
			for k, w := range []int{w1, w2, w3} {
				for j := w - 1; j >= 0; j-- {
					r = append(r, byte(vals[k]>>(8*j)))
				}
			}
			return r
		}
		var rows []byte
		n := max(count, size)
		for i := 0; i < n; i++ {
			switch {
			case i == 0:
				rows = append(rows, row(0, 0, 65535)...)
			case i == nobj+2 && objstm:
				rows = append(rows, row(2, int64(stmObj), 0)...)
			case i < len(offs):
				rows = append(rows, row(1, int64(offs[i])+skew, 0)...)
			default:
				rows = append(rows, row(1, int64(x), 0)...)
			}
		}
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [%d %d %d] /Root 1 0 R /Prev %d /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", size, n, w1, w2, w3, prev, len(rows), rows, x)
	}
	b.Write(tail)
	return b.Bytes()
}

func abs(n int) int {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}

// FuzzReader: the cross-reference reader, object streams and the
// signature finder, over files whose numbers the fuzzer picks.
func FuzzReader(f *testing.F) {
	f.Add(5, 0, false, 1, 0, int64(10), false, 1, 2, 1, 0, int64(0), int64(-1), int64(0), int64(10), int64(20), int64(5), []byte(nil))
	f.Add(6, 3, true, 1, 4, int64(60), true, 1, 2, 1, 0, int64(0), int64(0), int64(0), int64(1), int64(9223372036854775807), int64(2), []byte("%%EOF"))
	f.Add(6, 200, true, 2147483647, 99999999, int64(-1), true, 8, 8, 8, 100, int64(-3), int64(9), int64(0), int64(-5), int64(5), int64(1), []byte("xref\n0 1\n"))
	f.Add(6, 0, false, 0, 0, int64(0), false, 0, 0, 0, 4000, int64(7), int64(12), int64(0), int64(0), int64(0), int64(0), []byte("trailer << /Prev 12 >>"))
	f.Fuzz(func(t *testing.T, nobj, depth int, objstm bool, stmN, stmFirst int, length int64, xstream bool, w1, w2, w3, count int, skew, prev int64, br0, br1, br2, br3 int64, tail []byte) {
		check(t, buildPDF(nobj, depth, objstm, stmN, stmFirst, length, xstream, w1, w2, w3, count, skew, prev, [4]int64{br0, br1, br2, br3}, tail))
	})
}

// update appends one incremental update to pdf: objects n..n+repeat-1
// set to body (generation gen), written as duplicated rows when dup, in a
// table or a cross-reference stream, with /Prev moved by prevSkew and the
// trailer given extra.
func update(pdf []byte, n, gen, repeat int, body string, dup, xstream bool, prevSkew int64, extra string) []byte {
	prev := int64(bytes.LastIndex(pdf, []byte("startxref")))
	if prev >= 0 {
		fields := bytes.Fields(pdf[prev+int64(len("startxref")):])
		if len(fields) > 0 {
			prev, _ = strconv.ParseInt(string(fields[0]), 10, 64)
		}
	}
	var b bytes.Buffer
	b.Write(pdf)
	b.WriteString("\n")
	offs := make([]int, repeat)
	for i := range repeat {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d %d obj\n%s\nendobj\n", n+i, gen, body)
	}
	x := b.Len()
	if !xstream {
		b.WriteString("xref\n")
		for i := range repeat {
			fmt.Fprintf(&b, "%d 1\n%010d %05d n\r\n", n+i, offs[i], gen%100000)
			if dup {
				fmt.Fprintf(&b, "%d 1\n%010d %05d n\r\n", n+i, max(offs[i]-7, 0), gen%100000)
			}
		}
		fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Prev %d %s >>\nstartxref\n%d\n%%%%EOF\n", n+repeat+1, prev+prevSkew, extra, x)
		return b.Bytes()
	}
	var rows []byte
	var index []string
	for i := range repeat {
		rows = append(rows, 1, byte(offs[i]>>24), byte(offs[i]>>16), byte(offs[i]>>8), byte(offs[i]), byte(gen))
		index = append(index, fmt.Sprintf("%d 1", n+i))
		if dup {
			rows = append(rows, 1, 0, 0, 0, 0, 0)
			index = append(index, fmt.Sprintf("%d 1", n+i))
		}
	}
	self := n + repeat
	rows = append(rows, 1, byte(x>>24), byte(x>>16), byte(x>>8), byte(x), 0)
	index = append(index, fmt.Sprintf("%d 1", self))
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Index [%s] /Root 1 0 R /Prev %d %s /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", self, self+1, strings.Join(index, " "), prev+prevSkew, extra, len(rows), rows, x)
	return b.Bytes()
}

// Bodies an update writes: the roles change analysis must judge.
var bodies = []string{
	"<< /Type /Catalog /Pages 2 0 R /DSS << /Certs [%d 0 R] >> >>",
	"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>",
	"<< /Length 9 >>\nstream\nBT ET q Q\nendstream",
	"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 595 842] /AP << /N %d 0 R >> >>",
	"<< /Type /Annot /Subtype /Text /Contents (note) /Rect [0 0 10 10] >>",
	"<< /Type /Sig /ByteRange %d 0 R /Contents (literal) >>",
	"<< /Type /Metadata /Subtype /XML /Length 0 >>\nstream\n\nendstream",
	"<< /Type /ObjStm /N 1 /First %d /Length 3 >>\nstream\n1 0\nendstream",
	"<< /Fields [%d 0 R] /NeedAppearances true /DR << >> /DA (/Helv 0 Tf) >>",
	"[%d 0 R %d 0 R]",
}

// FuzzChanges: change analysis of updates appended to a document the
// virtual card signed (seed testdata/fuzz/FuzzCheck/signed-b-b): object
// numbers, generations, repeated objects, duplicated rows and the chosen
// roles as the fuzzer's integers.
func FuzzChanges(f *testing.F) {
	base := corpusBytes(f, filepath.Join("testdata", "fuzz", "FuzzCheck", "signed-b-b"))
	f.Add(1, 0, 1, uint8(0), 7, false, false, int64(0), uint8(0), "")
	f.Add(4, 0, 1, uint8(1), 9, false, true, int64(0), uint8(1), "/Info 4 0 R")
	f.Add(20, 3, 2, uint8(3), 21, true, false, int64(0), uint8(2), "")
	f.Add(1, 0, 1, uint8(8), 1, false, false, int64(-5), uint8(3), "/XRefStm 5")
	f.Fuzz(func(t *testing.T, n, gen, repeat int, kind uint8, ref int, dup, xstream bool, prevSkew int64, updates uint8, extra string) {
		n = 1 + abs(n)%64
		gen = abs(gen) % 70000
		repeat = 1 + abs(repeat)%200
		body := bodies[int(kind)%len(bodies)]
		if strings.Count(body, "%d") > 0 {
			args := make([]any, strings.Count(body, "%d"))
			for i := range args {
				args[i] = ref + i
			}
			body = fmt.Sprintf(body, args...)
		}
		doc := base
		for u := 0; u <= int(updates%4); u++ {
			doc = update(doc, n+u, gen, repeat, body, dup, xstream, prevSkew, extra)
		}
		check(t, doc)
	})
}
