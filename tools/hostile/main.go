// Command hostile writes Shomei's hostile inputs, one file per case, into a
// folder: each one makes a cost grow with something the attacker controls
// (bombs, cycles, huge counts, deep nesting, many signatures, a 2 GB sparse
// file, a 300 MB BER CMS, a 5-million-entry CRL, 16384-bit fake CA keys).
// scripts/hostile-bench.sh runs `shomei verify` on each and prints the
// time and peak memory per class beside a yardstick; the goal is every
// case answered within 2 s and 256 MB with a clear error.
//
//	hostile -out DIR [-big]    # -big adds the 2 GB, 300 MB and CRL cases
//
// The signed base is made here with a software RSA-2048 key through the
// same code as the card (pades + cms): no card, no PIN.
package main

import (
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
)

func main() {
	out := flag.String("out", "", "folder to write the cases into")
	big := flag.Bool("big", false, "also write the large cases (2 GB sparse PDF, 300 MB CMS, 5 M-entry CRL)")
	flag.Parse()
	if *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	check(os.MkdirAll(*out, 0o755))
	g := newGen(*out)
	g.pdfs()
	g.cms()
	if *big {
		g.sparse()
		g.bigCMS()
		g.bigCRL()
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

type gen struct {
	dir  string
	key  *rsa.PrivateKey
	cert *x509.Certificate
	base []byte // a one-page PDF signed once
}

func newGen(dir string) *gen {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	check(err)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hostile"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	check(err)
	cert, _ := x509.ParseCertificate(der)
	g := &gen{dir: dir, key: key, cert: cert}
	g.base = g.sign(minimalPDF())
	return g
}

// write names a case "class--detail.ext".
func (g *gen) write(class, detail, ext string, b []byte) {
	check(os.WriteFile(filepath.Join(g.dir, class+"--"+detail+ext), b, 0o644))
}

func minimalPDF() []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) { offs = append(offs, b.Len()); fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s) }
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")
	obj("<< /Length 24 >>\nstream\n0 g 72 720 m 300 720 l S\nendstream")
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, x)
	return b.Bytes()
}

// sign signs pdf (an approval signature) with the software key.
func (g *gen) sign(pdf []byte) []byte {
	tmp, err := os.CreateTemp("", "hostile-*.pdf")
	check(err)
	defer os.Remove(tmp.Name())
	tmp.Write(pdf)
	tmp.Close()
	d, err := pades.Open(tmp.Name())
	check(err)
	defer d.Close()
	var out bytes.Buffer
	check(d.Sign(&out, pades.Options{Name: "hostile", Time: time.Now()}, len(g.cert.Raw), func(digest []byte) ([]byte, error) {
		s, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g.key, Cert: g.cert}), digest)
		if err != nil {
			return nil, err
		}
		return s.Detached(), nil
	}))
	return out.Bytes()
}

var reStartxref = regexp.MustCompile(`startxref\s+(\d+)`)

func lastStartxref(pdf []byte) int {
	m := reStartxref.FindAllSubmatch(pdf, -1)
	n, _ := strconv.Atoi(string(m[len(m)-1][1]))
	return n
}

