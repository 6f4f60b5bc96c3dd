package signing_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/backend/touki"
	"github.com/shomei-app/shomei/cardio/vcard"
)

func toukiCheck(t *testing.T, path string) touki.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	return touki.Check(f, st.Size())
}

// sigDicts returns the /Type /Sig dictionaries qpdf sees, raw JSON values.
func sigDicts(t *testing.T, path string) []map[string]any {
	var out []map[string]any
	for _, o := range pdftest.Objects(t, path) {
		if o["/Type"] == "/Sig" {
			out = append(out, o)
		}
	}
	return out
}

// The 登記 profile: Adobe PKCS#7 detached, /Name the holder's name, /M, and
// nothing after the signature; a countersignature keeps the first valid;
// pdfsig and qpdf agree; touki.Check says the requirements are met.
func TestToukiProfile(t *testing.T) {
	for _, tool := range []string{"pdfsig", "qpdf", "certutil"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make setup installs it)", tool)
		}
	}
	g, _, _, card := signer(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "登記申請書.pdf")
	pdftest.Minimal(t, in, 1, false)
	if r := toukiCheck(t, in); r.Met || !slices.Contains(r.Reasons, touki.NoSignature) {
		t.Fatalf("unsigned PDF: %+v", r)
	}
	opt := signing.Options{Profile: signing.ProfileTouki}
	if err := signing.CheckProfile([]string{in}, opt); err != nil {
		t.Fatal(err)
	}
	res := signing.Files(context.Background(), g, []string{in}, opt, nil)
	if !res[0].OK() || res[0].Format != "pdf-pkcs7-touki" {
		t.Fatalf("%+v %v", res[0], res[0].Err)
	}
	first := res[0].Output
	nss := pdftest.NSS(t, card.State().RootPEM())
	check := func(path string, n int) {
		t.Helper()
		sigs := pdftest.PDFSig(t, nss, path)
		if len(sigs) != n {
			t.Fatalf("pdfsig found %d signatures, want %d", len(sigs), n)
		}
		for i, s := range sigs {
			if !s.Valid {
				t.Errorf("pdfsig: signature %d not valid:\n%s", i+1, s.Raw)
			}
			if !strings.Contains(s.Raw, "adbe.pkcs7.detached") {
				t.Errorf("pdfsig: signature %d type: %s", i+1, s.Type)
			}
		}
		if !sigs[n-1].Total {
			t.Errorf("pdfsig: the last signature does not cover the whole document")
		}
		dicts := sigDicts(t, path)
		if len(dicts) != n {
			t.Fatalf("qpdf: %d signature dictionaries", len(dicts))
		}
		size := fileSize(t, path)
		whole := 0
		for _, d := range dicts {
			if d["/SubFilter"] != "/adbe.pkcs7.detached" {
				t.Errorf("qpdf: /SubFilter %v", d["/SubFilter"])
			}
			if d["/Name"] != "u:"+vcard.DefaultHolder.Name {
				t.Errorf("qpdf: /Name %q, want %q", d["/Name"], vcard.DefaultHolder.Name)
			}
			if m, _ := d["/M"].(string); !strings.HasPrefix(m, "u:D:") {
				t.Errorf("qpdf: /M %v", d["/M"])
			}
			br, _ := d["/ByteRange"].([]any)
			if len(br) == 4 && int64(br[2].(float64)+br[3].(float64)) == size {
				whole++
			}
		}
		if whole != 1 {
			t.Errorf("%d signatures end at the end of the file, want exactly the last", whole)
		}
		if r := toukiCheck(t, path); !r.Met {
			t.Errorf("touki.Check: %+v", r)
		}
	}
	check(first, 1)
	// The /Name bytes in the file are UTF-16BE with a BOM, hex-encoded.
	raw, _ := os.ReadFile(first)
	if !strings.Contains(string(raw), "/Name <FEFF") {
		t.Error("/Name is not a UTF-16BE text string")
	}

	// A countersignature: an incremental update; both stay valid.
	res = signing.Files(context.Background(), g, []string{first}, signing.Options{Profile: signing.ProfileTouki, OutDir: t.TempDir()}, nil)
	if !res[0].OK() {
		t.Fatalf("countersign: %v", res[0].Err)
	}
	check(res[0].Output, 2)

	// Anything appended after the signature breaks the requirement.
	raw = pdftest.Update(raw, map[int]string{900: "(later)"}, "")
	appended := filepath.Join(dir, "appended.pdf")
	os.WriteFile(appended, raw, 0o644)
	if r := toukiCheck(t, appended); r.Met || !slices.Contains(r.Reasons, touki.Appended) {
		t.Errorf("update after the signature: %+v", r)
	}
}

func fileSize(t *testing.T, p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// What breaks the profile is refused before the card.
func TestToukiRefusals(t *testing.T) {
	g, _, _, _ := signer(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	pdftest.Minimal(t, in, 1, false)
	txt := filepath.Join(dir, "a.txt")
	os.WriteFile(txt, []byte("x"), 0o644)
	cases := []struct {
		name  string
		files []string
		opt   signing.Options
		code  signing.Code
	}{
		{"timestamp", []string{in}, signing.Options{TSA: &tsa.Client{URL: "http://127.0.0.1:1"}}, signing.CodeToukiTimestamp},
		{"certify", []string{in}, signing.Options{Certify: pades.NoChanges}, signing.CodeToukiCertify},
		{"not a PDF", []string{txt}, signing.Options{}, signing.CodeToukiNotPDF},
		{"cms", []string{in}, signing.Options{Format: signing.FormatCMS}, signing.CodeToukiNotPDF},
	}
	for _, c := range cases {
		c.opt.Profile = signing.ProfileTouki
		err := signing.CheckProfile(c.files, c.opt)
		var fe *signing.FileError
		if !errors.As(err, &fe) || fe.Code != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	// A PDF already signed in the PAdES format cannot become a 登記 PDF.
	res := signing.Files(context.Background(), g, []string{in}, signing.Options{}, nil)
	if !res[0].OK() {
		t.Fatal(res[0].Err)
	}
	err := signing.CheckProfile([]string{res[0].Output}, signing.Options{Profile: signing.ProfileTouki})
	var fe *signing.FileError
	if !errors.As(err, &fe) || fe.Code != signing.CodeToukiEarlier {
		t.Errorf("PAdES-signed input: %v", err)
	}
	if r := toukiCheck(t, res[0].Output); r.Met || !slices.Contains(r.Reasons, touki.SubFilter) {
		t.Errorf("touki.Check on a PAdES signature: %+v", r)
	}
}
