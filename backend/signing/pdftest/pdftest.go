// Package pdftest makes PDFs for tests (a minimal writer, then qpdf for the
// variants real users have) and checks signed PDFs with poppler's pdfsig,
// trusting a root through a throw-away NSS database.
package pdftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Writer builds a PDF object by object, with a classic xref table and a
// fixed /ID, for the tests that need a PDF of a given shape.
type Writer struct {
	b    bytes.Buffer
	offs []int
}

// NewWriter starts a PDF 1.7 with a binary comment line.
func NewWriter() *Writer {
	w := &Writer{}
	w.b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return w
}

// Obj writes the next object (numbered from 1, generation 0) and returns
// its number.
func (w *Writer) Obj(body string) int {
	w.offs = append(w.offs, w.b.Len())
	fmt.Fprintf(&w.b, "%d 0 obj\n%s\nendobj\n", len(w.offs), body)
	return len(w.offs)
}

// Write ends the PDF (xref table, trailer with object 1 as /Root) and
// writes it to path.
func (w *Writer) Write(tb testing.TB, path string) {
	tb.Helper()
	xref := w.b.Len()
	fmt.Fprintf(&w.b, "xref\n0 %d\n0000000000 65535 f\r\n", len(w.offs)+1)
	for _, o := range w.offs {
		fmt.Fprintf(&w.b, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&w.b, "trailer\n<< /Size %d /Root 1 0 R /ID [<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n", len(w.offs)+1, xref)
	if err := os.WriteFile(path, w.b.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// Minimal writes a PDF with the given number of pages, a classic xref table
// and, when form is set, an AcroForm with one text field.
func Minimal(tb testing.TB, path string, pages int, form bool) {
	tb.Helper()
	w := NewWriter()
	// 1 catalog, 2 pages, 3 font, then per page: page + content.
	catalog := "<< /Type /Catalog /Pages 2 0 R >>"
	if form {
		catalog = fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%d 0 R] >> >>", 4+2*pages)
	}
	w.Obj(catalog)
	var kids []string
	for i := 0; i < pages; i++ {
		kids = append(kids, fmt.Sprintf("%d 0 R", 4+2*i))
	}
	w.Obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	w.Obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i := 0; i < pages; i++ {
		annots := ""
		if form && i == 0 {
			annots = fmt.Sprintf(" /Annots [%d 0 R]", 4+2*pages)
		}
		w.Obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R%s >>", 5+2*i, annots))
		content := fmt.Sprintf("BT /F1 24 Tf 72 720 Td (Shomei test page %d) Tj ET", i+1)
		w.Obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	}
	if form {
		w.Obj("<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 4 0 R /V (value) >>")
	}
	w.Write(tb, path)
}

// QPDF runs qpdf to make a variant of in.
func QPDF(tb testing.TB, in, out string, args ...string) {
	tb.Helper()
	cmd := exec.Command("qpdf", append(append(args, in), out)...)
	if o, err := cmd.CombinedOutput(); err != nil {
		// qpdf exits 3 for warnings with a usable output.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			tb.Fatalf("qpdf %v: %v\n%s", args, err, o)
		}
	}
}

// NSS makes an NSS database trusting rootPEM and returns its -nssdir value.
func NSS(tb testing.TB, rootPEM []byte) string {
	tb.Helper()
	dir := tb.TempDir()
	root := filepath.Join(dir, "root.pem")
	os.WriteFile(root, rootPEM, 0o644)
	for _, args := range [][]string{
		{"-N", "-d", "sql:" + dir, "--empty-password"},
		{"-A", "-n", "shomei-test-root", "-t", "CT,C,C", "-i", root, "-d", "sql:" + dir},
	} {
		if o, err := exec.Command("certutil", args...).CombinedOutput(); err != nil {
			tb.Fatalf("certutil %v: %v\n%s", args, err, o)
		}
	}
	return "sql:" + dir
}

// Sig is what pdfsig says of one signature.
type Sig struct {
	Field, Signer, Reason, Location, Type string
	Valid, Total, Trusted                 bool
	Raw                                   string
}

// PDFSig runs pdfsig and parses its report.
func PDFSig(tb testing.TB, nssdir, path string) []Sig {
	tb.Helper()
	out, err := exec.Command("pdfsig", "-nssdir", nssdir, path).CombinedOutput()
	if err != nil && !strings.Contains(string(out), "Signature #") {
		tb.Fatalf("pdfsig %s: %v\n%s", path, err, out)
	}
	var sigs []Sig
	for _, part := range strings.Split(string(out), "Signature #")[1:] {
		s := Sig{Raw: part}
		for _, line := range strings.Split(part, "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "Signature Field Name":
				s.Field = v
			case "Signer Certificate Common Name":
				s.Signer = v
			case "Signature Type":
				s.Type = v
			case "Signature Validation":
				s.Valid = v == "Signature is Valid."
			case "Certificate Validation":
				s.Trusted = v == "Certificate is Trusted."
			case "Reason":
				s.Reason = v
			case "Location":
				s.Location = v
			}
			if line == "Total document signed" {
				s.Total = true
			}
		}
		sigs = append(sigs, s)
	}
	return sigs
}