// update appends an incremental update (xref table) defining objs.
func update(pdf []byte, objs map[int]string, extra string) []byte {
	prev := lastStartxref(pdf)
	var b bytes.Buffer
	b.Write(pdf)
	b.WriteString("\n")
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	sortInts(nums)
	offs := map[int]int{}
	size := 10
	for _, n := range nums {
		offs[n] = b.Len()
		size = max(size, n+1)
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	x := b.Len()
	b.WriteString("xref\n")
	for _, n := range nums {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n\r\n", n, offs[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Prev %d %s>>\nstartxref\n%d\n%%%%EOF\n", size, prev, extra, x)
	return b.Bytes()
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// xrefStream appends an update whose cross-reference stream (object 999,
// W [1 4 2]) holds rows; body is written before it.
func xrefStream(pdf []byte, body []byte, rows []byte, index string, filter string, extra string) []byte {
	prev := lastStartxref(pdf)
	var b bytes.Buffer
	b.Write(pdf)
	b.WriteString("\n")
	b.Write(body)
	x := b.Len()
	fmt.Fprintf(&b, "999 0 obj\n<< /Type /XRef /Size 100000000 /Root 1 0 R /Prev %d /W [1 4 2] /Index [%s] %s %s /Length %d >>\nstream\n", prev, index, filter, extra, len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", x)
	return b.Bytes()
}

func row(typ byte, f2, f3 int) []byte {
	return []byte{typ, byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3 >> 8), byte(f3)}
}

func (g *gen) pdfs() {
	pdf := g.base
	prev := lastStartxref(pdf)

	// Bombs: 96 MB of zeros in ~100 KB, as an object stream and as the
	// cross-reference stream.
	bomb := deflate(bytes.Repeat([]byte{0}, 96<<20))
	body := fmt.Appendf(nil, "950 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /Length %d >>\nstream\n", len(bomb))
	body = append(append(body, bomb...), "\nendstream\nendobj\n"...)
	rows := append(row(1, len(pdf)+1, 0), row(2, 950, 0)...)
	g.write("bomb", "deflate-objstm", ".pdf", xrefStream(pdf, body, rows, "950 1 1 1", "", ""))
	g.write("bomb", "deflate-xrefstm", ".pdf", xrefStream(pdf, nil, bomb, "0 1", "/Filter /FlateDecode", ""))
	many := bytes.Repeat(deflate(bytes.Repeat([]byte{0}, 30<<20)), 1)
	objs := map[int]string{}
	var refs []string
	for i := 0; i < 20; i++ {
		objs[900+i] = fmt.Sprintf("<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(many), many)
		refs = append(refs, fmt.Sprintf("%d 0 R", 900+i))
	}
	objs[3] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [" + strings.Join(refs, " ") + "] >>"
	g.write("bomb", "twenty-30MB-streams", ".pdf", update(pdf, objs, ""))

	// Cycles.
	x := len(pdf) + 1
	g.write("cycle", "xref-prev-self", ".pdf", append(bytes.Clone(pdf), fmt.Sprintf("\nxref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 30 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", x, x)...))
	g.write("cycle", "page-tree", ".pdf", update(pdf, map[int]string{2: "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"}, ""))
	g.write("cycle", "reference-chain", ".pdf", update(pdf, map[int]string{900: "901 0 R", 901: "900 0 R", 1: "<< /Type /Catalog /Pages 2 0 R /Names 900 0 R >>"}, ""))

	// Huge counts.
	g.write("count", "xref-18M-entries", ".pdf", append(bytes.Clone(pdf), fmt.Sprintf("\nxref\n0 18000000\n0000000000 65535 f\r\ntrailer\n<< /Size 18000000 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", prev, len(pdf)+1)...))
	// An object stream of 100,000 objects, every one listed in the xref stream.
	var hdr, objsb strings.Builder
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&hdr, "%d %d ", 2000+i, objsb.Len())
		objsb.WriteString("<< /A 1 >> ")
	}
	stm := hdr.String() + objsb.String()
	body = fmt.Appendf(nil, "1999 0 obj\n<< /Type /ObjStm /N 100000 /First %d /Length %d >>\nstream\n%s\nendstream\nendobj\n", hdr.Len(), len(stm), stm)
	rows = row(1, len(pdf)+1, 0)
	for i := 0; i < 100000; i++ {
		rows = append(rows, row(2, 1999, i)...)
	}
	objs100k := update(xrefStream(pdf, body, rows, "1999 100001", "", ""), map[int]string{3: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /X [2000 0 R 2050 0 R 99999 0 R] >>"}, "")
	g.write("count", "objstm-100k-objects", ".pdf", objs100k)
	// 50,000 /ByteRange occurrences in a comment-filled update.
	br := bytes.Repeat([]byte("% /ByteRange [0 10 20 30] /Contents <00>\n"), 50000)
	g.write("count", "byterange-50k", ".pdf", append(append(bytes.Clone(pdf), '\n'), br...))
	// 10,000 streams without /Length, each referenced.
	objs = map[int]string{}
	refs = refs[:0]
	for i := 0; i < 10000; i++ {
		objs[1000+i] = "<< /Filter /FlateDecode >>\nstream\nxyz\nendstream"
		refs = append(refs, fmt.Sprintf("%d 0 R", 1000+i))
	}
	objs[3] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [" + strings.Join(refs, " ") + "] >>"
	g.write("count", "missing-length-10k", ".pdf", update(pdf, objs, ""))

	// Deep nesting.
	g.write("nest", "arrays-200k", ".pdf", update(pdf, map[int]string{2: strings.Repeat("[", 200000) + strings.Repeat("]", 200000)}, ""))
	g.write("nest", "dicts-100k", ".pdf", update(pdf, map[int]string{2: strings.Repeat("<< /K ", 100000) + strings.Repeat(">> ", 100000)}, ""))

	// Many signatures: 3,000 revisions, each a copy of the signature
	// dictionary (its ranges are the first revision's).
	sigDict := sigObject(pdf)
	many3k := bytes.Clone(pdf)
	for i := 0; i < 3000; i++ {
		many3k = update(many3k, map[int]string{5000 + i: sigDict}, "")
	}
	g.write("sigs", "3000-revisions", ".pdf", many3k)
	// 2,000 signature dictionaries in one revision, all in the form.
	objs = map[int]string{}
	refs = refs[:0]
	for i := 0; i < 2000; i++ {
		objs[6000+i] = fmt.Sprintf("<< /FT /Sig /T (s%d) /V 7%04d 0 R >>", i, i)
		objs[70000+i] = sigDict
		refs = append(refs, fmt.Sprintf("%d 0 R", 6000+i))
	}
	objs[1] = "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + strings.Join(refs, " ") + "] >> >>"
	g.write("sigs", "2000-fields", ".pdf", update(pdf, objs, ""))
}

// sigObject returns the body of pdf's signature dictionary.
func sigObject(pdf []byte) string {
	i := bytes.Index(pdf, []byte("/Type /Sig"))
	s := bytes.LastIndex(pdf[:i], []byte("obj"))
	e := bytes.Index(pdf[i:], []byte("endobj"))
	return strings.TrimSpace(string(pdf[s+3 : i+e]))
}

func (g *gen) cms() {
	content := []byte("hostile content\n")
	d := sha256.Sum256(content)
	// A chain of 40 fake CAs with 16384-bit RSA moduli (not real keys: they
	// only have to be parsed), all named like the signer's issuer.
	var chain []*x509.Certificate
	for i := 0; i < 40; i++ {
		n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 16384))
		n.SetBit(n, 16383, 1)
		n.SetBit(n, 0, 1)
		tpl := &x509.Certificate{SerialNumber: big.NewInt(int64(100 + i)), Subject: pkix.Name{CommonName: "hostile"}, NotBefore: g.cert.NotBefore, NotAfter: g.cert.NotAfter,
			BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign}
		der, err := x509.CreateCertificate(rand.Reader, tpl, g.cert, &rsa.PublicKey{N: n, E: 65537}, g.key)
		check(err)
		c, _ := x509.ParseCertificate(der)
		chain = append(chain, c)
	}
	s, err := cms.SignDigest(cms.Request{Signer: g.key, Cert: g.cert, Chain: chain}, d[:])
	check(err)
	g.write("keys", "40-fake-CAs-16384-bit", ".p7s", s.Detached())
	// Deep indefinite-length nesting and a garbage run.
	g.write("nest", "ber-100k-deep", ".p7s", append(bytes.Repeat([]byte{0x30, 0x80}, 100000), bytes.Repeat([]byte{0, 0}, 100000)...))
	g.write("count", "ber-garbage", ".p7s", bytes.Repeat([]byte{0xa0, 0x82}, 5000))
}

