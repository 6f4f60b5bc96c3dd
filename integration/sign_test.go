package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
)

// `shomei sign` with the virtual card in its own process: a batch with one
// PIN entry, detached and enveloping CMS, accepted by openssl cms -verify
// trusting the card's test root; the disclosure must be accepted first; a
// wrong password signs nothing and uses one try.
func TestCLISign(t *testing.T) {
	need(t)
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)
	dir := t.TempDir()
	var files []string
	for i := 0; i < 5; i++ {
		p := filepath.Join(dir, fmt.Sprintf("添付%d.bin", i))
		os.WriteFile(p, []byte(strings.Repeat(fmt.Sprint("申請データ ", i), 1000)), 0o644)
		files = append(files, p)
	}
	root := filepath.Join(dir, "root.pem")
	if r := shomei(t, "", "vcard", "export-root", "--state", state, "--out", root); r.code != 0 {
		t.Fatal(r.stderr)
	}

	// Without accepting the disclosure nothing happens.
	r := shomei(t, "TEST1234\n", append([]string{"sign", "--pin-stdin", "--reader", readerCLI}, files...)...)
	if r.code != 1 || !strings.Contains(r.stderr, "--accept-disclosure") {
		t.Fatalf("no consent: %d %s", r.code, r.stderr)
	}
	// A wrong password: one try, no output.
	r = shomei(t, "WRONG999\n", append([]string{"sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI}, files...)...)
	if r.code != 1 || !strings.Contains(r.stderr, "4 tries left") {
		t.Fatalf("wrong password: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(files[0] + ".p7s"); err == nil {
		t.Fatal("an output was written after a wrong password")
	}
	r = shomei(t, "TEST1234\n", append([]string{"sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--json"}, files...)...)
	if r.code != 0 {
		t.Fatalf("sign: %d %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "[####") {
		t.Errorf("a progress bar on a stderr that is not a terminal:\n%s", r.stderr)
	}
	var out struct {
		Signed int `json:"signed"`
		Total  int `json:"total"`
	}
	json.Unmarshal([]byte(r.stdout), &out)
	if out.Signed != 5 || out.Total != 5 {
		t.Fatalf("JSON: %s", r.stdout)
	}
	for _, f := range files {
		o, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", f+".p7s", "-content", f, "-CAfile", root, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
		if err != nil {
			t.Fatalf("openssl on %s: %v\n%s", f, err, o)
		}
	}
	// The tries are back to 5 after the right password.
	if p := status(t)["sign"]; p.TriesLeft != 5 {
		t.Errorf("sign PIN after signing: %+v", p)
	}
	// Enveloping into a chosen folder.
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)
	r = shomei(t, "TEST1234\n", "sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--enveloping", "--out", outDir, files[0])
	if r.code != 0 {
		t.Fatalf("enveloping: %s", r.stderr)
	}
	p7m := filepath.Join(outDir, filepath.Base(files[0])+".p7m")
	got := filepath.Join(dir, "extracted")
	if o, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7m, "-CAfile", root, "-purpose", "any", "-out", got).CombinedOutput(); err != nil {
		t.Fatalf("openssl enveloping: %v\n%s", err, o)
	}
	a, _ := os.ReadFile(files[0])
	b, _ := os.ReadFile(got)
	if string(a) != string(b) {
		t.Error("enveloped content differs")
	}
}

// `shomei sign` on PDFs: PAdES by default, pdfsig finds the signature valid,
// whole-document and trusted (NSS database with the card's test root), the
// Japanese reason and location intact, and a second signature keeps the first.
func TestCLISignPDF(t *testing.T) {
	need(t)
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)
	data := t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", data)
	dir := t.TempDir()
	in := filepath.Join(dir, "届出.pdf")
	pdftest.Minimal(t, in, 2, true)
	rootPEM := shomei(t, "", "vcard", "export-root", "--state", state).stdout
	nss := pdftest.NSS(t, []byte(rootPEM))
	r := shomei(t, "TEST1234\n", "sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--reason", "届出の内容に相違ありません", "--location", "那覇市", in)
	if r.code != 0 {
		t.Fatalf("sign: %d %s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "届出.signed.pdf")
	sigs := pdftest.PDFSig(t, nss, out)
	if len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total || !sigs[0].Trusted {
		t.Fatalf("pdfsig: %+v", sigs)
	}
	tx := pdftest.SigTexts(t, out)
	if len(tx) != 1 || tx[0]["/Reason"] != "届出の内容に相違ありません" || tx[0]["/Location"] != "那覇市" || tx[0]["/Name"] != "署名 花子" {
		t.Errorf("texts: %v", tx)
	}
	r = shomei(t, "TEST1234\n", "sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, out)
	if r.code != 0 {
		t.Fatalf("second signature: %s", r.stderr)
	}
	sigs = pdftest.PDFSig(t, nss, filepath.Join(dir, "届出.signed.signed.pdf"))
	if len(sigs) != 2 || !sigs[0].Valid || !sigs[1].Valid || !sigs[1].Total {
		t.Fatalf("pdfsig after a second signature: %+v", sigs)
	}
	// A visible stamp, into another folder.
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)
	r = shomei(t, "TEST1234\n", "sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--visible", "1,320,60,230,70", "--out", outDir, in)
	if r.code != 0 {
		t.Fatalf("visible: %s", r.stderr)
	}
	vis := filepath.Join(outDir, "届出.signed.pdf")
	if sigs := pdftest.PDFSig(t, nss, vis); len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total {
		t.Fatalf("pdfsig on the visible signature: %+v", sigs)
	}
	if inside, _ := pdftest.Ink(pdftest.RenderPage(t, vis, 1, 72), 320, 842-60-70, 230, 70); inside < 300 {
		t.Errorf("the stamp shows %d dark pixels", inside)
	}
	// Countersigned with a visible stamp: shomei verify draws both versions
	// of each page and compares them (the stamp's area left out); the
	// compiled engine is kept in the data folder, so a second run starts
	// faster.
	counter := filepath.Join(dir, "counter")
	os.Mkdir(counter, 0o755)
	r = shomei(t, "TEST1234\n", "sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--visible", "2,300,80,200,60", "--out", counter, out)
	if r.code != 0 {
		t.Fatalf("countersignature with a stamp: %s", r.stderr)
	}
	rootFile := filepath.Join(dir, "root.pem")
	os.WriteFile(rootFile, []byte(rootPEM), 0o644)
	for run := 1; run <= 2; run++ {
		t0 := time.Now()
		r = shomei(t, "", "verify", "--no-stored-trust", "--trust", rootFile, filepath.Join(counter, "届出.signed.signed.pdf"))
		t.Logf("verify with the rendering comparison, run %d: %v", run, time.Since(t0))
		if r.code != 0 || !strings.Contains(r.stdout, "Rendering comparison: 2 pages as signed") {
			t.Fatalf("verify run %d: %d\n%s%s", run, r.code, r.stdout, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "cache", "pdfium")); err != nil {
		t.Errorf("no compiled engine in the data folder: %v", err)
	}
	// B-T with a local TSA: the card signs once, pdfsig finds it valid.
	srv := tsatest.Start(t)
	btDir := filepath.Join(dir, "bt")
	os.Mkdir(btDir, 0o755)
	r = shomei(t, "TEST1234\n", "sign", "--pin-stdin", "--accept-disclosure", "--reader", readerCLI, "--tsa", srv.URL, "--out", btDir, "--json", in)
	if r.code != 0 || !strings.Contains(r.stdout, `"format": "pades-b-t"`) {
		t.Fatalf("b-t: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if sigs := pdftest.PDFSig(t, nss, filepath.Join(btDir, "届出.signed.pdf")); len(sigs) != 1 || !sigs[0].Valid {
		t.Fatalf("pdfsig on b-t: %+v", sigs)
	}
	if srv.Requests.Load() != 1 {
		t.Errorf("%d TSA requests", srv.Requests.Load())
	}
	r = shomei(t, "", "sign", "--visible", "0,1,2", in)
	if r.code != 2 {
		t.Errorf("bad --visible accepted: %d %s", r.code, r.stderr)
	}
}
