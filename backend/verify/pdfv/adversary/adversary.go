// Package adversary builds Shomei's adversarial suite for PDF signature
// verification: documents a signer signs (the virtual card, in process or
// through pcscd), then manipulated the way attackers do — the classes of
// issue 12 (cross-reference readings, roles, signature enumeration,
// unsigned fields, shadow attacks, comments) and the ISA, SWA and USF
// variants of Mladenov et al., "Vulnerability Analysis of PDF Signatures"
// (CCS 2019) — next to legitimate controls (countersigning, form filling
// under P=2, a document timestamp, B-T, object streams, CRLF line ends).
//
// Every manipulated case must come out not PASSED; every control PASSED
// (with the documented warning where there is one).
package adversary

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

// Case is one document of the suite.
type Case struct {
	Name, Class string
	PDF         []byte
	Manipulated bool
	// Warning is the warning a control keeps (pdfv.Warn*), "" for none.
	Warning string
	// Shows: a viewer shows new text ("PAID") that the signed revision did
	// not have (checked with pdftotext where feasible).
	Shows bool
}

// Sign signs the PDF at in into out: certify 0 for an approval signature,
// 1–3 for a certification at that DocMDP level; visible puts a stamp on
// page 1; tsa asks for a signature timestamp (B-T).
type Sign func(tb testing.TB, in, out string, certify int, visible, tsa bool)

// Timestamp returns an RFC 3161 token over SHA-256 of data.
type Timestamp func(data []byte) ([]byte, error)

// Marker is the text the manipulations put on pages.
const Marker = "PAID 1,000,000 JPY"

var evil = content(Marker)

