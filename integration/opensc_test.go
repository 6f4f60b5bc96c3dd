package integration

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const opensc = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// OpenSC, an independent client, recognises the virtual card as a JPKI card,
// lists its certificates and PINs as this project reads them, and signs with
// it after login; the signature verifies with the card's certificate.
func TestOpenSC(t *testing.T) {
	need(t)
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)

	if out := run(t, "opensc-tool", "--reader", readerCLI, "--name"); !strings.Contains(out, "jpki") {
		t.Fatalf("opensc-tool --name: %s", out)
	}
	out := run(t, "pkcs15-tool", "--reader", readerCLI, "--list-certificates")
	for _, label := range []string{"User Authentication Certificate", "Digital Signature Certificate", "User Authentication Certificate CA", "Digital Signature Certificate CA"} {
		if !strings.Contains(out, "["+label+"]") {
			t.Errorf("pkcs15-tool does not list %q:\n%s", label, out)
		}
	}
	out = run(t, "pkcs15-tool", "--reader", readerCLI, "--list-pins")
	if !strings.Contains(out, "Tries left     : 5") || !strings.Contains(out, "Tries left     : 3") {
		t.Errorf("pkcs15-tool PIN tries:\n%s", out)
	}
	// pkcs15-tool reads the auth certificate: it must be the card's.
	authPEM := run(t, "pkcs15-tool", "--reader", readerCLI, "--read-certificate", "01")
	blk, _ := pem.Decode([]byte(authPEM[strings.Index(authPEM, "-----BEGIN"):]))
	statePEM, _ := os.ReadFile(filepath.Join(state, "certs.pem"))
	if blk == nil || !strings.Contains(string(statePEM), strings.TrimSpace(string(pem.EncodeToMemory(blk)))) {
		t.Error("OpenSC read a different authentication certificate")
	}

	msg := filepath.Join(t.TempDir(), "msg.txt")
	sig := msg + ".sig"
	os.WriteFile(msg, []byte("signed by OpenSC through the virtual card\n"), 0o644)
	run(t, "pkcs11-tool", "--module", opensc, "--slot-index", "1", "--login", "--pin", "TEST1234",
		"--sign", "--mechanism", "SHA256-RSA-PKCS", "--id", "02", "--input-file", msg, "--output-file", sig)
	certDER := filepath.Join(t.TempDir(), "sign.der")
	run(t, "pkcs11-tool", "--module", opensc, "--slot-index", "1", "--login", "--pin", "TEST1234",
		"--read-object", "--type", "cert", "--id", "02", "--output-file", certDER)
	der, _ := os.ReadFile(certDER)
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(statePEM), strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))) {
		t.Error("OpenSC read a different signing certificate")
	}
	data, _ := os.ReadFile(msg)
	s, _ := os.ReadFile(sig)
	h := sha256.Sum256(data)
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, h[:], s); err != nil {
		t.Fatalf("OpenSC's signature does not verify: %v", err)
	}
	// The auth key signs after the auth PIN (slot 0).
	run(t, "pkcs11-tool", "--module", opensc, "--slot-index", "0", "--login", "--pin", "1234",
		"--sign", "--mechanism", "SHA256-RSA-PKCS", "--id", "01", "--input-file", msg, "--output-file", sig)
	// OpenSC's wrong PIN uses one try, as Shomei sees it.
	exec.Command("pkcs11-tool", "--module", opensc, "--slot-index", "0", "--login", "--pin", "0000", "--list-objects").Run()
	if p := status(t); p["auth"].TriesLeft != 2 || p["sign"].TriesLeft != 5 {
		t.Errorf("after OpenSC: %+v", p)
	}
}
