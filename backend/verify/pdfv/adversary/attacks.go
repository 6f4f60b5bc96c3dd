package adversary

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

var (
	reStartxref = regexp.MustCompile(`startxref\s+(\d+)`)
	reSize      = regexp.MustCompile(`/Size (\d+)`)
	reByteRange = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)
)

func lastInt(re *regexp.Regexp, b []byte) int {
	m := re.FindAllSubmatch(b, -1)
	if len(m) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(string(m[len(m)-1][1]))
	return n
}

// objOffset is where "n 0 obj" starts, its last occurrence in b.
func objOffset(b []byte, n int) int {
	re := regexp.MustCompile(fmt.Sprintf(`(?m)(^|[\r\n])%d 0 obj`, n))
	m := re.FindAllIndex(b, -1)
	if len(m) == 0 {
		return -1
	}
	i := m[len(m)-1][0]
	for b[i] == '\r' || b[i] == '\n' {
		i++
	}
	return i
}

// realSigDict is the text of the first signature dictionary, as written.
func realSigDict(pdf []byte) string {
	m := reByteRange.FindIndex(pdf)
	start := bytes.LastIndex(pdf[:m[0]], []byte("obj")) + 3
	end := bytes.Index(pdf[m[0]:], []byte("endobj")) + m[0]
	return strings.TrimSpace(string(pdf[start:end]))
}

// tail appends objects (text after "N G obj") and a section with rows
// (strings "num gen offset-label"), resolved to the offsets written.
type tail struct {
	b    bytes.Buffer
	offs map[string]int
	base []byte
}

func newTail(pdf []byte) *tail {
	t := &tail{offs: map[string]int{}, base: pdf}
	t.b.Write(pdf)
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		t.b.WriteByte('\n')
	}
	return t
}

func (t *tail) obj(label string, num, gen int, body string) {
	t.offs[label] = t.b.Len()
	fmt.Fprintf(&t.b, "%d %d obj\n%s\nendobj\n", num, gen, body)
}

// section writes "xref" with the given subsections (each "start count"
// then rows "offset gen n|f"), a trailer and startxref.
func (t *tail) section(rows string, trailerExtra string) []byte {
	x := t.b.Len()
	t.b.WriteString("xref\n" + rows)
	fmt.Fprintf(&t.b, "trailer\n<< /Size %d /Root 1 0 R /Prev %d %s>>\nstartxref\n%d\n%%%%EOF\n", max(lastInt(reSize, t.base), 140), lastInt(reStartxref, t.base), trailerExtra, x)
	return t.b.Bytes()
}

func row(off, gen int, kind string) string { return fmt.Sprintf("%010d %05d %s\r\n", off, gen, kind) }

// dupRows: two rows for the content of page 1 in one section; viewers take
// the first.
func dupRows(s1 []byte, firstNew bool) []byte {
	t := newTail(s1)
	t.obj("new", 5, 0, evil)
	orig := objOffset(s1, 5)
	a, b := t.offs["new"], orig
	if !firstNew {
		a, b = b, a
	}
	return t.section("5 1\n"+row(a, 0, "n")+"5 1\n"+row(b, 0, "n"), "")
}

// xrefStmLZW: a hybrid update whose /XRefStm (in a filter the verifier
// might not read) places a rewritten page 1 in an object stream.
func xrefStmLZW(s1 []byte) []byte {
	t := newTail(s1)
	page := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 121 0 R >>"
	head := "4 0 "
	t.obj("stm", 120, 0, fmt.Sprintf("<< /Type /ObjStm /N 1 /First %d /Length %d >>\nstream\n%s%s\nendstream", len(head), len(head)+len(page), head, page))
	t.obj("c", 121, 0, evil)
	data := []byte{2, 0, 0, 0, 120, 0, 0}
	h := hex.EncodeToString(data) + ">"
	t.obj("xs", 122, 0, fmt.Sprintf("<< /Type /XRef /Size 123 /W [1 4 2] /Index [4 1] /Filter /ASCIIHexDecode /Length %d >>\nstream\n%s\nendstream", len(h), h))
	return t.section("120 3\n"+row(t.offs["stm"], 0, "n")+row(t.offs["c"], 0, "n")+row(t.offs["xs"], 0, "n"), fmt.Sprintf("/XRefStm %d ", t.offs["xs"]))
}

// genMismatch: the update's row for object 5 points at "5 1 obj".
func genMismatch(s1 []byte) []byte {
	t := newTail(s1)
	t.obj("new", 5, 1, evil)
	return t.section("5 1\n"+row(t.offs["new"], 0, "n"), "")
}

// offsetsOff: an update whose row for the rewritten content is delta bytes
// off; viewers rebuild the table and show the rewrite.
func offsetsOff(s1 []byte, delta int) []byte {
	t := newTail(s1)
	t.obj("new", 5, 0, evil)
	return t.section("5 1\n"+row(t.offs["new"]+delta, 0, "n"), "")
}

// isaNoTrailer: a rewritten object and a table, without a trailer.
func isaNoTrailer(s1 []byte) []byte {
	t := newTail(s1)
	t.obj("new", 5, 0, evil)
	x := t.b.Len()
	t.b.WriteString("xref\n5 1\n" + row(t.offs["new"], 0, "n"))
	fmt.Fprintf(&t.b, "startxref\n%d\n%%%%EOF\n", x)
	return t.b.Bytes()
}

