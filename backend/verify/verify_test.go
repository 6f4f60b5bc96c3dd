package verify_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// signed makes a PDF and a text file signed by the virtual card (with opt),
// and returns the outputs: PDF, detached CMS, the text file.
func signed(t testing.TB, opt signing.Options) (pdf, p7s, txt string) {
	t.Helper()
	g, _ := vcardtest.Signer(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "申請書.pdf")
	pdftest.Minimal(t, in, 1, false)
	txt = filepath.Join(dir, "data.txt")
	os.WriteFile(txt, []byte("申請内容\n"), 0o644)
	res := signing.Files(context.Background(), g, []string{in, txt}, opt, nil)
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	return res[0].Output, res[1].Output, txt
}

func testRoot(t testing.TB) *trust.Store {
	t.Helper()
	s := trust.NewStore()
	b, _ := pem.Decode(vcardtest.State(t).RootPEM())
	if _, err := s.AddUser(b.Bytes, "virtual card"); err != nil {
		t.Fatal(err)
	}
	return s
}

func only(t *testing.T, r *verify.FileReport) verify.SigReport {
	t.Helper()
	if len(r.Signatures) != 1 {
		t.Fatalf("%d signatures: %+v", len(r.Signatures), r)
	}
	return r.Signatures[0]
}

// What Shomei signs with the virtual card passes when the test root is
// trusted, and is INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND when not.
func TestOwnSignatures(t *testing.T) {
	pdf, p7s, txt := signed(t, signing.Options{})
	for _, path := range []string{pdf, p7s} {
		r, err := verify.File(path, verify.Options{Trust: testRoot(t)})
		if err != nil {
			t.Fatal(err)
		}
		s := only(t, r)
		if !r.Passed() || s.Indication != verify.Passed || !s.Intact || !s.CoversWholeFile || s.ChangesAfter != "none" {
			t.Fatalf("%s: %+v", path, s)
		}
		if s.Signer == nil || s.Signer.Name != "署名 花子" || !s.Signer.JPKI.IsJPKI || !s.Signer.JPKI.Test || s.Signer.JPKI.Kind != "signing" {
			t.Fatalf("signer: %+v", s.Signer)
		}
		if s.TrustAnchor == nil || !s.TrustAnchor.Test || s.TrustAnchor.Source != trust.SourceUser || s.Revocation.Status != "not_checked" {
			t.Fatalf("anchor %+v revocation %+v", s.TrustAnchor, s.Revocation)
		}
		if !strings.Contains(s.Sentence.JA, "署名 花子") || !strings.Contains(s.Sentence.EN, "TEST root") || !strings.Contains(s.Sentence.EN, "not checked") {
			t.Fatalf("sentence: %+v", s.Sentence)
		}
		if r.Kind == "cms" && r.Data != txt {
			t.Fatalf("the detached data was not found beside the signature: %q", r.Data)
		}

		r, _ = verify.File(path, verify.Options{})
		s = only(t, r)
		if r.Passed() || s.Indication != verify.Indeterminate || s.Subindication != verify.NoChainFound || !s.Intact || s.TrustAnchor != nil {
			t.Fatalf("untrusted: %+v", s)
		}
	}
	if sum := mustFile(t, pdf); sum.SHA256 == "" || len(sum.SHA256) != 64 {
		t.Fatalf("file digest: %q", sum.SHA256)
	}
}

