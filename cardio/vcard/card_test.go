package vcard_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// tx sends a hex APDU and returns data and status word as hex.
func tx(t *testing.T, c *vcard.Card, h string) (string, string) {
	t.Helper()
	raw, err := hex.DecodeString(strings.ReplaceAll(h, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Transmit(raw)
	if err != nil || len(out) < 2 {
		t.Fatalf("%s: %x %v", h, out, err)
	}
	return hex.EncodeToString(out[:len(out)-2]), strings.ToUpper(hex.EncodeToString(out[len(out)-2:]))
}

func sw(t *testing.T, c *vcard.Card, h, want string) string {
	t.Helper()
	data, got := tx(t, c, h)
	if got != want {
		t.Fatalf("%s: SW %s, want %s", h, got, want)
	}
	return data
}

const (
	selJPKI   = "00A4040C0AD392F000260100000001"
	selSignPN = "00A4020C02001B"
	selSignCt = "00A4020C020001"
	selSignKy = "00A4020C02001A"
	verifyOK  = "002000800854455354313233 34"
	verifyBad = "00200080085445535439393939"
)

// Files, access rules and the verified state behave as on a real card.
func TestAccessRules(t *testing.T) {
	c := vcardtest.New(t)
	if !bytes.Equal(c.ATR(), []byte{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}) {
		t.Errorf("ATR %x", c.ATR())
	}
	sw(t, c, "00A4040C0AA000000003000000000000", "6A82") // unknown AID
	sw(t, c, "00A4020C020001", "6A82")                   // no applet selected
	sw(t, c, selJPKI, "9000")
	sw(t, c, "00A4000C020001", "6A86") // only P1=02 selects an EF
	sw(t, c, selSignCt, "9000")
	sw(t, c, "00B0000004", "6982") // signing certificate needs the password
	sw(t, c, selSignPN, "9000")
	sw(t, c, "00200080", "63C5") // status query uses no try
	sw(t, c, verifyOK, "9000")
	sw(t, c, "00200080", "63C5") // still 63 Cx once verified
	sw(t, c, selSignCt, "9000")
	head := sw(t, c, "00B0000004", "9000")
	if !strings.HasPrefix(head, "3082") {
		t.Fatalf("certificate header %s", head)
	}
	// Re-selecting the applet clears the verified state.
	sw(t, c, selJPKI, "9000")
	sw(t, c, selSignCt, "9000")
	sw(t, c, "00B0000004", "6982")
	// So does a reset.
	sw(t, c, selSignPN, "9000")
	sw(t, c, verifyOK, "9000")
	c.Reset()
	sw(t, c, selSignCt, "6A82")
	// Proprietary CLA only for the signature; other INS answer 6D00.
	sw(t, c, selJPKI, "9000")
	sw(t, c, "00CA DF30 05", "6D00")
	sw(t, c, "8020008000", "6D00")
}

// Certificate files are padded after the DER object.
func TestCertificatePadding(t *testing.T) {
	c := vcardtest.New(t)
	sw(t, c, selJPKI, "9000")
	sw(t, c, "00A4020C02000A", "9000")
	der := c.State().AuthCertDER()
	off := len(der)
	d := sw(t, c, "00B0"+hex.EncodeToString([]byte{byte(off >> 8), byte(off)})+"10", "9000")
	if d != strings.Repeat("ff", 16) {
		t.Errorf("after the certificate: %s", d)
	}
	sw(t, c, "00B0 0800 10", "6B00") // past the end of the 2 KB file
}

// Wrong PINs count down, lock at zero, and a locked PIN refuses even the right one.
func TestRetryCounterLocks(t *testing.T) {
	c := vcardtest.New(t)
	sw(t, c, selJPKI, "9000")
	sw(t, c, selSignPN, "9000")
	for _, want := range []string{"63C4", "63C3", "63C2", "63C1", "63C0"} {
		sw(t, c, verifyBad, want)
	}
	sw(t, c, "00200080", "63C0")
	sw(t, c, verifyOK, "6983")
	if c.State().Tries(pin.Sign) != 0 {
		t.Error("not locked in state")
	}
	// A right PIN resets the counter.
	sw(t, c, "00A4020C020018", "9000")
	sw(t, c, "002000800439393939", "63C2")
	sw(t, c, "002000800431323334", "9000")
	sw(t, c, "00200080", "63C3")
}

// Signing needs the key's PIN, P1=00 and a DigestInfo; the card pads and signs.
func TestSign(t *testing.T) {
	c := vcardtest.New(t)
	h := sha256.Sum256([]byte("document"))
	di := "3031300D060960864801650304020105000420" + hex.EncodeToString(h[:])
	sw(t, c, selJPKI, "9000")
	sw(t, c, selSignKy, "9000")
	sw(t, c, "802A008033"+di+"00", "6982")
	sw(t, c, selSignPN, "9000")
	sw(t, c, verifyOK, "9000")
	sw(t, c, selSignKy, "9000")
	sw(t, c, "802A9E9A33"+di+"00", "6A86")
	sigHex := sw(t, c, "802A008033"+di+"00", "9000")
	sig, _ := hex.DecodeString(sigHex)
	cert, _ := x509.ParseCertificate(c.State().SignCertDER())
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, h[:], sig); err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	// The auth key is not unlocked by the signing password.
	sw(t, c, "00A4020C020017", "9000")
	sw(t, c, "802A008033"+di+"00", "6982")
}

// CHANGE REFERENCE DATA needs the old PIN verified and a well-formed new one.
func TestChange(t *testing.T) {
	c := vcardtest.New(t)
	sw(t, c, "00A4040C0AD3921000310001010408", "9000") // text applet
	sw(t, c, "00A4020C020011", "9000")
	sw(t, c, "002401800435363738", "6982")
	sw(t, c, "002000800431323334", "9000")
	sw(t, c, "0024018004414243 44", "6A80") // letters in a 4-digit PIN
	sw(t, c, "002401800435363738", "9000")
	sw(t, c, "002000800431323334", "63C2")
	sw(t, c, "002000800435363738", "9000")
}

// The card's reset code unblocks a PIN; without one the command is unknown, as on real cards.
func TestResetRetryCounter(t *testing.T) {
	c := vcardtest.New(t)
	sw(t, c, selJPKI, "9000")
	sw(t, c, "00A4020C020018", "9000")
	for i := 0; i < 3; i++ {
		tx(t, c, "002000800439393939")
	}
	code := hex.EncodeToString([]byte(vcardtest.ResetCode))
	sw(t, c, "002C00800C"+hex.EncodeToString([]byte("00000000"))+"35353535", "63C9")
	sw(t, c, "002C00800C"+code+"35353535", "9000")
	sw(t, c, "00200080", "63C3")
	sw(t, c, "002000800435353535", "9000")

	st := vcardtest.State(t)
	st.SetResetCode("")
	c2 := vcard.New(st)
	sw(t, c2, selJPKI, "9000")
	sw(t, c2, "00A4020C020018", "9000")
	sw(t, c2, "002C00800C"+code+"35353535", "6D00")
}

// In T=0 mode answers come through GET RESPONSE and a wrong Le gets 6Cxx.
func TestT0Answers(t *testing.T) {
	c := vcardtest.New(t)
	c.T0 = true
	sw(t, c, selJPKI, "9000")
	sw(t, c, "00A4020C020008", "9000")
	sw(t, c, "00B0000010", "6C03")
	if d := sw(t, c, "00B0000003", "9000"); d != "8f8f00" {
		t.Errorf("availability %s", d)
	}
}

// State survives a restart: counters, changed PINs, and nothing secret in clear.
func TestPersistence(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "card")
	st, err := vcard.NewState(dir, vcard.Config{SignPIN: "PERSIST1", ResetCode: "11223344"})
	if err != nil {
		t.Fatal(err)
	}
	c := vcard.New(st)
	sw(t, c, selJPKI, "9000")
	sw(t, c, "00A4020C020018", "9000")
	sw(t, c, "002000800439393939", "63C2")
	sw(t, c, "002000800439393939", "63C1")
	sw(t, c, "002000800439393939", "63C0")

	st2, err := vcard.LoadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	c2 := vcard.New(st2)
	sw(t, c2, selJPKI, "9000")
	sw(t, c2, "00A4020C020018", "9000")
	sw(t, c2, "00200080", "63C0")
	sw(t, c2, selSignPN, "9000")
	sw(t, c2, "002000800850455253495354 31", "9000")
	if !bytes.Equal(st2.RootPEM(), st.RootPEM()) || !bytes.Equal(st2.SignCertDER(), st.SignCertDER()) {
		t.Error("certificates changed across restart")
	}
	if _, err := vcard.NewState(dir, vcard.Config{}); err == nil {
		t.Error("NewState overwrote an existing card")
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "state.json"))
	if len(raw) == 0 {
		t.Fatal("state.json is empty")
	}
	// Salts, hashes and chip files are random-looking hex and base64, in which a short
	// digit run like 1234 turns up by chance; a PIN kept in clear would be a JSON string
	// of its own or its ASCII in hex. Eight-character secrets are also looked for anywhere.
	for _, secret := range []string{"PERSIST1", "11223344", "1234"} {
		forms := []string{`"` + secret + `"`, hex.EncodeToString([]byte(secret))}
		if len(secret) >= 8 {
			forms = append(forms, secret)
		}
		for _, f := range forms {
			if bytes.Contains(raw, []byte(f)) {
				t.Errorf("state.json holds %q in clear (as %q)", secret, f)
			}
		}
	}
	root, _ := os.ReadFile(filepath.Join(dir, "test-root.pem"))
	if !bytes.Equal(root, st.RootPEM()) {
		t.Error("exported root differs")
	}
}

