package verify_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify"
)

// hostile builds malformed and malicious inputs around a PDF the virtual
// card signed: truncations, reference loops, deflate bombs, absurd lengths
// and nesting, broken CMS encodings.
func hostile(tb testing.TB) map[string][]byte {
	tb.Helper()
	pdfPath, p7sPath, _ := signed(tb, signing.Options{})
	pdf, _ := os.ReadFile(pdfPath)
	p7s, _ := os.ReadFile(p7sPath)
	out := map[string][]byte{}
	for _, frac := range []int{10, 50, 90, 99} {
		out[fmt.Sprintf("truncated-%d%%", frac)] = pdf[:len(pdf)*frac/100]
	}
	out["truncated-last-byte"] = pdf[:len(pdf)-1]
	out["empty"] = nil
	out["header-only"] = []byte("%PDF-1.7\n")

	prev := lastStartxref(pdf)
	// An update whose /Prev points at itself, and one pointing back and
	// forth between two sections.
	x := len(pdf) + 1
	out["xref-prev-loop"] = append(bytes.Clone(pdf), fmt.Sprintf("\nxref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 30 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", x, x)...)
	// A page tree whose root is its own kid.
	loop := pdftest.Update(pdf, map[int]string{2: "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"}, "")
	out["page-tree-loop"] = loop
	// A reference chain 1 → 900 → 901 → 900 in the catalog.
	out["reference-cycle"] = pdftest.Update(pdf, map[int]string{900: "901 0 R", 901: "900 0 R", 1: "<< /Type /Catalog /Pages 2 0 R /Names 900 0 R >>"}, "")

	// Deflate bombs: 96 MB of zeros in about 100 KB (three times the per-stream cap), as an object stream
	// and as the cross-reference stream itself.
	bomb := deflate(bytes.Repeat([]byte{0}, 96<<20))
	out["deflate-bomb-objstm"] = updateRaw(pdf, prev, fmt.Sprintf("950 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /Length %d >>\nstream\n", len(bomb)), bomb, "1 0 R", []string{"950 0 0 n", "1 2 950 0"})
	out["deflate-bomb-xrefstm"] = xrefStreamBomb(pdf, prev, bomb)

	// Absurd lengths and counts.
	out["absurd-length"] = pdftest.Update(pdf, map[int]string{960: "<< /Length 99999999999999 >>\nstream\nabc\nendstream", 2: "<< /Type /Pages /Kids [4 0 R] /Count 1 /X 960 0 R >>"}, "")
	out["absurd-xref-count"] = append(bytes.Clone(pdf), fmt.Sprintf("\nxref\n0 999999999\n0000000000 65535 f\r\ntrailer\n<< /Size 999999999 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", prev, len(pdf)+1)...)
	out["absurd-objstm-n"] = updateRaw(pdf, prev, "970 0 obj\n<< /Type /ObjStm /N 2147483647 /First 99999999 /Length 3 >>\nstream\n", []byte("1 0"), "1 0 R", []string{"970 0 0 n", "1 2 970 0"})
	out["absurd-byterange"] = bytes.Replace(pdf, []byte("/ByteRange ["), []byte("/ByteRange [0 9999999999999 9999999999999 9999999999999] /X ["), 1)
	out["deep-nesting"] = pdftest.Update(pdf, map[int]string{2: strings.Repeat("[", 200000) + strings.Repeat("]", 200000)}, "")

	// CMS: cut, deep indefinite-length nesting, an absurd length.
	out["cms-truncated.p7s"] = p7s[:len(p7s)/2]
	out["cms-deep-ber.p7s"] = append(bytes.Repeat([]byte{0x30, 0x80}, 100000), bytes.Repeat([]byte{0, 0}, 100000)...)
	out["cms-absurd-length.p7s"] = append([]byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff}, p7s[4:]...)
	out["cms-garbage.p7s"] = bytes.Repeat([]byte{0xa0, 0x82}, 5000)
	return out
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

var reStartxref = regexp.MustCompile(`startxref\s+(\d+)`)

func lastStartxref(pdf []byte) int {
	m := reStartxref.FindAllSubmatch(pdf, -1)
	n, _ := strconv.Atoi(string(m[len(m)-1][1]))
	return n
}

// updateRaw appends one stream object (head + data) and an xref stream
// whose entries are given as "num type field2 field3" ("n" for the
// object's own offset).
func updateRaw(pdf []byte, prev int, head string, data []byte, root string, entries []string) []byte {
	var b bytes.Buffer
	b.Write(pdf)
	off := b.Len()
	b.WriteString(head)
	b.Write(data)
	b.WriteString("\nendstream\nendobj\n")
	var rows []byte
	var index []string
	for _, e := range entries {
		f := strings.Fields(e)
		num, _ := strconv.Atoi(f[0])
		typ, _ := strconv.Atoi(f[1])
		f2, f3 := 0, 0
		if f[2] == "0" && f[3] == "n" {
			f2 = off
		} else {
			f2, _ = strconv.Atoi(f[2])
			f3, _ = strconv.Atoi(f[3])
		}
		rows = append(rows, byte(typ), byte(f2>>24), byte(f2>>16), byte(f2>>8), byte(f2), byte(f3>>8), byte(f3))
		index = append(index, fmt.Sprintf("%d 1", num))
	}
	x := b.Len()
	fmt.Fprintf(&b, "990 0 obj\n<< /Type /XRef /Size 1000 /Root %s /Prev %d /W [1 4 2] /Index [%s] /Length %d >>\nstream\n", root, prev, strings.Join(index, " "), len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", x)
	return b.Bytes()
}

func xrefStreamBomb(pdf []byte, prev int, bomb []byte) []byte {
	var b bytes.Buffer
	b.Write(pdf)
	x := b.Len()
	fmt.Fprintf(&b, "991 0 obj\n<< /Type /XRef /Size 1000 /Root 1 0 R /Prev %d /W [1 4 2] /Filter /FlateDecode /Length %d >>\nstream\n", prev, len(bomb))
	b.Write(bomb)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", x)
	return b.Bytes()
}

// Every hostile input gives an answer (an error, or a report that does not
// pass), without a panic; appended hostile updates never leave the
// signature PASSED. Time and memory per input are measured by
// BenchmarkHostile (scripts/bench.sh), not asserted here.
func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	store := testRoot(t)
	for name, data := range hostile(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if !strings.HasSuffix(name, ".p7s") {
				path += ".pdf"
			}
			os.WriteFile(path, data, 0o644)
			r, err := verify.File(path, verify.Options{Trust: store})
			if err != nil {
				return // refused outright: fine
			}
			if r.Passed() {
				t.Fatalf("PASSED: %+v", r.Signatures)
			}
			for _, s := range r.Signatures {
				if s.Indication == "" || s.Sentence.EN == "" {
					t.Fatalf("a signature without a verdict: %+v", s)
				}
			}
		})
	}
}

// BenchmarkHostile reports, per input, the time and the bytes allocated
// (an upper bound of the memory one verification can hold).
func BenchmarkHostile(b *testing.B) {
	dir := b.TempDir()
	inputs := hostile(b)
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		if !strings.HasSuffix(name, ".p7s") {
			path += ".pdf"
		}
		os.WriteFile(path, inputs[name], 0o644)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // sample the heap while it runs
				defer close(done)
				var m runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(2 * time.Millisecond):
						runtime.ReadMemStats(&m)
						peak = max(peak, m.HeapInuse)
					}
				}
			}()
			for i := 0; i < b.N; i++ {
				verify.File(path, verify.Options{})
			}
			close(stop)
			<-done
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