// historyCut: a startxref pointing back at the section before the signature.
func historyCut(tb testing.TB, s1 []byte, in string) []byte {
	off := lastInt(reStartxref, mustRead(tb, in))
	return append(bytes.Clone(s1), fmt.Sprintf("startxref\n%d\n%%%%EOF\n", off)...)
}

// freeObject: an update that frees object n.
func freeObject(s1 []byte, n int) []byte {
	t := newTail(s1)
	return t.section(fmt.Sprintf("%d 1\n", n)+row(0, 1, "f"), "")
}

// swaWiden: the signed gap made larger, in place (same width).
func swaWiden(s1 []byte) []byte {
	m := reByteRange.FindSubmatchIndex(s1)
	out := bytes.Clone(s1)
	a := string(s1[m[2*2]:m[2*2+1]])
	v, _ := strconv.Atoi(a)
	repl := fmt.Sprintf("%0*d", len(a), v-10)
	copy(out[m[4]:m[5]], repl)
	return out
}

// swaMove: the second signed range moved to the end of the file, new
// objects written where it was, the ByteRange rewritten to match.
func swaMove(s1 []byte) []byte {
	m := reByteRange.FindSubmatchIndex(s1)
	b, _ := strconv.Atoi(string(s1[m[6]:m[7]]))
	c, _ := strconv.Atoi(string(s1[m[8]:m[9]]))
	insert := []byte("\n5 0 obj\n" + evil + "\nendobj\n")
	out := bytes.Clone(s1[:b])
	out = append(out, insert...)
	nb := len(out)
	out = append(out, s1[b:b+c]...)
	w := m[7] - m[6]
	copy(out[m[6]:m[7]], fmt.Sprintf("%0*d", w, nb))
	return out
}

// docTimestamp appends a document timestamp (ETSI.RFC3161) to s1 on a new
// invisible field.
func docTimestamp(tb testing.TB, s1 []byte, ts Timestamp) []byte {
	const space = 12000
	placeholder := "[0 0000000000 0000000000 0000000000]"
	sig := "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange " + placeholder + " /Contents <" + strings.Repeat("0", 2*space) + "> >>"
	cat := "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R 10 0 R 111 0 R] /SigFlags 3 >> >>"
	page := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R /Annots [8 0 R 10 0 R 111 0 R] >>"
	pdf := pdftest.Update(s1, map[int]string{1: cat, 4: page, 110: sig, 111: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (ts) /Rect [0 0 0 0] /F 132 /P 4 0 R /V 110 0 R >>"}, "")
	i := bytes.Index(pdf, []byte("/DocTimeStamp"))
	lt := bytes.Index(pdf[i:], []byte("/Contents <")) + i + len("/Contents ")
	gt := bytes.IndexByte(pdf[lt:], '>') + lt + 1
	br := fmt.Sprintf("[0 %010d %010d %010d]", lt, gt, len(pdf)-gt)
	p := bytes.Index(pdf[i:], []byte(placeholder)) + i
	copy(pdf[p:], br)
	data := append(bytes.Clone(pdf[:lt]), pdf[gt:]...)
	tok, err := ts(data)
	if err != nil {
		tb.Fatal(err)
	}
	if 2*len(tok) > 2*space {
		tb.Fatal("timestamp token too large")
	}
	copy(pdf[lt+1:], hex.EncodeToString(tok))
	return pdf
}

// EdgeCut: s1 padded by an allowed update (a DSS whose stream is large),
// signed again, then the history cut back to the padded revision (as
// "history-cut"): the second signature's dictionary is in no revision the
// file names, found only by its header, which is placed so that byte
// split of it ("N 0 obj"; -1: the line end before it, len: the byte
// after) is the first byte at offset boundary. A header scan reading the
// file in windows of that size must still find it.
func EdgeCut(tb testing.TB, dir string, s1 []byte, sign Sign, split, boundary int) []byte {
	tb.Helper()
	cat := objText(tb, dir, s1, 1)
	in, out := filepath.Join(dir, "edge-in.pdf"), filepath.Join(dir, "edge.pdf")
	build := func(n int) (padded, two []byte, head int) {
		padded = pdftest.Update(s1, map[int]string{1: addKey(cat, "/DSS 91 0 R"), 91: "<< /Certs [92 0 R] >>",
			92: fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", n, bytes.Repeat([]byte("A"), n))}, "")
		os.WriteFile(in, padded, 0o644)
		sign(tb, in, out, 0, false, false)
		two = mustRead(tb, out)
		m := reByteRange.FindAllIndex(two, -1)
		at := bytes.LastIndex(two[:m[len(m)-1][0]], []byte(" obj"))
		head = bytes.LastIndexAny(two[:at], "\r\n") + 1
		return padded, two, head
	}
	n := 1000000
	_, _, head := build(n)
	n += boundary - split - head
	if n < 1000000 || n > 9999999 {
		tb.Fatalf("EdgeCut: boundary %d out of reach (%d bytes of padding)", boundary, n)
	}
	padded, two, head := build(n)
	if head+split != boundary {
		tb.Fatalf("EdgeCut: the header at %d, want %d", head, boundary-split)
	}
	return append(two, fmt.Sprintf("startxref\n%d\n%%%%EOF\n", lastInt(reStartxref, padded))...)
}
