package verify_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/pdfv/adversary"
)

// The rendering comparison over the project's adversarial suite:
//   - every control still PASSES, its pages compared where it has later
//     revisions (the comparison must not refuse what is legitimate);
//   - with the change analysis made blind to every change it refused (a
//     gap played through the hook: what it allowed stays allowed, with its
//     areas left out), no manipulated document that poppler shows
//     differently from a signed revision is PASSED: the comparison alone
//     catches it. The counts are logged.
func TestRenderingOnTheAdversarialSuite(t *testing.T) {
	for _, tool := range []string{"qpdf", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " is needed")
		}
	}
	srv := tsatest.Start(t)
	dir := t.TempDir()
	cases := adversary.Build(t, dir, adversary.InProcess(srv.URL), adversary.TSAToken(srv.URL))
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	write := func(k adversary.Case) string {
		p := filepath.Join(dir, fmt.Sprintf("%s-%s.pdf", k.Class, k.Name))
		if err := os.WriteFile(p, k.PDF, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	anchors := testRoot(t)
	if _, err := anchors.AddUser(srv.Root.Raw, "test TSA"); err != nil {
		t.Fatal(err)
	}
	opt := verify.Options{Trust: anchors, Render: engine(t)}
	var controls, compared int
	for _, k := range cases {
		if k.Manipulated {
			continue
		}
		controls++
		r, err := verify.File(write(k), opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Signatures {
			if s.Rendering != nil {
				compared++
				if s.Rendering.Status != verify.RenderingSame {
					t.Errorf("control %s/%s: signature %d: rendering %+v", k.Class, k.Name, s.Index, s.Rendering)
				}
			}
		}
		if !r.Passed() {
			t.Errorf("control %s/%s: %s", k.Class, k.Name, r.Indication)
		}
	}
	defer verify.SetChangesHook(missDisallowed)()
	var manipulated, caught, before, invisible, limits int
	for _, k := range cases {
		if !k.Manipulated {
			continue
		}
		manipulated++
		path := write(k)
		r, err := verify.File(path, opt)
		if err != nil {
			before++ // unreadable: never PASSED
			continue
		}
		if !r.Passed() {
			rendered := false
			for _, s := range r.Signatures {
				rendered = rendered || (s.Rendering != nil && s.Rendering.Status != verify.RenderingSame)
			}
			if rendered {
				caught++
			} else {
				before++ // refused before the comparison (integrity, byte range, unreadable)
			}
			continue
		}
		// PASSED with the analysis blinded: only acceptable when no viewer
		// shows anything else than what a signature covered.
		for _, s := range r.Signatures {
			if s.CoversWholeFile || s.SignedBytes == 0 {
				continue
			}
			if p := popplerDiffers(t, k.PDF[:s.SignedBytes], k.PDF); p != 0 && k.Class == "xref" {
				// Viewers read this structure differently (PDFium one way,
				// poppler another): one engine's drawing cannot see it. The
				// change analysis must refuse it (it does, unblinded).
				t.Logf("known limit: %s/%s: PDFium draws page %d as signed, poppler does not", k.Class, k.Name, p)
				limits++
			} else if p != 0 {
				t.Errorf("%s/%s: PASSED with the analysis blinded, yet poppler shows page %d differently from what signature %d covers", k.Class, k.Name, p, s.Index)
			}
		}
		invisible++
	}
	invisible -= limits
	t.Logf("controls: %d PASSED (%d signatures' pages compared); manipulated: %d — with the analysis blinded, %d caught by the rendering comparison, %d refused before it, %d PASSED and invisible to poppler too, %d PASSED where PDFium and poppler read the structure differently",
		controls, compared, manipulated, caught, before, invisible, limits)
	if caught == 0 || compared == 0 {
		t.Fatal("the comparison never ran")
	}
}

// popplerDiffers returns the first page (1-based) pdftoppm draws
// differently in a and b, 0 when none.
func popplerDiffers(t *testing.T, a, b []byte) int {
	t.Helper()
	draw := func(pdf []byte) []image.Image {
		d := t.TempDir()
		in := filepath.Join(d, "in.pdf")
		os.WriteFile(in, pdf, 0o644)
		exec.Command("pdftoppm", "-r", "72", "-png", in, filepath.Join(d, "p")).Run()
		var out []image.Image
		for i := 1; ; i++ {
			var f []byte
			var err error
			for _, name := range []string{fmt.Sprintf("p-%d.png", i), fmt.Sprintf("p-%02d.png", i), fmt.Sprintf("p-%03d.png", i)} {
				if f, err = os.ReadFile(filepath.Join(d, name)); err == nil {
					break
				}
			}
			if err != nil {
				return out
			}
			img, err := png.Decode(bytes.NewReader(f))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, img)
		}
	}
	pa, pb := draw(a), draw(b)
	for i := 0; i < max(len(pa), len(pb)); i++ {
		if i >= len(pa) || i >= len(pb) || pa[i].Bounds() != pb[i].Bounds() {
			return i + 1
		}
		bb := pa[i].Bounds()
		for y := bb.Min.Y; y < bb.Max.Y; y++ {
			for x := bb.Min.X; x < bb.Max.X; x++ {
				r1, g1, b1, _ := pa[i].At(x, y).RGBA()
				r2, g2, b2, _ := pb[i].At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					return i + 1
				}
			}
		}
	}
	return 0
}