// sparse writes a 2 GB sparse PDF: the signed base, 2 GB of holes inside a
// stream, and 8 signature dictionaries whose ranges span the whole file.
func (g *gen) sparse() {
	path := filepath.Join(g.dir, "sparse--2GB-8-signatures.pdf")
	f, err := os.Create(path)
	check(err)
	defer f.Close()
	pdf := g.base
	f.Write(pdf)
	const hole = 2 << 30
	start := int64(len(pdf))
	fmt.Fprintf(f, "\n900 0 obj\n<< /Length %d >>\nstream\n", hole)
	pos, _ := f.Seek(hole, 1)
	_ = start
	f.Seek(pos, 0)
	var b bytes.Buffer
	b.WriteString("\nendstream\nendobj\n")
	base := pos + int64(b.Len())
	var offs []int64
	for i := 0; i < 8; i++ {
		offs = append(offs, base+int64(b.Len()))
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 %d %d 100] /Contents <%s> >>\nendobj\n", 901+i, 10, 20, strings.Repeat("30", 8))
	}
	x := pos + int64(b.Len())
	b.WriteString("xref\n")
	fmt.Fprintf(&b, "900 1\n%010d 00000 n\r\n", len(pdf)+1)
	for i, o := range offs {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n\r\n", 901+i, o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size 910 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", lastStartxref(pdf), x)
	f.Write(b.Bytes())
	// The ranges cover the file: patch the ByteRanges now that its size is known.
	st, _ := f.Stat()
	size := st.Size()
	patched := bytes.ReplaceAll(b.Bytes(), []byte("/ByteRange [0 10 20 100]"), fmt.Appendf(nil, "/ByteRange [0 %d %d %d]", size/2, size/2+2, size-size/2-2))
	f.WriteAt(patched[:len(patched)], pos)
}

