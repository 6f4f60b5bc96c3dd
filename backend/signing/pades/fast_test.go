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

// The copy written with direct I/O, the copy through the page cache (where
// the file system does not do direct I/O), a copy whose chunks are not
// aligned (direct I/O for the first, the rest through the page cache) and
// one whose direct writes the kernel refuses (buffers not aligned: all
// through the page cache), in many small chunks and a tail that is not aligned, are the
// original byte for byte: pdfsig and shomei verify find the signature valid
// over the whole file, and the digests of the one pass are those of the
// files.
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
	for _, c := range []struct {
		name           string
		chunk          int64
		direct, skewed bool
	}{
		{"direct I/O", 64 << 10, true, false},
		{"page cache", 64 << 10, false, false},
		{"chunks not aligned", 64<<10 + 100, true, false},
		{"direct I/O refused", 64 << 10, true, true},
	} {
		restore := pades.SetCopy(c.chunk, c.direct, nil)
		undo := func() {}
		if c.skewed {
			undo = pades.MisalignBuffers()
		}
		out := filepath.Join(dir, "out.pdf")
		os.Remove(out)
		dg, calls, err := signFile(t, g, in, out)
		restore()
		undo()
		if err != nil || calls != 1 {
			t.Fatalf("%s: %v (%d card calls)", c.name, err, calls)
		}
		signed := mustRead(t, out)
		if !bytes.Equal(signed[:len(orig)], orig) {
			t.Fatalf("%s: the signed file does not start with the original", c.name)
		}
		if sum := sha256.Sum256(orig); !bytes.Equal(dg.Input, sum[:]) {
			t.Errorf("%s: input digest %x, file %x", c.name, dg.Input, sum)
		}
		if sum := sha256.Sum256(signed); !bytes.Equal(dg.Output, sum[:]) {
			t.Errorf("%s: output digest %x, file %x", c.name, dg.Output, sum)
		}
		sigs := pdftest.PDFSig(t, nss, out)
		if len(sigs) != 1 || !sigs[0].Valid || !sigs[0].Total {
			t.Fatalf("%s: pdfsig: %+v", c.name, sigs)
		}
		rep, err := verify.File(out, verify.Options{})
		if err != nil || len(rep.Signatures) != 1 || !rep.Signatures[0].Intact || !rep.Signatures[0].CoversWholeFile {
			t.Fatalf("%s: shomei verify: %v %+v", c.name, err, rep)
		}
		if sum := sha256.Sum256(signed); rep.SHA256 != hexOf(sum[:]) {
			t.Errorf("%s: verify's file digest %s", c.name, rep.SHA256)
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
			for _, direct := range []bool{true, false} {
				d, err := pades.Open(in)
				if err != nil {
					t.Fatal(err)
				}
				if hook == nil {
					rewrite(0, orig[:1])
				}
				restore := pades.SetCopy(64<<10, direct, hook)
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
					t.Errorf("direct I/O %v: %v, %d card calls", direct, err, calls)
				}
				if err := os.WriteFile(in, orig, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
