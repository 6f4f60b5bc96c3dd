package signing_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// cutter lets the card answer until cut, then reports it removed.
type cutter struct {
	card *vcard.Card
	cut  bool
	n    int
}

func (c *cutter) Transmit(b []byte) ([]byte, error) {
	if c.cut {
		return nil, cardio.E(cardio.CodeCardRemoved, "transmit", nil)
	}
	c.n++
	return c.card.Transmit(b)
}

// signer verifies the signing password on a fresh virtual card.
func signer(t testing.TB) (*jpki.Signer, *cutter, *jpki.Session, *vcard.Card) {
	t.Helper()
	card := vcardtest.New(t)
	tr := &cutter{card: card}
	g, s := vcardtest.SignerOver(t, tr)
	return g, tr, s, card
}

func files(t *testing.T, dir string, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("申請書%02d.txt", i))
		if err := os.WriteFile(p, []byte(strings.Repeat(fmt.Sprintf("document %d\n", i), 100+i)), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func opensslVerify(t *testing.T, card *vcard.Card, p7, content string) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed (make setup installs it)")
	}
	ca := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(ca, card.State().RootPEM(), 0o644)
	args := []string{"cms", "-verify", "-binary", "-inform", "DER", "-in", p7, "-CAfile", ca, "-purpose", "any", "-out", os.DevNull}
	if content != "" {
		args = append(args, "-content", content)
	}
	if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
		t.Fatalf("openssl cms -verify %s: %v\n%s", p7, err, out)
	}
}

// A batch: one card operation per document, every output verifies, a bad
// file does not stop the rest, progress is reported for each file.
func TestBatch(t *testing.T) {
	g, tr, s, card := signer(t)
	dir := t.TempDir()
	in := files(t, dir, 6)
	in = append(in[:3], append([]string{filepath.Join(dir, "missing.txt")}, in[3:]...)...)
	before := s.APDUs()
	var events []signing.Event
	res := signing.Files(context.Background(), g, in, signing.Options{}, func(e signing.Event) { events = append(events, e) })
	if got := s.APDUs() - before; got != 6+1 { // 6 signatures + selecting the key EF once
		t.Errorf("%d APDUs for 6 documents", got)
	}
	_ = tr
	for i, r := range res {
		if i == 3 {
			var fe *signing.FileError
			if !errors.As(r.Err, &fe) || fe.Code != signing.CodeRead {
				t.Errorf("missing file: %v", r.Err)
			}
			continue
		}
		if !r.OK() || r.Output != in[i]+".p7s" || len(r.InputSHA256) != 64 {
			t.Fatalf("%s: %+v", in[i], r)
		}
		opensslVerify(t, card, r.Output, in[i])
	}
	if len(events) != 2*len(in)-0 {
		t.Errorf("%d progress events for %d files", len(events), len(in))
	}
}

// Enveloping output carries the content; an existing output is not replaced without Overwrite.
func TestEnvelopingAndNoOverwrite(t *testing.T) {
	g, _, _, card := signer(t)
	dir := t.TempDir()
	in := files(t, dir, 1)
	res := signing.Files(context.Background(), g, in, signing.Options{Enveloping: true}, nil)
	if !res[0].OK() || !strings.HasSuffix(res[0].Output, ".p7m") {
		t.Fatalf("%+v", res[0])
	}
	opensslVerify(t, card, res[0].Output, "")
	before, _ := os.ReadFile(res[0].Output)
	res = signing.Files(context.Background(), g, in, signing.Options{Enveloping: true}, nil)
	var fe *signing.FileError
	if !errors.As(res[0].Err, &fe) || fe.Code != signing.CodeExists {
		t.Fatalf("second run: %v", res[0].Err)
	}
	after, _ := os.ReadFile(res[0].Output)
	if string(before) != string(after) {
		t.Error("existing output changed")
	}
	res = signing.Files(context.Background(), g, in, signing.Options{Enveloping: true, Overwrite: true}, nil)
	if !res[0].OK() {
		t.Fatalf("overwrite: %v", res[0].Err)
	}
}