// bigCMS writes a 300 MB enveloping CMS in BER: indefinite lengths and the
// content as a constructed OCTET STRING of 1 MB chunks.
func (g *gen) bigCMS() {
	path := filepath.Join(g.dir, "size--cms-300MB-ber.p7m")
	f, err := os.Create(path)
	check(err)
	defer f.Close()
	oidSigned := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}
	oidData := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01}
	w := func(b ...byte) { f.Write(b) }
	w(0x30, 0x80)
	f.Write(oidSigned)
	w(0xa0, 0x80, 0x30, 0x80)
	w(0x02, 0x01, 0x01)                                                                                     // version
	w(0x31, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00) // sha-256
	w(0x30, 0x80)
	f.Write(oidData)
	w(0xa0, 0x80, 0x24, 0x80)
	chunk := make([]byte, 1<<20)
	for i := 0; i < 300; i++ {
		w(0x04, 0x83, 0x10, 0x00, 0x00)
		f.Write(chunk)
	}
	w(0, 0, 0, 0, 0, 0) // end of the octet string, [0], encapContentInfo
	w(0x31, 0x00)       // no signerInfos
	w(0, 0, 0, 0, 0, 0) // SignedData, [0], ContentInfo
}

// bigCRL writes a 5,000,000-entry CRL (DER, its signature junk: the cost
// is in reading it).
func (g *gen) bigCRL() {
	path := filepath.Join(g.dir, "size--crl-5M-entries.crl")
	var entries bytes.Buffer
	for i := 0; i < 5_000_000; i++ {
		// SEQUENCE { INTEGER serial (4 bytes), UTCTime }
		entries.Write([]byte{0x30, 0x15, 0x02, 0x04, byte(i>>24 | 0x01), byte(i >> 16), byte(i >> 8), byte(i), 0x17, 0x0d})
		entries.WriteString("250101000000Z")
	}
	alg := []byte{0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00}
	issuer, _ := (pkix.Name{CommonName: "hostile"}).ToRDNSequence(), 0
	_ = issuer
	name := g.cert.RawSubject
	t1 := append([]byte{0x17, 0x0d}, "250101000000Z"...)
	t2 := append([]byte{0x17, 0x0d}, "350101000000Z"...)
	tbs := derSeq(append(append(append(append(append([]byte{0x02, 0x01, 0x01}, alg...), name...), t1...), t2...), derSeq(entries.Bytes())...))
	crl := derSeq(append(append(tbs, alg...), 0x03, 0x02, 0x00, 0x00))
	check(os.WriteFile(path, crl, 0o644))
}

func derSeq(b []byte) []byte {
	n := len(b)
	var l []byte
	switch {
	case n < 128:
		l = []byte{byte(n)}
	default:
		var x []byte
		for v := n; v > 0; v >>= 8 {
			x = append([]byte{byte(v)}, x...)
		}
		l = append([]byte{0x80 | byte(len(x))}, x...)
	}
	return append(append([]byte{0x30}, l...), b...)
}
