package pades_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/cardio/jpki"
)

// signFile signs in into a new file out with SignFile and counts the card
// operations.
func signFile(t *testing.T, g *jpki.Signer, in, out string) (pades.Digests, int, error) {
	t.Helper()
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
	calls := 0
	dg, err := d.SignFile(f, jaOpts, len(g.CertificateDER()), func(digest []byte) ([]byte, error) {
		calls++
		sig, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g, Cert: g.Certificate()}), digest)
		if err != nil {
			return nil, err
		}
		return sig.Detached(), nil
	})
	return dg, calls, err
}

// The copy made by the kernel (and the read-and-write copy used where the
// kernel cannot copy), in many small chunks, is the original byte for
// byte: pdfsig and shomei verify find the signature valid over the whole
// file, and the digests of the one pass are those of the files.
func TestSignFileChunks(t *testing.T) {
	tools(t)
	g, card := cardSigner(t)
	nss := pdftest.NSS(t, card.State().RootPEM())
	dir := t.TempDir()
	in := filepath.Join(dir, "big.pdf")
	if err := pdftest.WriteBig(in, 300<<10+123); err != nil {
		t.Fatal(err)
	}
	orig := mustRead(t, in)
	for _, kernel := range []bool{true, false} {
		restore := pades.SetCopy(64<<10, kernel, nil)
		out := filepath.Join(dir, "out.pdf")
		os.Remove(out)
		dg, calls, err := signFile(t, g, in, out)
		restore()
		if err != nil || calls != 1 {
			t.Fatalf("kernel copy %v: %v (%d card calls)", kernel, err, calls)
		}
		signed := mustRead(t, out)
		if !bytes.Equal(signed[:len(orig)], orig) {
			t.Fatalf("kernel copy %v: the signed file does not start with the original", kernel)
		}
		if sum := sha256.Sum256(orig); !bytes.Equal(dg.Input, sum[:]) {
			t.Errorf("kernel copy %v: input digest %x, file %x", kernel, dg.Input, sum)
		}
		if sum := sha256.Sum256(signed); !bytes.Equal(dg.Output, sum[:]) {
			t.Errorf("kernel copy %v: output digest %x, file %x", kernel, dg.Output, sum)
		}
		sigs := pdftest.PDFSig(t, nss, out)
		if len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total {
			t.Fatalf("kernel copy %v: pdfsig: %+v", kernel, sigs)
		}
		rep, err := verify.File(out, verify.Options{})
		if err != nil || len(rep.Signatures) != 1 || !rep.Signatures[0].Intact || !rep.Signatures[0].CoversWholeFile {
			t.Fatalf("kernel copy %v: shomei verify: %v %+v", kernel, err, rep)
		}
		if sum := sha256.Sum256(signed); rep.SHA256 != hexOf(sum[:]) {
			t.Errorf("kernel copy %v: verify's file digest %s", kernel, rep.SHA256)
		}
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// A write to the original after it was opened (before or during its copy,
// even one that keeps its size and bytes) is caught: ErrChanged, and the
// card is not used.
func TestSignFileChanged(t *testing.T) {
	g, _ := cardSigner(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "big.pdf")
	if err := pdftest.WriteBig(in, 300<<10); err != nil {
		t.Fatal(err)
	}
	orig := mustRead(t, in)
	rewrite := func(off int64, b []byte) {
		f, err := os.OpenFile(in, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	cases := map[string]func(copied int64){
		// The same byte written again: only the write itself tells.
		"same bytes, before the copy": nil,
		"a byte not copied yet": func(copied int64) {
			if copied == 64<<10 {
				rewrite(200<<10, []byte{orig[200<<10] ^ 0xFF})
			}
		},
		"a byte copied already": func(copied int64) {
			if copied == 128<<10 {
				rewrite(10, []byte{orig[10] ^ 0xFF})
			}
		},
		"cut short": func(copied int64) {
			if copied == 64<<10 {
				os.Truncate(in, 100<<10)
			}
		},
	}
	for name, hook := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(in, orig, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, kernel := range []bool{true, false} {
				d, err := pades.Open(in)
				if err != nil {
					t.Fatal(err)
				}
				if hook == nil {
					rewrite(0, orig[:1])
				}
				restore := pades.SetCopy(64<<10, kernel, hook)
				f, err := os.Create(filepath.Join(dir, "out.pdf"))
				if err != nil {
					t.Fatal(err)
				}
				calls := 0
				_, err = d.SignFile(f, jaOpts, len(g.CertificateDER()), func([]byte) ([]byte, error) { calls++; return nil, errors.New("signed") })
				restore()
				f.Close()
				d.Close()
				if !errors.Is(err, pades.ErrChanged) || calls != 0 {
					t.Errorf("kernel copy %v: %v, %d card calls", kernel, err, calls)
				}
				if err := os.WriteFile(in, orig, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
