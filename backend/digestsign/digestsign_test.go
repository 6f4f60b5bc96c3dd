package digestsign_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/digestsign"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// counter counts the APDUs by instruction byte.
type counter struct {
	card *vcard.Card
	ins  map[byte]int
}

func (c *counter) Transmit(b []byte) ([]byte, error) {
	// A VERIFY without data only asks for the tries left; count the ones
	// that carry a PIN.
	if len(b) > 5 || (len(b) > 1 && b[1] != 0x20) {
		c.ins[b[1]]++
	}
	return c.card.Transmit(b)
}

func TestParse(t *testing.T) {
	h := sha256.Sum256([]byte("x"))
	d, err := digestsign.Parse(strings.ToUpper(hex.EncodeToString(h[:])))
	if err != nil || string(d.SHA256) != string(h[:]) || d.Input != hex.EncodeToString(h[:]) {
		t.Fatalf("plain digest: %v %+v", err, d)
	}
	di := "3031300d060960864801650304020105000420" + hex.EncodeToString(h[:])
	if d, err := digestsign.Parse(di); err != nil || string(d.SHA256) != string(h[:]) || d.Input != di {
		t.Fatalf("DigestInfo: %v", err)
	}
	sha1DI := "3021300906052b0e03021a05000414" + strings.Repeat("00", 20)
	for in, want := range map[string]error{
		"zz":                       digestsign.ErrHex,
		hex.EncodeToString(h[:31]): digestsign.ErrLength,
		sha1DI:                     digestsign.ErrLength,
		"3031300d060960864801650304020205000420" + hex.EncodeToString(h[:]): digestsign.ErrLength, // SHA-384 OID
	} {
		if _, err := digestsign.Parse(in); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", in, err, want)
		}
	}
	if _, err := digestsign.ParseAll(nil); !errors.Is(err, digestsign.ErrNone) {
		t.Error("empty list accepted")
	}
	list := "# from the portal\n\n" + strings.Repeat(hex.EncodeToString(h[:])+"\n", 3)
	if ds, err := digestsign.ReadList(strings.NewReader(list)); err != nil || len(ds) != 3 {
		t.Errorf("list: %v %d", err, len(ds))
	}
	if _, err := digestsign.ReadList(strings.NewReader(strings.Repeat(hex.EncodeToString(h[:])+"\n", digestsign.MaxDigests+1))); !errors.Is(err, digestsign.ErrTooMany) {
		t.Errorf("too many: %v", err)
	}
}

// Many digests, one VERIFY, one signature each that verifies with the
// returned certificate; both keys.
func TestSignOneVerify(t *testing.T) {
	for _, k := range []struct {
		key    jpki.Key
		id     pin.ID
		secret string
		name   string
		tries  int
	}{{jpki.SignKey, pin.Sign, "TEST1234", "sign", 5}, {jpki.AuthKey, pin.Auth, "1234", "auth", 3}} {
		c := &counter{card: vcardtest.New(t), ins: map[byte]int{}}
		s := jpki.NewSession(c)
		cid, err := s.CardID()
		if err != nil {
			t.Fatal(err)
		}
		p, _ := pin.Parse(k.id, []byte(k.secret))
		if err := s.Verify(jpki.Attempt{PIN: k.id, Secret: p, Seen: jpki.Observed{CardID: cid, TriesLeft: k.tries}}); err != nil {
			t.Fatal(err)
		}
		g, err := s.Signer(k.key)
		if err != nil {
			t.Fatal(err)
		}
		var list []string
		for i := range 12 {
			h := sha256.Sum256(fmt.Appendf(nil, "digest %d", i))
			list = append(list, hex.EncodeToString(h[:]))
		}
		ds, err := digestsign.ParseAll(list)
		if err != nil {
			t.Fatal(err)
		}
		out, err := digestsign.Sign(g, k.name, ds)
		if err != nil {
			t.Fatal(err)
		}
		if c.ins[0x20] != 1 || c.ins[0x2A] != len(list) {
			t.Errorf("%s: %d VERIFY and %d signatures for %d digests", k.name, c.ins[0x20], c.ins[0x2A], len(list))
		}
		der, _ := base64.StdEncoding.DecodeString(out.Certificate)
		cert, err := x509.ParseCertificate(der)
		if err != nil || len(out.Signatures) != len(list) || out.Key != k.name {
			t.Fatalf("%v %d", err, len(out.Signatures))
		}
		for i, sg := range out.Signatures {
			v, _ := base64.StdEncoding.DecodeString(sg.Signature)
			if sg.Digest != list[i] || rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, ds[i].SHA256, v) != nil {
				t.Errorf("%s: signature %d does not verify", k.name, i)
			}
		}
	}
}
