package pdfv

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// signPDF signs in into out with the virtual card (approval, or
// certification at level p).
func signPDF(t testing.TB, in, out string, p pades.DocMDP) {
	t.Helper()
	signPDFWith(t, in, out, pades.Options{Certify: p})
}

// signPDFWith signs with the given options (name and time filled in).
func signPDFWith(t testing.TB, in, out string, o pades.Options) {
	t.Helper()
	g, _ := vcardtest.Signer(t)
	d, err := pades.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o.Name, o.Time = "署名 花子", time.Now()
	err = d.Sign(f, o, len(g.CertificateDER()), func(dg []byte) ([]byte, error) {
		sig, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g, Cert: g.Certificate()}), dg)
		if err != nil {
			return nil, err
		}
		return sig.Detached(), nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// update appends an incremental update redefining objs to a copy of in,
// the way an editor would, and returns the new file's path.
func update(t *testing.T, in string, objs map[int]string, trailerExtra string) string {
	t.Helper()
	raw, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "updated.pdf")
	if err := os.WriteFile(out, pdftest.Update(raw, objs, trailerExtra), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func check(t *testing.T, path string) []*Signature {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	sigs, err := Check(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return sigs
}

func kinds(c Changes) []string {
	var out []string
	for _, x := range c.List {
		out = append(out, x.Kind)
	}
	return out
}

// Each kind of later change is classified from the PDF rules, on a
// document Shomei signed with the virtual card. The test document: 1
// catalog (form with text field 8), 2 pages, 3 font, 4 and 6 pages, 5 and 7
// their contents, 8 a filled text field on page 1.
func TestChangesAfterSigning(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	pdftest.Minimal(t, in, 2, true)
	signed := filepath.Join(dir, "signed.pdf")
	signPDF(t, in, signed, pades.Approval)

	page2 := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R%s >>"
	cases := []struct {
		name    string
		objs    map[int]string
		trailer string
		verdict string
		kind    string
	}{
		{"content changed", map[int]string{7: "<< /Length 40 >>\nstream\nBT /F1 24 Tf 72 720 Td (Paid: 0) Tj ET\nendstream"}, "", ChangesDisallowed, KindPage},
		{"page removed", map[int]string{2: "<< /Type /Pages /Kids [4 0 R] /Count 1 >>"}, "", ChangesDisallowed, KindPages},
		{"page added", map[int]string{2: "<< /Type /Pages /Kids [4 0 R 6 0 R 90 0 R] /Count 3 >>", 90: fmt.Sprintf(page2, "")}, "", ChangesDisallowed, KindPages},
		{"annotation added", map[int]string{6: fmt.Sprintf(page2, " /Annots [91 0 R]"), 91: "<< /Type /Annot /Subtype /FreeText /Rect [0 0 100 100] /Contents (note) /DA (/F1 12 Tf) >>"}, "", ChangesDisallowed, KindAnnotation},
		{"page resources changed", map[int]string{6: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R >>"}, "", ChangesDisallowed, KindPage},
		{"form filled", map[int]string{8: "<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 4 0 R /V (another value) >>"}, "", ChangesAllowed, KindFormFilled},
		{"document info", map[int]string{92: "<< /Title (x) /ModDate (D:20261123) >>"}, "/Info 92 0 R ", ChangesAllowed, ""},
		{"font replaced", map[int]string{3: "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"}, "", ChangesDisallowed, KindPage},
		{"object freed", nil, "", ChangesDisallowed, KindDeleted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var path string
			if c.objs == nil {
				path = freeObject(t, signed, 7)
			} else {
				path = update(t, signed, c.objs, c.trailer)
			}
			sigs := check(t, path)
			if len(sigs) != 1 || !sigs[0].Intact || sigs[0].Whole || !sigs[0].RangeOK {
				t.Fatalf("the signature itself must stay intact and sane: %+v", sigs)
			}
			ch := sigs[0].Changes
			if ch.Verdict != c.verdict || (c.kind != "" && !slices.Contains(kinds(ch), c.kind)) || ch.Revisions != 1 {
				t.Fatalf("got %s %v (%d revisions), want %s with %s: %+v", ch.Verdict, kinds(ch), ch.Revisions, c.verdict, c.kind, ch.List)
			}
		})
	}

	t.Run("second signature", func(t *testing.T) {
		two := filepath.Join(dir, "two.pdf")
		signPDF(t, signed, two, pades.Approval)
		sigs := check(t, two)
		if len(sigs) != 2 || sigs[0].Changes.Verdict != ChangesAllowed || sigs[1].Changes.Verdict != ChangesNone {
			t.Fatalf("%+v / %+v", sigs[0].Changes, sigs[1].Changes)
		}
		if !slices.Contains(kinds(sigs[0].Changes), KindSignatureAdded) {
			t.Fatalf("the later signature is not named: %v", kinds(sigs[0].Changes))
		}
	})

	t.Run("signature dictionary rewritten", func(t *testing.T) {
		sigs := check(t, signed)
		raw, _ := os.ReadFile(signed)
		body := raw[sigs[0].Offset:]
		body = body[:bytes.Index(body, []byte("endobj"))]
		body = body[bytes.Index(body, []byte("obj"))+3:]
		fake := bytes.Replace(body, []byte("<<"), []byte("<< /Reason (approved by the mayor)"), 1)
		path := update(t, signed, map[int]string{sigs[0].Object: string(fake)}, "")
		got := check(t, path)
		if len(got) != 1 || !got[0].Intact || got[0].Changes.Verdict != ChangesDisallowed || !slices.Contains(kinds(got[0].Changes), KindSigRewritten) {
			t.Fatalf("%+v", got[0].Changes)
		}
	})

	t.Run("history rewritten", func(t *testing.T) {
		// A new startxref pointing at the section before the signature
		// drops the signed revision from the file's history.
		orig, _ := os.ReadFile(in)
		a := newAnalyser(bytes.NewReader(orig), int64(len(orig)))
		off, _ := a.d.startxrefBefore(int64(len(orig)))
		raw, _ := os.ReadFile(signed)
		path := filepath.Join(t.TempDir(), "revert.pdf")
		os.WriteFile(path, append(raw, fmt.Sprintf("startxref\n%d\n%%%%EOF\n", off)...), 0o644)
		got := check(t, path)
		if len(got) != 1 || got[0].Changes.Verdict != ChangesDisallowed || !slices.Contains(kinds(got[0].Changes), KindHistory) {
			t.Fatalf("%+v", got[0].Changes)
		}
	})

	t.Run("trailing bytes", func(t *testing.T) {
		raw, _ := os.ReadFile(signed)
		for tail, want := range map[string]string{"\r\n \n": ChangesNone, "% hidden\n": ChangesDisallowed} {
			path := filepath.Join(t.TempDir(), "tail.pdf")
			os.WriteFile(path, append(slices.Clone(raw), tail...), 0o644)
			got := check(t, path)
			if len(got) != 1 || got[0].Whole || got[0].Changes.Verdict != want {
				t.Fatalf("%q: %+v", tail, got[0].Changes)
			}
		}
	})
}

// freeObject appends an update that frees object n.
func freeObject(t *testing.T, in string, n int) string {
	t.Helper()
	raw, _ := os.ReadFile(in)
	a := newAnalyser(bytes.NewReader(raw), int64(len(raw)))
	prev, _ := a.d.startxrefBefore(int64(len(raw)))
	size, _ := a.final.trailer["Size"].(int64)
	var b bytes.Buffer
	b.Write(raw)
	x := b.Len()
	fmt.Fprintf(&b, "xref\n%d 1\n0000000000 00001 f\r\ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", n, size, prev, x)
	out := filepath.Join(t.TempDir(), "freed.pdf")
	os.WriteFile(out, b.Bytes(), 0o644)
	return out
}

// DocMDP: what a certification allows depends on its level.
func TestChangesUnderCertification(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	pdftest.Minimal(t, in, 2, true)
	page2 := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R /Annots [91 0 R] >>"
	annot := map[int]string{6: page2, 91: "<< /Type /Annot /Subtype /Text /Rect [0 0 20 20] /Contents (note) >>"}
	fill := map[int]string{8: "<< /FT /Tx /T (name) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 4 0 R /V (new) >>"}
	for _, c := range []struct {
		p           pades.DocMDP
		fill, annot string
	}{
		{pades.NoChanges, ChangesDisallowed, ChangesDisallowed},
		{pades.FormFilling, ChangesAllowed, ChangesDisallowed},
		{pades.Annotations, ChangesAllowed, ChangesAllowed},
	} {
		signed := filepath.Join(dir, fmt.Sprintf("cert%d.pdf", c.p))
		signPDF(t, in, signed, c.p)
		for _, u := range []struct {
			want string
			objs map[int]string
		}{{c.fill, fill}, {c.annot, annot}} {
			got := check(t, update(t, signed, u.objs, ""))
			want := u.want
			if len(got) != 1 || got[0].Changes.Verdict != want || got[0].Changes.DocMDP != int(c.p) {
				t.Errorf("P=%d: got %s (DocMDP %d), want %s: %+v", c.p, got[0].Changes.Verdict, got[0].Changes.DocMDP, want, got[0].Changes.List)
			}
		}
	}
}

func TestClaimsAndDates(t *testing.T) {
	for in, want := range map[string]string{
		"D:20261123101500+09'00'": "2026-11-23T10:15:00+09:00",
		"D:20261123011500Z":       "2026-11-23T01:15:00Z",
		"D:2026":                  "2026-01-01T00:00:00Z",
		"20261123":                "2026-11-23T00:00:00Z",
	} {
		got, ok := ParseDate(in)
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("%s: %v %v, want %s", in, got, ok, want)
		}
	}
	if _, ok := ParseDate("D:x"); ok {
		t.Error("garbage parsed as a date")
	}
	s := &Signature{}
	s.claims([]byte("<< /Name <FEFF7F72540D002082B15B50> /Reason (caf\\351) /M (D:20260102030405Z) >>"))
	if s.Name != "署名 花子" || s.Reason != "café" || s.M == nil || s.M.Year() != 2026 {
		t.Fatalf("%+v", s)
	}
}