// Objects returns the file's objects as qpdf reads them (JSON v2 values).
func Objects(tb testing.TB, path string) map[string]map[string]any {
	tb.Helper()
	out, err := exec.Command("qpdf", "--json=2", "--json-key=qpdf", path).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			tb.Fatalf("qpdf --json: %v", err)
		}
	}
	var doc struct {
		Qpdf []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.Qpdf) < 2 {
		tb.Fatalf("qpdf json: %v", err)
	}
	var objects map[string]struct {
		Value map[string]any `json:"value"`
	}
	json.Unmarshal(doc.Qpdf[1], &objects)
	res := map[string]map[string]any{}
	for k, o := range objects {
		if o.Value != nil {
			res[k] = o.Value
		}
	}
	return res
}

// SigTexts returns, for each signature dictionary (/Type /Sig) in the file,
// its text strings as qpdf decodes them.
func SigTexts(tb testing.TB, path string) []map[string]string {
	tb.Helper()
	var res []map[string]string
	for _, o := range Objects(tb, path) {
		if o["/Type"] != "/Sig" {
			continue
		}
		m := map[string]string{}
		for k, v := range o {
			if s, ok := v.(string); ok && strings.HasPrefix(s, "u:") {
				m[k] = strings.TrimPrefix(s, "u:")
			}
		}
		res = append(res, m)
	}
	return res
}

// RenderPage draws one page with poppler's pdftoppm at dpi and returns the PNG path.
func RenderPage(tb testing.TB, pdfPath string, page, dpi int) string {
	tb.Helper()
	prefix := filepath.Join(tb.TempDir(), "page")
	p := fmt.Sprint(page)
	if o, err := exec.Command("pdftoppm", "-png", "-r", fmt.Sprint(dpi), "-f", p, "-l", p, "-singlefile", pdfPath, prefix).CombinedOutput(); err != nil {
		tb.Fatalf("pdftoppm: %v\n%s", err, o)
	}
	return prefix + ".png"
}

// Ink counts dark pixels inside the rectangle (x, y from the top left, in
// pixels) and outside it.
func Ink(pngPath string, x, y, w, h int) (inside, outside int) {
	f, err := os.Open(pngPath)
	if err != nil {
		return -1, -1
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return -1, -1
	}
	r := image.Rect(x, y, x+w, y+h)
	b := img.Bounds()
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			cr, cg, cb, _ := img.At(px, py).RGBA()
			if (cr+cg+cb)/3 > 0x8000 {
				continue
			}
			if image.Pt(px, py).In(r) {
				inside++
			} else {
				outside++
			}
		}
	}
	return inside, outside
}

var (
	reStartxref = regexp.MustCompile(`startxref\s+(\d+)`)
	reRoot      = regexp.MustCompile(`/Root\s+(\d+)\s+\d+\s+R`)
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
)

// Update appends to pdf an incremental update that redefines objs (number
// → body, without "obj"/"endobj"), with a classic xref table whose trailer
// points back at the file's last cross-reference section, as an editor
// would. trailerExtra is added to the trailer dictionary.
func Update(pdf []byte, objs map[int]string, trailerExtra string) []byte {
	last := func(re *regexp.Regexp) int {
		m := re.FindAllSubmatch(pdf, -1)
		if len(m) == 0 {
			return 0
		}
		n, _ := strconv.Atoi(string(m[len(m)-1][1]))
		return n
	}
	prev, root, size := last(reStartxref), last(reRoot), last(reSize)
	var b bytes.Buffer
	b.Write(pdf)
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
		size = max(size, n+1)
	}
	sort.Ints(nums)
	offs := map[int]int{}
	for _, n := range nums {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	x := b.Len()
	b.WriteString("xref\n")
	for _, n := range nums {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n\r\n", n, offs[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Prev %d %s>>\nstartxref\n%d\n%%%%EOF\n", size, root, prev, trailerExtra, x)
	return b.Bytes()
}