func content(text string) string {
	s := fmt.Sprintf("BT /F1 24 Tf 72 680 Td (%s) Tj ET", text)
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

// fullPage is an appearance stream painting the page white and writing the
// marker: what a hiding overlay draws.
func fullPage() string {
	s := "q 1 g 0 0 595 842 re f Q BT /F1 24 Tf 72 680 Td (" + Marker + ") Tj ET"
	return fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

// Build signs the base documents with sign in dir and returns the suite.
func Build(tb testing.TB, dir string, sign Sign, ts Timestamp) []Case {
	tb.Helper()
	in := filepath.Join(dir, "in.pdf")
	pdftest.Minimal(tb, in, 2, true)
	signed := func(name, from string, certify int, visible, tsa bool) []byte {
		out := filepath.Join(dir, name)
		sign(tb, from, out, certify, visible, tsa)
		b, err := os.ReadFile(out)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	s1 := signed("approval.pdf", in, 0, false, false)
	p1 := signed("p1.pdf", in, 1, false, false)
	p2 := signed("p2.pdf", in, 2, false, false)
	p3 := signed("p3.pdf", in, 3, false, false)
	var cs []Case
	bad := func(class, name string, pdf []byte, shows bool) {
		cs = append(cs, Case{Name: name, Class: class, PDF: pdf, Manipulated: true, Shows: shows})
	}
	good := func(class, name string, pdf []byte, warn string) {
		cs = append(cs, Case{Name: name, Class: class, PDF: pdf, Warning: warn})
	}
	page1 := objText(tb, dir, s1, 4)
	cat := objText(tb, dir, s1, 1)

	// Legitimate controls.
	good("control", "signed", s1, "")
	good("control", "certified-p1", p1, "")
	good("control", "countersigned", signed("two.pdf", filepath.Join(dir, "approval.pdf"), 0, false, false), "")
	good("control", "countersigned-visible", signed("two-visible.pdf", filepath.Join(dir, "approval.pdf"), 0, true, false), "")
	good("control", "visible", signed("visible.pdf", in, 0, true, false), "")
	if ts != nil {
		good("control", "b-t", signed("bt.pdf", in, 0, false, true), "")
		good("control", "document-timestamp", docTimestamp(tb, s1, ts), "")
	}
	good("control", "form-filled-p2", pdftest.Update(p2, map[int]string{8: fillField(objText(tb, dir, p2, 8), "another value"), 90: fieldAP("another value")}, ""), "")
	good("control", "form-filled-approval", pdftest.Update(s1, map[int]string{8: fillField(objText(tb, dir, s1, 8), "another value"), 90: fieldAP("another value")}, ""), "")
	good("control", "comment-approval", addAnnots(s1, page1, 4, textNote), WarnComment)
	good("control", "comment-p3", addAnnots(p3, objText(tb, dir, p3, 4), 4, textNote), WarnComment)
	good("control", "dss-added", pdftest.Update(s1, map[int]string{1: addKey(cat, "/DSS 91 0 R"), 91: "<< /Certs [92 0 R] >>", 92: "<< /Length 2 >>\nstream\n0\x00\nendstream"}, ""), "")
	good("control", "info-updated", pdftest.Update(s1, map[int]string{93: "<< /Title (updated) /ModDate (D:20261203000000Z) >>"}, "/Info 93 0 R "), "")
	objstm := filepath.Join(dir, "objstm-in.pdf")
	pdftest.QPDF(tb, in, objstm, "--object-streams=generate")
	good("control", "object-streams", signed("objstm.pdf", objstm, 0, false, false), "")
	good("control", "object-streams-countersigned", signed("objstm2.pdf", filepath.Join(dir, "objstm.pdf"), 0, false, false), "")
	crlf := filepath.Join(dir, "crlf-in.pdf")
	writeCRLF(tb, in, crlf)
	good("control", "crlf", signed("crlf.pdf", crlf, 0, false, false), "")
	good("control", "crlf-countersigned", signed("crlf2.pdf", filepath.Join(dir, "crlf.pdf"), 0, false, false), "")

	// ISA: incremental saving attacks.
	bad("isa", "content-rewritten", pdftest.Update(s1, map[int]string{5: evil}, ""), true)
	bad("isa", "content-rewritten-p1", pdftest.Update(p1, map[int]string{5: evil}, ""), true)
	bad("isa", "page-contents-redirected", pdftest.Update(s1, map[int]string{4: strings.Replace(page1, "/Contents 5 0 R", "/Contents 94 0 R", 1), 94: evil}, ""), true)
	bad("isa", "objects-without-xref", append(bytes.Clone(s1), "\n5 0 obj\n"+evil+"\nendobj\n"...), false)
	bad("isa", "xref-without-trailer", isaNoTrailer(s1), true)
	bad("isa", "page-added", pdftest.Update(s1, map[int]string{2: "<< /Type /Pages /Kids [4 0 R 6 0 R 95 0 R] /Count 3 >>", 95: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 96 0 R >>", 96: evil}, ""), false)
	bad("isa", "history-cut", historyCut(tb, s1, in), false)
	// The same, the cut signature found only by its header, which lies
	// across a 1 MB boundary (where a scan in 1 MB windows reads it):
	// its generation, then its "obj", the first byte past the boundary.
	bad("isa", "history-cut-header-at-1mb-gen", EdgeCut(tb, dir, s1, sign, 3, 1<<20), false)
	bad("isa", "history-cut-header-at-1mb-obj", EdgeCut(tb, dir, s1, sign, 5, 1<<20), false)

	// Cross-reference readings.
	bad("xref", "duplicate-rows-first-new", dupRows(s1, true), true)
	bad("xref", "duplicate-rows-first-old", dupRows(s1, false), false)
	bad("xref", "xrefstm-undecodable", xrefStmLZW(s1), true)
	bad("xref", "generation-mismatch", genMismatch(s1), false)
	bad("xref", "offsets-off", offsetsOff(s1, 3), true)
	bad("xref", "offsets-off-far", offsetsOff(s1, -20), true)

	// Roles taken from the new revision's words.
	bad("role", "dss-lists-content", pdftest.Update(s1, map[int]string{1: addKey(cat, "/DSS << /Certs [5 0 R] >>"), 5: evil}, ""), true)
	bad("role", "dss-lists-content-p1", pdftest.Update(p1, map[int]string{1: addKey(objText(tb, dir, p1, 1), "/DSS << /Certs [5 0 R] >>"), 5: evil}, ""), true)
	bad("role", "type-metadata", pdftest.Update(s1, map[int]string{5: strings.Replace(evil, "<<", "<< /Type /Metadata /Subtype /XML", 1)}, ""), true)
	bad("role", "type-objstm", pdftest.Update(s1, map[int]string{5: strings.Replace(evil, "<<", "<< /Type /ObjStm /N 0 /First 0", 1)}, ""), true)
	bad("role", "ft-on-page", pdftest.Update(s1, map[int]string{4: strings.Replace(page1, "/Contents 5 0 R", "/FT /Tx /Contents 94 0 R", 1), 94: evil}, ""), true)
	bad("role", "info-points-at-page", pdftest.Update(s1, map[int]string{4: strings.Replace(page1, "/Contents 5 0 R", "/Contents 94 0 R", 1), 94: evil}, "/Info 4 0 R "), true)
	bad("role", "catalog-metadata-is-content", pdftest.Update(s1, map[int]string{1: addKey(cat, "/Metadata 5 0 R"), 5: evil}, ""), true)
	bad("role", "need-appearances", pdftest.Update(s1, map[int]string{1: strings.Replace(cat, "/SigFlags 3", "/SigFlags 3 /NeedAppearances true", 1)}, ""), false)
	good("control", "dr-font-added", pdftest.Update(s1, map[int]string{1: strings.Replace(cat, "/SigFlags 3", "/SigFlags 3 /DR << /Font << /F1 3 0 R >> >>", 1)}, ""), "")
	bad("role", "da-changed-p1", pdftest.Update(p1, map[int]string{1: strings.Replace(objText(tb, dir, p1, 1), "/SigFlags 3", "/SigFlags 3 /DA (/F1 40 Tf 1 0 0 rg)", 1)}, ""), false)
	bad("role", "font-replaced", pdftest.Update(s1, map[int]string{3: "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"}, ""), false)
	bad("role", "object-freed", freeObject(s1, 5), false)
	// A slot free when signed: the prepared original's page lists 97,
	// which does not exist; after signing, 97 appears.
	prep := filepath.Join(dir, "free-slot-in.pdf")
	os.WriteFile(prep, pdftest.Update(mustRead(tb, in), map[int]string{4: strings.Replace(objText(tb, dir, mustRead(tb, in), 4), "/Contents 5 0 R", "/Contents 24 0 R", 1), 24: "[5 0 R 97 0 R]"}, ""), 0o644)
	fs := signed("free-slot.pdf", prep, 0, false, false)
	bad("role", "free-slot-filled", pdftest.Update(fs, map[int]string{97: evil}, ""), true)

	// Signature dictionaries in unusual forms, reachable only from a page.
	sigDict := realSigDict(s1)
	br := regexp.MustCompile(`/ByteRange\s*\[[^\]]*\]`).FindString(sigDict)
	hexC := regexp.MustCompile(`/Contents\s*<[0-9A-Fa-f]*>`).FindString(sigDict)
	widget := func(v string) string {
		return "<< /Type /Annot /Subtype /Widget /FT /Sig /T (x) /Rect [0 0 595 842] /P 4 0 R /AP << /N 99 0 R >>" + v + " >>"
	}
	withSig := func(sig string) []byte {
		return pdftest.Update(s1, map[int]string{4: addAnnot(page1, 98), 98: widget(" /V 100 0 R"), 99: fullPage(), 100: sig, 101: "[0 10 20 30]"}, "")
	}
	bad("sigenum", "literal-contents", withSig("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents (0\\200junk) >>"), true)
	bad("sigenum", "indirect-byterange", withSig("<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange 101 0 R /Contents <3080> >>"), true)
	bad("sigenum", "comment-in-array", withSig("<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 % c\n10 20 % d\n30] /Contents <3080> >>"), true)
	bad("sigenum", "no-type-no-byterange", withSig("<< /Filter /Adobe.PPKLite /Contents <3080> >>"), true)
	bad("swa", "replayed-signature", withSig("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "+br+" "+hexC+" >>"), true)
	bad("swa", "gap-widened", swaWiden(s1), false)
	bad("swa", "second-range-moved", swaMove(s1), true)

	// USF: the signature dictionary emptied of what a verifier needs.
	for name, repl := range map[string][2]string{
		"byterange-removed": {br, ""},
		"byterange-null":    {br, "/ByteRange null"},
		"byterange-zero":    {br, "/ByteRange [0 0 0 0]"},
		"contents-removed":  {hexC, ""},
		"contents-null":     {hexC, "/Contents null"},
		"contents-empty":    {hexC, "/Contents <>"},
		"filter-unknown":    {"/Filter /Adobe.PPKLite", "/Filter /Nothing"},
	} {
		// As an update (the signature rewritten), with new content.
		fake := strings.Replace(sigDict, repl[0], repl[1], 1)
		bad("usf", name+"-update", pdftest.Update(s1, map[int]string{9: fake, 5: evil}, ""), true)
	}
	bad("usf", "byterange-in-place", bytes.Replace(bytes.Clone(s1), []byte("/ByteRange [0 "), []byte("/ByteRange [9 "), 1), false)

	// Unsigned signature fields painting.
	bad("unsigned", "sig-widget-no-value", pdftest.Update(s1, map[int]string{4: addAnnot(page1, 98), 98: widget(""), 99: fullPage(), 1: addField(cat, 98)}, ""), true)
	bad("unsigned", "sig-widget-value-not-signature", pdftest.Update(s1, map[int]string{4: addAnnot(page1, 98), 98: widget(" /V 100 0 R"), 99: fullPage(), 100: "<< /Type /Sig >>", 1: addField(cat, 98)}, ""), true)
	bad("unsigned", "sig-widget-annots-only", pdftest.Update(s1, map[int]string{4: addAnnot(page1, 98), 98: widget(""), 99: fullPage()}, ""), true)
	// A prepared empty field given an appearance after signing.
	pe := filepath.Join(dir, "empty-field-in.pdf")
	inB := mustRead(tb, in)
	os.WriteFile(pe, pdftest.Update(inB, map[int]string{
		1:  "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R 20 0 R] >> >>",
		4:  strings.Replace(objText(tb, dir, inB, 4), "/Annots [", "/Annots [20 0 R ", 1),
		20: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (empty) /Rect [0 0 595 842] /P 4 0 R /F 4 >>",
	}, ""), 0o644)
	ef := signed("empty-field.pdf", pe, 2, false, false)
	bad("unsigned", "prepared-empty-field-painted", pdftest.Update(ef, map[int]string{20: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (empty) /Rect [0 0 595 842] /P 4 0 R /F 4 /AP << /N 99 0 R >> >>", 99: fullPage()}, ""), true)

	// Shadow attacks (prepared originals, then "permitted" changes).
	ps := filepath.Join(dir, "shadow-in.pdf")
	os.WriteFile(ps, pdftest.Update(inB, map[int]string{
		1:  "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R 21 0 R] /DR << /Font << /F1 3 0 R >> >> >> >>",
		4:  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /S 22 0 R >> >> /Contents [5 0 R 23 0 R] /Annots [8 0 R 21 0 R] >>",
		21: "<< /Type /Annot /Subtype /Widget /FT /Tx /T (overlay) /Rect [0 0 595 842] /P 4 0 R /F 4 /V () /AP << /N 22 0 R >> >>",
		22: "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length 0 >>\nstream\n\nendstream",
		23: "<< /Length 8 >>\nstream\n/S Do   \nendstream",
	}, ""), 0o644)
	sh := signed("shadow.pdf", ps, 2, false, false)
	shPage := objText(tb, dir, sh, 4)
	bad("shadow", "hide-by-filling-overlay", pdftest.Update(sh, map[int]string{21: strings.Replace(objText(tb, dir, sh, 21), "/V ()", "/V (x)", 1) + "", 22: fullPage()}, ""), true)
	bad("shadow", "hide-by-filling-new-appearance", pdftest.Update(sh, map[int]string{21: strings.Replace(strings.Replace(objText(tb, dir, sh, 21), "/V ()", "/V (x)", 1), "/AP << /N 22 0 R >>", "/AP << /N 99 0 R >>", 1), 99: fullPage()}, ""), true)
	bad("shadow", "appearance-without-value", pdftest.Update(sh, map[int]string{21: strings.Replace(objText(tb, dir, sh, 21), "/AP << /N 22 0 R >>", "/AP << /N 99 0 R >>", 1), 99: fullPage()}, ""), true)
	bad("shadow", "shared-appearance-rewritten", pdftest.Update(sh, map[int]string{22: fullPage()}, ""), true)
	bad("role", "dr-font-replaced", pdftest.Update(sh, map[int]string{1: strings.Replace(objText(tb, dir, sh, 1), "/F1 3 0 R", "/F1 130 0 R", 1), 130: "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"}, ""), false)
	bad("shadow", "field-value-and-page-xobject", pdftest.Update(sh, map[int]string{21: strings.Replace(objText(tb, dir, sh, 21), "/V ()", "/V (y)", 1), 22: fullPage(), 4: shPage}, ""), true)

	// A small field prepared over the signed words, filled after a P=2
	// certification: permitted, and too small for the shadow rule (an
	// eighth of the page), so the signature keeps PASSED; the rendering
	// comparison finds the filled field over the page's own text and the
	// report warns (WarnCovers). The analysis alone cannot see it.
	po := filepath.Join(dir, "small-overlay-in.pdf")
	os.WriteFile(po, pdftest.Update(inB, map[int]string{
		1:  "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R 24 0 R] /DR << /Font << /F1 3 0 R >> >> >> >>",
		4:  strings.Replace(objText(tb, dir, inB, 4), "/Annots [", "/Annots [24 0 R ", 1),
		24: "<< /Type /Annot /Subtype /Widget /FT /Tx /T (note) /Rect [70 712 330 740] /P 4 0 R /F 4 /V () >>",
	}, ""), 0o644)
	so := signed("small-overlay.pdf", po, 2, false, false)
	cover := "q 1 g 0 0 260 28 re f Q BT /F1 14 Tf 2 8 Td (" + Marker + ") Tj ET"
	good("shadow", "small-field-over-signed-text-p2", pdftest.Update(so, map[int]string{
		24: strings.Replace(objText(tb, dir, so, 24), "/V ()", "/V ("+Marker+") /AP << /N 99 0 R >>", 1),
		99: fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 260 28] /Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream", len(cover), cover),
	}, ""), WarnCovers)

	// Annotations that paint: content changes whatever DocMDP says.
	for _, a := range []struct{ name, annot string }{
		{"freetext", "<< /Type /Annot /Subtype /FreeText /Rect [60 660 560 720] /Contents (" + Marker + ") /DA (/Helv 24 Tf 0 g) >>"},
		{"square", "<< /Type /Annot /Subtype /Square /Rect [60 660 560 760] /IC [1 1 1] /C [1 1 1] >>"},
		{"stamp", "<< /Type /Annot /Subtype /Stamp /Rect [0 0 595 842] /AP << /N 99 0 R >> >>"},
		{"ink", "<< /Type /Annot /Subtype /Ink /Rect [0 0 595 842] /InkList [[72 720 500 720]] /BS << /W 30 >> /C [1 1 1] >>"},
		{"redact", "<< /Type /Annot /Subtype /Redact /Rect [60 700 560 760] /OverlayText (" + Marker + ") >>"},
		{"link-with-appearance", "<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /AP << /N 99 0 R >> >>"},
		{"text-widget", "<< /Type /Annot /Subtype /Widget /FT /Tx /T (new) /Rect [0 0 595 842] /V (" + Marker + ") /AP << /N 99 0 R >> >>"},
		{"text-note-full-page", "<< /Type /Annot /Subtype /Text /Rect [0 0 595 842] /Contents (note) /AP << /N 99 0 R >> >>"},
	} {
		shows := strings.Contains(a.annot, "99 0 R")
		bad("annotation", a.name+"-approval", pdftest.Update(s1, map[int]string{4: addAnnot(page1, 98), 98: a.annot, 99: fullPage()}, ""), shows)
		bad("annotation", a.name+"-p3", pdftest.Update(p3, map[int]string{4: addAnnot(objText(tb, dir, p3, 4), 98), 98: a.annot, 99: fullPage()}, ""), shows)
	}
	bad("annotation", "comment-p2", addAnnots(p2, objText(tb, dir, p2, 4), 4, textNote), false)
	bad("annotation", "comment-p1", addAnnots(p1, objText(tb, dir, p1, 4), 4, textNote), false)
	return cs
}

// Warning names, as pdfv has them (not imported: the suite judges pdfv).
const (
	WarnComment = "comment"
	// WarnCovers comes from the rendering comparison, not from pdfv's
	// analysis: a suite of the analysis alone expects no warning there.
	WarnCovers = "covers_signed"
)

var textNote = map[int]string{
	98:  "<< /Type /Annot /Subtype /Text /Rect [500 780 520 800] /Contents (Please check the amount.) /Popup 102 0 R >>",
	102: "<< /Type /Annot /Subtype /Popup /Rect [520 700 595 800] /Parent 98 0 R >>",
}

func addAnnots(pdf []byte, page string, pageNum int, objs map[int]string) []byte {
	m := map[int]string{pageNum: addAnnot(page, 98)}
	for k, v := range objs {
		m[k] = v
	}
	return pdftest.Update(pdf, m, "")
}

func addAnnot(page string, n int) string {
	if strings.Contains(page, "/Annots [") {
		return strings.Replace(page, "/Annots [", fmt.Sprintf("/Annots [ %d 0 R", n), 1)
	}
	return addKey(page, fmt.Sprintf("/Annots [%d 0 R]", n))
}

func addField(cat string, n int) string {
	return strings.Replace(cat, "/Fields [", fmt.Sprintf("/Fields [ %d 0 R", n), 1)
}

func addKey(dict, kv string) string {
	return strings.Replace(dict, "<<", "<< "+kv, 1)
}

func fillField(field, v string) string {
	f := regexp.MustCompile(`/V \([^)]*\)`).ReplaceAllString(field, "/V ("+v+")")
	return addKey(f, "/AP << /N 90 0 R >>")
}

func fieldAP(v string) string {
	s := "/Tx BMC BT /F1 12 Tf 2 5 Td (" + v + ") Tj ET EMC"
	return fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

func mustRead(tb testing.TB, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// objText is object n's value as qpdf prints it (not for streams).
func objText(tb testing.TB, dir string, pdf []byte, n int) string {
	tb.Helper()
	f := filepath.Join(dir, "show.pdf")
	os.WriteFile(f, pdf, 0o644)
	out, err := exec.Command("qpdf", "--show-object="+strconv.Itoa(n), f).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			tb.Fatalf("qpdf --show-object=%d: %v", n, err)
		}
	}
	return strings.TrimSpace(string(out))
}

// writeCRLF writes in again with CRLF line ends, its table rebuilt.
func writeCRLF(tb testing.TB, in, out string) {
	b := mustRead(tb, in)
	x := bytes.Index(b, []byte("xref\n"))
	body := bytes.ReplaceAll(b[:x], []byte("\n"), []byte("\r\n"))
	var w bytes.Buffer
	w.Write(body)
	n := bytes.Count(body, []byte(" 0 obj\r\n"))
	xref := w.Len()
	fmt.Fprintf(&w, "xref\r\n0 %d\r\n0000000000 65535 f\r\n", n+1)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&w, "%010d 00000 n\r\n", objOffset(body, i))
	}
	fmt.Fprintf(&w, "trailer\r\n<< /Size %d /Root 1 0 R >>\r\nstartxref\r\n%d\r\n%%%%EOF\r\n", n+1, xref)
	if err := os.WriteFile(out, w.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}