// The card pulled out mid-batch: earlier outputs intact, nothing left of the
// current one, the rest reported as not signed, no temporary files.
func TestCardPulledOutMidBatch(t *testing.T) {
	g, tr, _, card := signer(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	in := files(t, dir, 5)
	res := signing.Files(context.Background(), g, in, signing.Options{OutDir: out}, func(e signing.Event) {
		if e.Current == in[2] {
			tr.cut = true
		}
	})
	for i, r := range res {
		switch {
		case i < 2:
			if !r.OK() {
				t.Fatalf("%d: %v", i, r.Err)
			}
			opensslVerify(t, card, r.Output, in[i])
		case i == 2:
			if cardio.CodeOf(r.Err) != cardio.CodeCardRemoved {
				t.Errorf("current file: %v", r.Err)
			}
		default:
			var fe *signing.FileError
			if !errors.As(r.Err, &fe) || fe.Code != signing.CodeSkipped {
				t.Errorf("%d: %v", i, r.Err)
			}
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("output folder holds %v, want the 2 finished signatures", names)
	}
}

// Cancelling between documents stops the batch; unwritable output leaves nothing.
func TestCancelAndWriteFailure(t *testing.T) {
	g, _, _, _ := signer(t)
	dir := t.TempDir()
	in := files(t, dir, 4)
	ctx, cancel := context.WithCancel(context.Background())
	res := signing.Files(ctx, g, in, signing.Options{}, func(e signing.Event) {
		if e.Result != nil && e.Done == 2 {
			cancel()
		}
	})
	for i, r := range res {
		var fe *signing.FileError
		cancelled := errors.As(r.Err, &fe) && fe.Code == signing.CodeCancelled
		if (i < 2) == cancelled {
			t.Errorf("%d: %v", i, r.Err)
		}
	}
	res = signing.Files(context.Background(), g, in[:1], signing.Options{OutDir: filepath.Join(dir, "no", "such", "dir")}, nil)
	var fe *signing.FileError
	if !errors.As(res[0].Err, &fe) || fe.Code != signing.CodeWrite {
		t.Errorf("unwritable: %v", res[0].Err)
	}
	pdf := filepath.Join(dir, "a.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.7\n"), 0o644)
	res = signing.Files(context.Background(), g, []string{pdf}, signing.Options{}, nil)
	if !errors.As(res[0].Err, &fe) || fe.Code != signing.CodeNotPDF {
		t.Errorf("broken PDF: %v", res[0].Err)
	}
	if _, err := os.Stat(signing.OutputPath(pdf, signing.Options{})); err == nil {
		t.Error("a broken PDF left an output")
	}
}

// PDFs in a batch: PAdES by default, valid by pdfsig; an encrypted PDF is
// refused clearly; a document certified with no changes allowed is refused.
func TestPDFBatch(t *testing.T) {
	for _, tool := range []string{"pdfsig", "qpdf", "certutil"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make setup installs it)", tool)
		}
	}
	g, _, _, card := signer(t)
	dir := t.TempDir()
	plain := filepath.Join(dir, "申請書.pdf")
	pdftest.Minimal(t, plain, 2, false)
	enc := filepath.Join(dir, "encrypted.pdf")
	pdftest.QPDF(t, plain, enc, "--encrypt", "", "owner", "256", "--")
	text := filepath.Join(dir, "添付.txt")
	os.WriteFile(text, []byte("添付ファイル"), 0o644)
	res := signing.Files(context.Background(), g, []string{plain, enc, text}, signing.Options{Reason: "申請", Location: "札幌市", Certify: pades.NoChanges}, nil)
	if !res[0].OK() || res[0].Output != filepath.Join(dir, "申請書.signed.pdf") || res[0].Format != "pades-b-b" {
		t.Fatalf("PDF: %+v %v", res[0], res[0].Err)
	}
	var fe *signing.FileError
	if !errors.As(res[1].Err, &fe) || fe.Code != signing.CodeEncrypted {
		t.Errorf("encrypted: %v", res[1].Err)
	}
	if !res[2].OK() || !strings.HasSuffix(res[2].Output, ".p7s") {
		t.Errorf("text file: %+v", res[2])
	}
	nss := pdftest.NSS(t, card.State().RootPEM())
	sigs := pdftest.PDFSig(t, nss, res[0].Output)
	if len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total {
		t.Fatalf("pdfsig: %+v", sigs)
	}
	if tx := pdftest.SigTexts(t, res[0].Output); len(tx) != 1 || tx[0]["/Name"] != vcard.DefaultHolder.Name {
		t.Errorf("signer name: %v", tx)
	}
	// The certification is where other tools look for it: /Perms /DocMDP in
	// the catalog, pointing at a signature with a DocMDP reference.
	certified := false
	for _, o := range pdftest.Objects(t, res[0].Output) {
		if o["/Type"] == "/Catalog" {
			perms, _ := o["/Perms"].(map[string]any)
			certified = perms != nil && perms["/DocMDP"] != nil
		}
	}
	if !certified {
		t.Error("catalog has no /Perms /DocMDP")
	}
	// Certified with no changes allowed: a further signature is refused.
	res = signing.Files(context.Background(), g, []string{res[0].Output}, signing.Options{}, nil)
	if !errors.As(res[0].Err, &fe) || fe.Code != signing.CodeCertified {
		t.Errorf("signing a no-changes certified PDF: %v", res[0].Err)
	}
}

