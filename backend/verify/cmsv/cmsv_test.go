package cmsv_test

import (
	"bufio"
	"bytes"
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

const corpus = "../../../../shared/corpus"

func fileHash(path string) cmsv.ContentHash {
	return func(h crypto.Hash) ([]byte, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		hh := h.New()
		hh.Write(b)
		return hh.Sum(nil), nil
	}
}

// The corpus CMS cases get the expected integrity verdict.
func TestCorpusCMS(t *testing.T) {
	f, err := os.Open(filepath.Join(corpus, "cms-expected.tsv"))
	if err != nil {
		t.Skip("shared corpus not found")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		file, data, want := col[0], col[1], col[2]
		t.Run(file+"+"+data, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(corpus, file))
			if err != nil {
				t.Fatal(err)
			}
			s, err := cmsv.Parse(raw)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var content cmsv.ContentHash
			if data != "-" {
				content = fileHash(filepath.Join(corpus, data))
			}
			r := s.Verify(0, content)
			got := "0"
			if r.Intact() {
				got = "1"
			}
			t.Logf("%s: intact=%s digest=%v sig=%v nonDER=%v binding=%q err=%v", file, got, r.DigestOK, r.SignatureOK, r.NonDERAttrs, r.CertBinding, r.Err)
			if want != "?" && got != want {
				t.Errorf("intact %s, want %s", got, want)
			}
		})
	}
}

// What Shomei signs with the card verifies, detached and enveloping, and
// fails when one byte of the content changes.
func TestOwnSignatures(t *testing.T) {
	g, _ := vcardtest.Signer(t)
	content := []byte("申請データ")
	d, _, _ := cms.Digest(bytes.NewReader(content))
	now := time.Now()
	sig, err := cms.SignDigest(cms.Request{Signer: g, Cert: g.Certificate(), SigningTime: &now}, d)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := cmsv.Parse(sig.Detached())
	if err != nil {
		t.Fatal(err)
	}
	hash := func(b []byte) cmsv.ContentHash {
		return func(h crypto.Hash) ([]byte, error) { hh := h.New(); hh.Write(b); return hh.Sum(nil), nil }
	}
	if r := parsed.Verify(0, hash(content)); !r.Intact() || r.CertBinding != "v2" || r.SigningTime == nil {
		t.Errorf("own detached: %+v", r)
	}
	if r := parsed.Verify(0, hash(append([]byte("X"), content...))); r.Intact() || r.DigestOK {
		t.Error("changed content verified")
	}
	var env bytes.Buffer
	sig.WriteEnveloping(&env, bytes.NewReader(content), int64(len(content)))
	parsed, err = cmsv.Parse(env.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r := parsed.Verify(0, nil); !r.Intact() || !bytes.Equal(parsed.EContent, content) {
		t.Errorf("own enveloping: %+v", r)
	}
}