// The certificates follow the JPKI profile: KeyUsage, policy, SAN otherNames, a plainly named test root.
func TestCertificateProfile(t *testing.T) {
	st := vcardtest.State(t)
	root := st.Root()
	if !strings.Contains(root.Subject.CommonName, "NOT FOR PRODUCTION") || !root.IsCA {
		t.Errorf("root %s", root.Subject)
	}
	sc, _ := x509.ParseCertificate(st.SignCertDER())
	ac, _ := x509.ParseCertificate(st.AuthCertDER())
	if sc.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment || ac.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("key usage sign=%v auth=%v", sc.KeyUsage, ac.KeyUsage)
	}
	if len(sc.ExtKeyUsage) != 0 || sc.PublicKey.(*rsa.PublicKey).N.BitLen() != 2048 {
		t.Error("signing certificate has an EKU or a key that is not RSA-2048")
	}
	if err := sc.CheckSignatureFrom(root); err != nil {
		t.Error(err)
	}
	if len(sc.PolicyIdentifiers) != 1 || !sc.PolicyIdentifiers[0].Equal(vcard.OIDPolicyTestSig) {
		t.Errorf("policies %v", sc.PolicyIdentifiers)
	}
	var san []byte
	for _, e := range sc.Extensions {
		if e.Id.String() == "2.5.29.17" {
			san = e.Value
		}
	}
	if !bytes.Contains(san, []byte(vcard.DefaultHolder.Name)) || !bytes.Contains(san, []byte(vcard.DefaultHolder.Address)) {
		t.Error("SAN lacks the holder's name or address")
	}
	for _, e := range ac.Extensions {
		if e.Id.String() == "2.5.29.17" {
			t.Error("auth certificate carries personal data")
		}
	}
}
