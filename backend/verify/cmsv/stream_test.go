package cmsv_test

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/cmsv"
)

// ParseFile reads what Parse reads, without holding the content: the same
// signers and certificates, the content located piece by piece (its digest
// the one of Parse's EContent), the same integrity verdict; a byte changed
// in the content breaks it. Cases: openssl's streamed BER (indefinite
// lengths, the content in pieces) and DER, enveloping and detached, and
// the corpus's CMS files.
func TestParseFileAgreesWithParse(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is needed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	key, cert := filepath.Join(dir, "k.pem"), filepath.Join(dir, "c.pem")
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=stream", "-days", "2")
	content := filepath.Join(dir, "content.bin")
	data := bytes.Repeat([]byte("Shomei streams the content. "), 200_000) // 5.6 MB
	os.WriteFile(content, data, 0o644)
	var files []string
	for _, c := range []struct {
		name  string
		extra []string
	}{
		{"ber-stream.p7m", []string{"-nodetach", "-stream"}},
		{"der.p7m", []string{"-nodetach"}},
		{"detached.p7s", nil},
	} {
		name, extra := c.name, c.extra
		out := filepath.Join(dir, name)
		run(append([]string{"cms", "-sign", "-binary", "-in", content, "-signer", cert, "-inkey", key, "-outform", "DER", "-out", out}, extra...)...)
		files = append(files, out)
	}
	raw, _ := os.ReadFile(files[0])
	if !bytes.HasPrefix(raw, []byte{0x30, 0x80}) {
		t.Fatalf("openssl -stream wrote a definite length: %x", raw[:4])
	}
	corpusFiles, _ := filepath.Glob(filepath.Join(corpus, "cms", "*.p7[sm]"))
	files = append(files, corpusFiles...)
	checked := 0
	for _, p := range files {
		raw, _ := os.ReadFile(p)
		mem, err := cmsv.Parse(raw)
		f, _ := os.Open(p)
		st, _ := f.Stat()
		fs, emb, ferr := cmsv.ParseFile(f, st.Size())
		if (err == nil) != (ferr == nil) {
			t.Errorf("%s: Parse %v, ParseFile %v", filepath.Base(p), err, ferr)
			f.Close()
			continue
		}
		if err != nil {
			f.Close()
			continue
		}
		checked++
		if mem.Signers() != fs.Signers() || len(mem.Certs) != len(fs.Certs) || fs.EContent != nil || (mem.EContent == nil) != (emb == nil) {
			t.Errorf("%s: signers %d/%d certs %d/%d content %v/%v", filepath.Base(p), mem.Signers(), fs.Signers(), len(mem.Certs), len(fs.Certs), mem.EContent != nil, emb != nil)
		}
		var ch cmsv.ContentHash
		if emb != nil {
			want := sha256.Sum256(mem.EContent)
			got, err := emb.Hash(crypto.SHA256)
			if err != nil || !bytes.Equal(got, want[:]) || emb.Size != int64(len(mem.EContent)) {
				t.Errorf("%s: content %x (%d bytes), want %x (%d): %v", filepath.Base(p), got, emb.Size, want, len(mem.EContent), err)
			}
			ch = emb.ContentHash()
		} else {
			ch = fileHash(content) // the detached cases of the corpus do not match it: both must agree anyway
		}
		for i := 0; i < mem.Signers(); i++ {
			a, b := mem.Verify(i, nilIfEnveloping(mem, ch)), fs.Verify(i, ch)
			if a.Intact() != b.Intact() || a.DigestOK != b.DigestOK || a.SignatureOK != b.SignatureOK {
				t.Errorf("%s signer %d: in memory %+v, from the file %+v", filepath.Base(p), i, a, b)
			}
		}
		f.Close()
	}
	if checked < 3 { // openssl's three, and the corpus's when it is there
		t.Fatalf("only %d signatures compared", checked)
	}
	// The streamed BER one verifies, and one byte changed in its content
	// does not.
	for _, flip := range []bool{false, true} {
		b := append([]byte(nil), raw...)
		if flip {
			i := bytes.Index(b, []byte("streams the content"))
			b[i+len(b)/2%1000] ^= 1
		}
		p := filepath.Join(dir, "x.p7m")
		os.WriteFile(p, b, 0o644)
		f, _ := os.Open(p)
		s, emb, err := cmsv.ParseFile(f, int64(len(b)))
		if err != nil || emb == nil {
			t.Fatalf("flip %v: %v", flip, err)
		}
		if r := s.Verify(0, emb.ContentHash()); r.Intact() == flip {
			t.Errorf("flip %v: intact %v", flip, r.Intact())
		}
		f.Close()
	}
}

func nilIfEnveloping(s *cmsv.Signed, ch cmsv.ContentHash) cmsv.ContentHash {
	if s.EContent != nil {
		return nil
	}
	return ch
}