// Level B-T: a local TSA stamps each signature once; the card signs each
// document once; outputs verify (openssl, pdfsig) and carry the token; an
// unreachable TSA fails that file cleanly and leaves nothing.
func TestTimestampBT(t *testing.T) {
	for _, tool := range []string{"pdfsig", "qpdf", "certutil", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make setup installs it)", tool)
		}
	}
	srv := tsatest.Start(t)
	g, tr, s, card := signer(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "doc.pdf")
	pdftest.Minimal(t, pdf, 1, false)
	txt := filepath.Join(dir, "doc.txt")
	os.WriteFile(txt, []byte("timestamped"), 0o644)
	before := s.APDUs()
	res := signing.Files(context.Background(), g, []string{pdf, txt}, signing.Options{TSA: &tsa.Client{URL: srv.URL}}, nil)
	for _, r := range res {
		if !r.OK() {
			t.Fatalf("%s: %v", r.Input, r.Err)
		}
	}
	if res[0].Format != "pades-b-t" || res[1].Format != "cms-detached-b-t" {
		t.Errorf("formats %s %s", res[0].Format, res[1].Format)
	}
	if n := srv.Requests.Load(); n != 2 {
		t.Errorf("%d TSA requests for 2 documents", n)
	}
	if n := s.APDUs() - before; n != 3 { // key EF select + 2 signatures
		t.Errorf("%d APDUs for 2 documents", n)
	}
	_ = tr
	opensslVerify(t, card, res[1].Output, txt)
	out, _ := exec.Command("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", res[1].Output).CombinedOutput()
	if !strings.Contains(string(out), "id-smime-aa-timeStampToken") {
		t.Error("CMS has no signature timestamp")
	}
	nss := pdftest.NSS(t, card.State().RootPEM())
	if sigs := pdftest.PDFSig(t, nss, res[0].Output); len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total {
		t.Fatalf("pdfsig: %+v", sigs)
	}

	res = signing.Files(context.Background(), g, []string{txt}, signing.Options{OutDir: t.TempDir(), TSA: &tsa.Client{URL: "http://127.0.0.1:1/"}}, nil)
	var fe *signing.FileError
	if !errors.As(res[0].Err, &fe) || fe.Code != signing.CodeTimestamp {
		t.Fatalf("unreachable TSA: %v", res[0].Err)
	}
	if _, err := os.Stat(res[0].Output); err == nil {
		t.Error("output left after a failed timestamp")
	}
}

// A PDF written to while it is being signed (here between reading its
// structure and copying it, through the clock the signer asks) is not
// signed: file_changed, nothing left in the folder, the card not used, and
// the next file of the batch is signed; the digests reported for a signed
// PDF are those of the input and of the output on disk.
func TestPDFChangedWhileSigned(t *testing.T) {
	g, tr, _, _ := signer(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf")
	pdftest.Minimal(t, a, 2, false)
	if err := pdftest.WriteBig(b, 3<<20); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	calls := 0
	now := func() time.Time {
		calls++
		if calls == 1 { // a.pdf, after it was opened
			f, err := os.OpenFile(a, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte("\n% appended\n"))
			f.Close()
		}
		return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	}
	before := tr.n
	res := signing.Files(context.Background(), g, []string{a, b}, signing.Options{OutDir: out, Now: now}, nil)
	var fe *signing.FileError
	if !errors.As(res[0].Err, &fe) || fe.Code != signing.CodeChanged {
		t.Fatalf("a.pdf: %v", res[0].Err)
	}
	if !res[1].OK() {
		t.Fatalf("b.pdf: %v", res[1].Err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "b.signed.pdf" {
		t.Errorf("output folder holds %v", entries)
	}
	if tr.n-before != 2 { // select the key, sign b.pdf
		t.Errorf("%d APDUs for one signed file", tr.n-before)
	}
	for path, want := range map[string]string{b: res[1].InputSHA256, res[1].Output: res[1].OutputSHA256} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(data)); got != want {
			t.Errorf("%s: digest %s, reported %s", path, got, want)
		}
	}
}
