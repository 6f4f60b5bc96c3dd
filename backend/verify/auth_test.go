package verify_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// A document signed with the card's authentication (利用者証明用) key,
// through the card, intact and chained to the trusted test root, is never
// PASSED as a person's signature: INDETERMINATE with a plain sentence.
func TestAuthenticationKeySignature(t *testing.T) {
	card := vcardtest.New(t)
	s := jpki.NewSession(card)
	cid, err := s.CardID()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := pin.Parse(pin.Auth, []byte("1234"))
	if err := s.Verify(jpki.Attempt{PIN: pin.Auth, Secret: p, Seen: jpki.Observed{CardID: cid, TriesLeft: 3}}); err != nil {
		t.Fatal(err)
	}
	g, err := s.Signer(jpki.AuthKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "contract.txt")
	content := []byte("契約書\n")
	os.WriteFile(data, content, 0o644)
	d := sha256.Sum256(content)
	sig, err := cms.SignDigest(cms.Request{Signer: g, Cert: g.Certificate()}, d[:])
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(data+".p7s", sig.Detached(), 0o644)

	r, err := verify.File(data+".p7s", verify.Options{Trust: testRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	sr := only(t, r)
	if r.Passed() || sr.Indication != verify.Indeterminate || sr.Subindication != verify.ChainConstraintsFailure || !sr.Intact {
		t.Fatalf("authentication-key signature: %s/%s intact=%v", sr.Indication, sr.Subindication, sr.Intact)
	}
	if sr.Signer == nil || sr.Signer.JPKI.Kind != "auth" {
		t.Fatalf("signer: %+v", sr.Signer)
	}
	if !strings.Contains(sr.Sentence.JA, "利用者証明用") || !strings.Contains(sr.Sentence.EN, "user-authentication certificate") {
		t.Errorf("sentence: %+v", sr.Sentence)
	}
	// The same content signed with the signing key passes (control).
	sg, _ := vcardtest.SignerOver(t, card)
	sig2, err := cms.SignDigest(cms.Request{Signer: sg, Cert: sg.Certificate()}, d[:])
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(data+".p7s", sig2.Detached(), 0o644)
	if r, err := verify.File(data+".p7s", verify.Options{Trust: testRoot(t)}); err != nil || !r.Passed() {
		t.Fatalf("signing key: %v %+v", err, r)
	}
}
