package egov_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func needXmlsec(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("xmlsec1"); err != nil {
		t.Skip("xmlsec1 not installed (make setup installs it)")
	}
}

// xmlsecVerify runs xmlsec1 on a kousei.xml; the file References resolve
// against the folder (relative URIs are "remote" to xmlsec1).
func xmlsecVerify(t *testing.T, kousei, trusted string) (bool, string) {
	t.Helper()
	cmd := exec.Command("xmlsec1", "--verify", "--id-attr:ID", egov.TargetID,
		"--enabled-reference-uris", "same-doc,local,remote", "--trusted-pem", trusted, filepath.Base(kousei))
	cmd.Dir = filepath.Dir(kousei)
	o, err := cmd.CombinedOutput()
	return err == nil, string(o)
}

func shomeiIntact(path string) bool {
	r, err := egov.Verify(path)
	return err == nil && len(r.Signatures) == 1 && r.Signatures[0].Intact()
}

// xmlsec1 checks what Shomei signs, in the variant with a plain
// "#構成情報" (xmlsec1 does not resolve the percent-encoded form).
func TestXmlsec1ReadsShomei(t *testing.T) {
	needXmlsec(t)
	card := vcardtest.New(t)
	g, _ := vcardtest.SignerOver(t, card)
	dir := copyApp(t)
	p, err := egov.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := p.Sign(g, egov.SignOptions{PlainFragment: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Write(signed, egov.OutputFor(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(root, card.State().RootPEM(), 0o644)
	kousei := filepath.Join(out.Dir, egov.KouseiName)
	if ok, o := xmlsecVerify(t, kousei, root); !ok || !strings.Contains(o, "SignedInfo References (ok/all): 3/3") {
		t.Fatalf("xmlsec1 refuses Shomei's signature:\n%s", o)
	}
	if !shomeiIntact(kousei) {
		t.Error("shomei refuses its own plain-fragment signature")
	}
}

// Shomei reads what xmlsec1 signs, and agrees with it on every tampered
// variant.
func TestShomeiReadsXmlsec1(t *testing.T) {
	needXmlsec(t)
	work := t.TempDir()
	key, cert := filepath.Join(work, "key.pem"), filepath.Join(work, "cert.pem")
	if o, err := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
		"-days", "30", "-subj", "/CN=xmlsec1 test signer").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	dir := copyApp(t)
	base, _ := os.ReadFile(filepath.Join(dir, egov.KouseiName))
	const tpl = `<署名情報><Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="xmlsec1"><SignedInfo>` +
		`<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>` +
		`<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
		`<Reference URI="#構成情報"><Transforms><Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/></Transforms>` +
		`<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>` +
		`<Reference URI="900A01020000100001_01.xml"><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>` +
		`<Reference URI="%E5%A5%91%E7%B4%84%E6%9B%B8.txt"><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>` +
		"</SignedInfo>\n  <SignatureValue/>\n  <KeyInfo><X509Data/></KeyInfo></Signature></署名情報>"
	os.WriteFile(filepath.Join(dir, "tpl.xml"), []byte(strings.Replace(string(base), "<署名情報/>", tpl, 1)), 0o644)
	cmd := exec.Command("xmlsec1", "--sign", "--privkey-pem", key+","+cert, "--id-attr:ID", egov.TargetID,
		"--enabled-reference-uris", "same-doc,local,remote", "--output", egov.KouseiName, "tpl.xml")
	cmd.Dir = dir
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xmlsec1 --sign: %v\n%s", err, o)
	}
	os.Remove(filepath.Join(dir, "tpl.xml"))
	kousei := filepath.Join(dir, egov.KouseiName)
	signed, _ := os.ReadFile(kousei)
	s := string(signed)
	file := filepath.Join(dir, "契約書.txt")
	fileBytes, _ := os.ReadFile(file)
	sv := strings.Index(s, "<SignatureValue>") + len("<SignatureValue>")
	flip := func(i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	variants := []struct {
		name  string
		doc   string
		file  []byte
		valid bool
	}{
		{"as signed", s, fileBytes, true},
		{"構成情報 changed", strings.Replace(s, "新規申請", "変更申請", 1), fileBytes, false},
		{"file changed", s, append([]byte("x"), fileBytes[1:]...), false},
		{"signature value changed", flip(sv + 10), fileBytes, false},
		{"outside 構成情報", strings.Replace(s, "<様式バージョン>0001", "<様式バージョン>0002", 1), fileBytes, true},
	}
	if len(variants) < 2 {
		t.Fatal("no variants")
	}
	for _, v := range variants {
		os.WriteFile(kousei, []byte(v.doc), 0o644)
		os.WriteFile(file, v.file, 0o644)
		xs, o := xmlsecVerify(t, kousei, cert)
		sh := shomeiIntact(kousei)
		if xs != v.valid || sh != v.valid {
			t.Errorf("%s: xmlsec1 %v, shomei %v, want %v\n%s", v.name, xs, sh, v.valid, o)
		}
	}
}