func mustFile(t *testing.T, path string) *verify.FileReport {
	t.Helper()
	r, err := verify.File(path, verify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCMSFailures(t *testing.T) {
	_, p7s, txt := signed(t, signing.Options{})
	other := filepath.Join(t.TempDir(), "other.txt")
	os.WriteFile(other, []byte("申請内容!\n"), 0o644)
	r, _ := verify.File(p7s, verify.Options{Trust: testRoot(t), Data: other})
	if s := only(t, r); s.Indication != verify.Failed || s.Subindication != verify.HashFailure || s.Intact {
		t.Fatalf("other data: %+v", s)
	}
	// Without the data beside it and without --data.
	lone := filepath.Join(t.TempDir(), "lone.p7s")
	raw, _ := os.ReadFile(p7s)
	os.WriteFile(lone, raw, 0o644)
	r, _ = verify.File(lone, verify.Options{Trust: testRoot(t)})
	if s := only(t, r); s.Indication != verify.Indeterminate || s.Subindication != verify.SignedDataNotFound {
		t.Fatalf("no data: %+v", s)
	}
	// A flipped bit in the signature value.
	raw[len(raw)-10] ^= 1
	os.WriteFile(lone, raw, 0o644)
	r, _ = verify.File(lone, verify.Options{Trust: testRoot(t), Data: txt})
	if s := only(t, r); s.Indication != verify.Failed || s.Subindication != verify.SigCryptoFailure {
		t.Fatalf("flipped: %+v", s)
	}
	// Not a signature at all.
	r, _ = verify.File(txt, verify.Options{})
	if r.Passed() || len(r.Signatures) != 0 || len(r.Errors) == 0 || r.Indication != verify.Failed {
		t.Fatalf("plain text: %+v", r)
	}
	// Enveloping.
	g, _ := vcardtest.Signer(t)
	res := signing.Files(context.Background(), g, []string{txt}, signing.Options{Enveloping: true, OutDir: t.TempDir()}, nil)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	r, _ = verify.File(res[0].Output, verify.Options{Trust: testRoot(t)})
	if s := only(t, r); !r.Passed() || s.Format != "cms-enveloping" {
		t.Fatalf("enveloping: %+v", s)
	}
}

// A CRL from the card's CA: revoked before now without a timestamp is
// REVOKED_NO_POE; a CRL that does not list it gives good; a CRL from another
// key cannot answer (TRY_LATER).
func TestRevocation(t *testing.T) {
	pdf, _, _ := signed(t, signing.Options{})
	st := vcardtest.State(t)
	leaf, _ := x509.ParseCertificate(st.SignCertDER())
	dir := t.TempDir()
	crl := func(name string, revoked bool) string {
		tmpl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: time.Now().Add(-time.Hour), NextUpdate: time.Now().Add(24 * time.Hour)}
		if revoked {
			tmpl.RevokedCertificateEntries = []x509.RevocationListEntry{{SerialNumber: leaf.SerialNumber, RevocationTime: time.Now().Add(-time.Minute), ReasonCode: 1}}
		}
		der, err := x509.CreateRevocationList(rand.Reader, tmpl, st.Root(), st.RootSigner())
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, der, 0o644)
		return p
	}
	for _, c := range []struct {
		crl, status, ind, sub string
	}{
		{crl("good.crl", false), "good", verify.Passed, ""},
		{crl("revoked.crl", true), "revoked", verify.Indeterminate, verify.RevokedNoPOE},
	} {
		crls, err := trust.LoadCRLs(c.crl)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := verify.File(pdf, verify.Options{Trust: testRoot(t), CRLs: crls})
		s := only(t, r)
		if s.Revocation.Status != c.status || s.Indication != c.ind || s.Subindication != c.sub {
			t.Fatalf("%s: %+v / %s %s", c.crl, s.Revocation, s.Indication, s.Subindication)
		}
	}
}

// A B-T signature: the timestamp is checked and, with the TSA trusted, its
// time is the proof the chain is checked at.
func TestTimestamp(t *testing.T) {
	ts := tsatest.Start(t)
	pdf, p7s, _ := signed(t, signing.Options{TSA: &tsa.Client{URL: ts.URL}})
	store := testRoot(t)
	b, _ := pem.Decode(ts.RootPEM())
	for _, path := range []string{pdf, p7s} {
		r, _ := verify.File(path, verify.Options{Trust: store})
		s := only(t, r)
		if s.Timestamp == nil || !s.Timestamp.Intact || s.Timestamp.Trusted || s.Timestamp.Chain != trust.StatusNoChain || !r.Passed() {
			t.Fatalf("untrusted TSA: %+v %+v", s.Timestamp, s)
		}
	}
	if _, err := store.AddUser(b.Bytes, "test TSA"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{pdf, p7s} {
		r, _ := verify.File(path, verify.Options{Trust: store})
		s := only(t, r)
		if s.Timestamp == nil || !s.Timestamp.Trusted || time.Since(s.Timestamp.Time) > time.Hour || !r.Passed() {
			t.Fatalf("trusted TSA: %+v", s.Timestamp)
		}
	}
}

// The revision a signature covers is extracted byte for byte.
func TestExtractRevision(t *testing.T) {
	pdf, _, _ := signed(t, signing.Options{})
	g, _ := vcardtest.Signer(t)
	res := signing.Files(context.Background(), g, []string{pdf}, signing.Options{OutDir: t.TempDir()}, nil)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	two := res[0].Output
	r := mustFile(t, two)
	if len(r.Signatures) != 2 || r.Signatures[0].CoversWholeFile || r.Signatures[0].ChangesAfter != "allowed" {
		t.Fatalf("%+v", r.Signatures)
	}
	out := filepath.Join(t.TempDir(), "rev1.pdf")
	n, err := verify.ExtractRevision(two, 1, out)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(pdf)
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, want) || n != int64(len(want)) {
		t.Fatalf("extracted %d bytes, the signed file had %d", len(got), len(want))
	}
	if _, err := verify.ExtractRevision(two, 1, out); err == nil {
		t.Fatal("an existing output was replaced")
	}
	if _, err := verify.ExtractRevision(two, 3, filepath.Join(t.TempDir(), "x.pdf")); err == nil {
		t.Fatal("signature 3 of 2")
	}
}

