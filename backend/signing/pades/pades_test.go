package pades_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func tools(t *testing.T) {
	for _, tool := range []string{"pdfsig", "qpdf", "certutil"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make setup installs it)", tool)
		}
	}
}

func cardSigner(t *testing.T) (*jpki.Signer, *vcard.Card) { return vcardtest.Signer(t) }

// signPDF signs in into out and counts the card operations.
func signPDF(t *testing.T, g *jpki.Signer, in, out string, opt pades.Options) (int, error) {
	t.Helper()
	d, err := pades.Open(in)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	calls := 0
	err = d.Sign(f, opt, len(g.CertificateDER()), func(digest []byte) ([]byte, error) {
		calls++
		sig, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g, Cert: g.Certificate()}), digest)
		if err != nil {
			return nil, err
		}
		return sig.Detached(), nil
	})
	return calls, err
}

var jaOpts = pades.Options{Name: "署名 花子", Reason: "申請内容に同意します（第２版）", Location: "東京都千代田区", Time: time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))}

// Every kind of PDF users have: pdfsig finds each signature valid, covering
// the whole document, with the Japanese texts intact; the card signs once.
func TestPDFVariants(t *testing.T) {
	tools(t)
	g, card := cardSigner(t)
	nss := pdftest.NSS(t, card.State().RootPEM())
	dir := t.TempDir()
	base := filepath.Join(dir, "base.pdf")
	pdftest.Minimal(t, base, 3, false)
	form := filepath.Join(dir, "form.pdf")
	pdftest.Minimal(t, form, 1, true)
	variants := map[string]string{"classic": base, "form": form}
	for name, args := range map[string][]string{
		"objstreams":  {"--object-streams=generate"},
		"linearized":  {"--linearize"},
		"pdf20":       {"--force-version=2.0", "--object-streams=generate"},
		"formstreams": {"--object-streams=generate"},
	} {
		src := base
		if name == "formstreams" {
			src = form
		}
		p := filepath.Join(dir, name+".pdf")
		pdftest.QPDF(t, src, p, args...)
		variants[name] = p
	}
	for name, in := range variants {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name+".signed.pdf")
			calls, err := signPDF(t, g, in, out, jaOpts)
			if err != nil {
				t.Fatal(err)
			}
			if calls != 1 {
				t.Errorf("card signed %d times", calls)
			}
			sigs := pdftest.PDFSig(t, nss, out)
			if len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total || !sigs[0].Trusted {
				t.Fatalf("pdfsig: %+v", sigs)
			}
			if sigs[0].Type != "ETSI.CAdES.detached" {
				t.Errorf("pdfsig type: %q", sigs[0].Type)
			}
			// Debian's pdfsig (poppler 22.12) does not print /Name, /Reason
			// or /Location; qpdf, another independent parser, reads them.
			texts := pdftest.SigTexts(t, out)
			if len(texts) != 1 || texts[0]["/Name"] != jaOpts.Name || texts[0]["/Reason"] != jaOpts.Reason || texts[0]["/Location"] != jaOpts.Location {
				t.Errorf("signature texts as qpdf reads them: %v", texts)
			}
			if o, err := exec.Command("qpdf", "--check", out).CombinedOutput(); err != nil && !strings.Contains(string(o), "No syntax or stream encoding errors") {
				t.Errorf("qpdf --check: %v\n%s", err, o)
			}
			// Signing the signed file again keeps the first signature valid.
			out2 := filepath.Join(dir, name+".signed2.pdf")
			if _, err := signPDF(t, g, out, out2, jaOpts); err != nil {
				t.Fatal(err)
			}
			sigs = pdftest.PDFSig(t, nss, out2)
			if len(sigs) != 2 || !sigs[0].Valid || !sigs[1].Valid || sigs[0].Total || !sigs[1].Total {
				t.Fatalf("second signature: %+v", sigs)
			}
			if sigs[0].Field == sigs[1].Field {
				t.Errorf("field names repeat: %s", sigs[0].Field)
			}
		})
	}
}

// A visible stamp on a chosen page shows the Japanese lines (rendered with
// a system CJK font): pdfsig finds the signature valid, and the page as
// poppler draws it has ink inside the stamp's rectangle and none outside.
func TestVisibleStamp(t *testing.T) {
	tools(t)
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	g, card := cardSigner(t)
	nss := pdftest.NSS(t, card.State().RootPEM())
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	pdftest.Minimal(t, in, 2, false)
	out := filepath.Join(dir, "visible.pdf")
	opt := jaOpts
	opt.Visible = &pades.Stamp{Page: 2, X: 300, Y: 100, W: 240, H: 80, Lines: []string{"署名者: 署名 花子", "2026年11月23日 10:00 署名"}}
	if _, err := signPDF(t, g, in, out, opt); err != nil {
		t.Fatal(err)
	}
	sigs := pdftest.PDFSig(t, nss, out)
	if len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total {
		t.Fatalf("pdfsig: %+v", sigs)
	}
	png := pdftest.RenderPage(t, out, 2, 72)
	inside, outside := pdftest.Ink(png, 300, 842-100-80, 240, 80)
	before, beforeOut := pdftest.Ink(pdftest.RenderPage(t, in, 2, 72), 300, 842-100-80, 240, 80)
	if before != 0 || inside < 500 || outside != beforeOut {
		t.Errorf("ink inside the stamp %d px (before %d), outside %d px (before %d)", inside, before, outside, beforeOut)
	}
	if os.Getenv("SHOMEI_KEEP") != "" {
		os.WriteFile(os.Getenv("SHOMEI_KEEP"), mustRead(t, png), 0o644)
	}
	// A page that does not exist is refused before the card is used.
	opt.Visible.Page = 9
	calls, err := signPDF(t, g, in, filepath.Join(dir, "x.pdf"), opt)
	if !errors.Is(err, pades.ErrNoPage) || calls != 0 {
		t.Errorf("page 9: %v (%d card calls)", err, calls)
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
