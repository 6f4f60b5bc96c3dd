package cmsv_test

import (
	"bytes"
	"crypto"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/cmsv"
)

// FuzzParse: no input makes the CMS parser or verifier panic or hang.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"dss-2011__cades-detached.p7s", "dss-2011__cades-enveloping.p7m", "dss-667__DER_reordered_prova.txt.p7m"} {
		if b, err := os.ReadFile(filepath.Join(corpus, "cms", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80, 0x30, 0x80, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		fromFile(t, b)
		s, err := cmsv.Parse(b)
		if err != nil {
			return
		}
		for i := 0; i < s.Signers(); i++ {
			s.Verify(i, func(h crypto.Hash) ([]byte, error) { return make([]byte, h.Size()), nil })
		}
	})
}

// fromFile runs ParseFile over b (no panic, bounded) and, when it reads a
// signature, hashes the content it located.
func fromFile(t *testing.T, b []byte) {
	s, emb, err := cmsv.ParseFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return
	}
	if emb != nil {
		if _, err := emb.Hash(crypto.SHA256); err != nil {
			t.Fatalf("located content cannot be read: %v", err)
		}
	}
	for i := 0; i < s.Signers() && i < 8; i++ {
		s.Verify(i, func(h crypto.Hash) ([]byte, error) { return make([]byte, h.Size()), nil })
	}
}