const corpus = "../../../shared/corpus"

// The corpus: nothing passes without its foreign roots; FAILED exactly for
// broken signatures and disallowed changes; every signature has a sentence.
func TestCorpusIndications(t *testing.T) {
	f, err := os.Open(filepath.Join(corpus, "expected.tsv"))
	if err != nil {
		t.Skip("shared corpus not found")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		name, intact, tamper := col[0], col[3], col[5]
		t.Run(name, func(t *testing.T) {
			r, err := verify.File(filepath.Join(corpus, name), verify.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Passed() {
				t.Fatal("passed without a trust anchor")
			}
			failed := false
			for _, s := range r.Signatures {
				if s.Sentence.JA == "" || s.Sentence.EN == "" || s.Indication == "" {
					t.Errorf("signature %d without a verdict: %+v", s.Index, s)
				}
				failed = failed || s.Indication == verify.Failed
				t.Logf("%d %s %s/%s: %s", s.Index, s.Type, s.Indication, s.Subindication, s.Sentence.EN)
			}
			wantFailed := tamper == "broken" || tamper == "disallowed" || strings.Contains(intact, "0")
			if intact != "?" && failed != wantFailed {
				t.Errorf("FAILED=%v, want %v (tamper %s)", failed, wantFailed, tamper)
			}
		})
	}
}

// Every change kind, indication and sub-indication a report can carry has
// its words in both languages.
func TestEveryVerdictIsTranslated(t *testing.T) {
	keys := []string{}
	for _, k := range append(append([]string{}, pdfv.Kinds...), verify.RenderKinds...) {
		keys = append(keys, "verify.change."+k)
	}
	for _, k := range pdfv.Whys {
		keys = append(keys, "verify.why."+k)
	}
	for _, k := range pdfv.Warns {
		keys = append(keys, "verify.note."+k)
	}
	if len(pdfv.Kinds) < 20 || len(pdfv.Whys) < 10 || len(pdfv.Warns) < 2 {
		t.Fatal("lists of codes lost")
	}
	for _, k := range []string{"PASSED", "FAILED.FORMAT_FAILURE", "FAILED.HASH_FAILURE", "FAILED.SIG_CRYPTO_FAILURE", "FAILED.EXPIRED", "FAILED.NOT_YET_VALID", "FAILED.REVOKED",
		"INDETERMINATE.NO_SIGNING_CERTIFICATE_FOUND", "INDETERMINATE.NO_CERTIFICATE_CHAIN_FOUND", "INDETERMINATE.CERTIFICATE_CHAIN_GENERAL_FAILURE",
		"INDETERMINATE.CHAIN_CONSTRAINTS_FAILURE", "INDETERMINATE.OUT_OF_BOUNDS_NO_POE", "INDETERMINATE.NOT_YET_VALID", "INDETERMINATE.REVOKED_NO_POE",
		"INDETERMINATE.TRY_LATER", "INDETERMINATE.GENERIC", "INDETERMINATE.FORMAT_FAILURE", "INDETERMINATE.SIGNED_DATA_NOT_FOUND"} {
		keys = append(keys, "verify."+k)
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("no sentence for %s", k)
		}
	}
}
