package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
)

// xmlsec1 checks a kousei.xml signed by the virtual card through pcscd, in
// the variant with a plain "#構成情報" Reference (xmlsec1 cannot resolve the
// percent-encoded one e-Gov writes): every Reference and the signature
// value; one byte changed in an application file or in 構成情報 fails it and
// shomei's own check alike.
func TestEgovXmlsec1ThroughPCSC(t *testing.T) {
	need(t)
	if _, err := exec.LookPath("xmlsec1"); err != nil {
		t.Fatal("xmlsec1 missing (make setup installs it)")
	}
	_, root := inProcCard(t)
	dir, names := egovApp(t, "app")
	p, err := egov.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := service(t)
	st, err := svc.Status(readerInProc)
	if err != nil {
		t.Fatal(err)
	}
	var out *egov.Output
	err = svc.WithSigner(readerInProc, jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "TEST1234"), Seen: st.Seen(pin.Sign)}, func(g *jpki.Signer) error {
		signed, err := p.Sign(g, egov.SignOptions{PlainFragment: true})
		if err != nil {
			return err
		}
		out, err = p.Write(signed, filepath.Join(t.TempDir(), "signed"), false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	kousei := filepath.Join(out.Dir, egov.KouseiName)
	xmlsec := func() (bool, string) {
		cmd := exec.Command("xmlsec1", "--verify", "--id-attr:ID", egov.TargetID,
			"--enabled-reference-uris", "same-doc,local,remote", "--trusted-pem", root, egov.KouseiName)
		cmd.Dir = out.Dir
		o, err := cmd.CombinedOutput()
		return err == nil, string(o)
	}
	intact := func() bool {
		r, err := egov.Verify(kousei)
		return err == nil && len(r.Signatures) == 1 && r.Signatures[0].Intact()
	}
	if ok, o := xmlsec(); !ok || !strings.Contains(o, "SignedInfo References (ok/all): 3/3") {
		t.Fatalf("xmlsec1 refuses what the card signed through pcscd:\n%s", o)
	}
	if !intact() {
		t.Fatal("shomei refuses what the card signed through pcscd")
	}
	var file string
	for _, n := range names {
		if n != egov.KouseiName {
			file = filepath.Join(out.Dir, n)
			break
		}
	}
	orig, err := os.ReadFile(file)
	if err != nil || len(orig) == 0 {
		t.Fatalf("application file %s: %v", file, err)
	}
	os.WriteFile(file, append([]byte{orig[0] ^ 1}, orig[1:]...), 0o644)
	if ok, _ := xmlsec(); ok || intact() {
		t.Errorf("a changed application file passes: xmlsec1 %v, shomei %v", ok, intact())
	}
	os.WriteFile(file, orig, 0o644)
	x, _ := os.ReadFile(kousei)
	changed := strings.Replace(string(x), "新規申請", "新規申講", 1)
	if changed == string(x) {
		t.Fatal("構成情報 has no 新規申請 to change")
	}
	os.WriteFile(kousei, []byte(changed), 0o644)
	if ok, _ := xmlsec(); ok || intact() {
		t.Errorf("a changed 構成情報 passes: xmlsec1 %v, shomei %v", ok, intact())
	}
}
