package pdfv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

func verifyFile(t *testing.T, path string) []*Signature {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	sigs, err := Find(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sigs {
		s.Verify(f, st.Size())
	}
	return sigs
}

// What Shomei signs with the virtual card is intact and whole; twice signed,
// both are intact and only the last is whole; a flipped byte breaks it.
func TestOwnPDF(t *testing.T) {
	dir := t.TempDir()
	sign := func(in, out string) { signPDF(t, in, out, pades.Approval) }
	in := filepath.Join(dir, "in.pdf")
	pdftest.Minimal(t, in, 1, true)
	one, two := filepath.Join(dir, "1.pdf"), filepath.Join(dir, "2.pdf")
	sign(in, one)
	sign(one, two)
	if sigs := verifyFile(t, one); len(sigs) != 1 || !sigs[0].Intact || !sigs[0].Whole || sigs[0].Signer.CertBinding != "v2" {
		t.Fatalf("one signature: %+v", sigs)
	}
	sigs := verifyFile(t, two)
	if len(sigs) != 2 || !sigs[0].Intact || sigs[0].Whole || !sigs[1].Intact || !sigs[1].Whole {
		t.Fatalf("two signatures: %+v %+v", sigs[0], sigs[1])
	}
	raw, _ := os.ReadFile(one)
	raw[100] ^= 0x01
	bad := filepath.Join(dir, "bad.pdf")
	os.WriteFile(bad, raw, 0o644)
	if sigs := verifyFile(t, bad); len(sigs) != 1 || sigs[0].Intact {
		t.Fatal("a changed byte went unnoticed")
	}
	raw, _ = os.ReadFile(one)
	os.WriteFile(bad, append(raw, []byte("\n% appended\n")...), 0o644)
	if sigs := verifyFile(t, bad); len(sigs) != 1 || !sigs[0].Intact || sigs[0].Whole {
		t.Fatal("appended bytes: the signature should stay intact but no longer cover the whole file")
	}
}
