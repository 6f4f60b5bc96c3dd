package kenmen_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
)

// Peer test vectors: soltia48/myna-card's src/ap/text.rs holds EF 0001 and
// EF 0002 of a JPKI test card "byte for byte", with the values it parses them
// to, and src/data.rs the 照合番号B that test card accepted.
const peerBasic = "ff2065df2108000e002000590064df22" +
	"0fe9bb92e6a190e38080e5b9b9e4b99f" +
	"df2336e69db1e4baace983bde6b885e7" +
	"80ace5b882e8a6b3e5b883e5ad90e58d" +
	"97efbc91efbc92efbc8defbc97efbc8d" +
	"efbc92efbc90efbc92df240831393830" +
	"30323137df250131"

func TestPeerVectors(t *testing.T) {
	raw, _ := hex.DecodeString(peerBasic)
	b, err := kenmen.ParseBasic(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := kenmen.BasicInfo{Name: "黒桐\u3000幹也", Address: "東京都清瀬市観布子南１２－７－２０２", BirthDate: "19800217", Sex: "1"}
	if b != want {
		t.Errorf("basic = %+v, want %+v", b, want)
	}
	// The builder writes the same bytes for the same values.
	if got := kenmen.BuildBasic(want); !bytes.Equal(got, raw) {
		t.Errorf("BuildBasic differs from the card's bytes:\n%x\n%x", got, raw)
	}
	// The offset table is checked, not trusted (the peer's own test).
	bad := append([]byte(nil), raw...)
	bad[7] = 0x0F
	if _, err := kenmen.ParseBasic(bad); !errors.Is(err, kenmen.ErrMalformed) {
		t.Errorf("a wrong offset table parsed: %v", err)
	}
	mn := []byte{0xFF, 0x10, 0x0C, '5', '3', '7', '6', '8', '6', '6', '7', '7', '1', '8', '8'}
	if n, err := kenmen.ParseMyNumber(mn); err != nil || n != "537686677188" {
		t.Errorf("my number %q %v", n, err)
	}
	if !pin.ValidMyNumber([]byte("537686677188")) {
		t.Error("the test card's My Number fails the check digit")
	}
	if b, ok := kenmen.CodeB("19800217", "20350217", "2285"); !ok || b != "55021720352285" {
		t.Errorf("CodeB = %q %v, want the peer's 55021720352285", b, ok)
	}
	for _, c := range []struct{ birth, want string }{
		{"19890107", "640107"}, {"19890108", "010108"}, {"20190430", "310430"}, {"20190501", "010501"}, {"19261225", "011225"},
	} {
		if b, ok := kenmen.CodeB(c.birth, "20300101", "0000"); !ok || b[:6] != c.want {
			t.Errorf("CodeB(%s) = %q, want %s…", c.birth, b, c.want)
		}
	}
}

func TestJLISKeysShape(t *testing.T) {
	ks := kenmen.JLIS()
	if len(ks) != 2 {
		t.Fatalf("%d keys", len(ks))
	}
	for _, k := range ks {
		if k.Pub.N.BitLen() != 2048 || k.Pub.N.Bit(0) != 1 || k.Test {
			t.Errorf("key %q: %d bits", k.ID[:7], k.Pub.N.BitLen())
		}
	}
}

var (
	keyOnce sync.Once
	keys    [3]*rsa.PrivateKey // CA, data key, card key
)

func testKeys(t *testing.T) [3]*rsa.PrivateKey {
	keyOnce.Do(func() {
		for i := range keys {
			keys[i], _ = rsa.GenerateKey(rand.Reader, 2048)
		}
	})
	return keys
}

func subject() [16]byte {
	var s [16]byte
	copy(s[:], "9913101\x08\x05001")
	return s
}

type fixture struct {
	text kenmen.Text
	face []byte
	vcvc []byte
	ring kenmen.Keyring
}

func build(t *testing.T) fixture {
	k := testKeys(t)
	var f fixture
	var err error
	f.text.Cert, err = kenmen.BuildCVC(kenmen.IDTextTest, subject(), &k[1].PublicKey, k[0])
	if err != nil {
		t.Fatal(err)
	}
	f.vcvc, _ = kenmen.BuildCVC(kenmen.IDVisualTest, subject(), &k[1].PublicKey, k[0])
	f.text.MyNumberFile = append(kenmen.BuildMyNumber("537686677188"), 0xFF)
	f.text.BasicFile = kenmen.BuildBasic(kenmen.BasicInfo{Name: "試験\u3000太郎", Address: "東京都千代田区一番町一", BirthDate: "19800217", Sex: "1"})
	if f.text.Integrity, err = kenmen.BuildIntegrity(f.text.MyNumberFile, f.text.BasicFile, k[1]); err != nil {
		t.Fatal(err)
	}
	f.face, err = kenmen.BuildFace(kenmen.FaceInput{
		BirthDate: "19800217", Sex: "1", Expiry: "20350217", CardKey: &k[2].PublicKey,
		NameImage: []byte("\x89PNG\r\n\x1a\nname"), AddressImage: []byte("\x89PNG\r\n\x1a\naddr"),
		Photo: append([]byte{0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A}, bytes.Repeat([]byte{7}, 3000)...), SecIm: []byte("\x89PNG\r\n\x1a\nsec"),
	}, k[1])
	if err != nil {
		t.Fatal(err)
	}
	f.ring = kenmen.JLIS().WithTestKey(&k[0].PublicKey)
	return f
}

func TestVerifyGenuine(t *testing.T) {
	f := build(t)
	v := kenmen.VerifyText(f.text, f.ring)
	if !v.OK() || !v.Test {
		t.Errorf("text: %+v", v)
	}
	face, err := kenmen.ParseFace(f.face)
	if err != nil {
		t.Fatal(err)
	}
	if v := kenmen.VerifyFace(face, f.vcvc, f.ring); !v.OK() || !v.Test {
		t.Errorf("face: %+v", v)
	}
	if face.BirthDate != "19800217" || face.Sex != "1" || face.Expiry != "20350217" || !kenmen.IsJP2(face.Photo) {
		t.Errorf("face = %s %s %s", face.BirthDate, face.Sex, face.Expiry)
	}
	// Without the test key nothing can be said: not confirmed, not forged.
	if v := kenmen.VerifyText(f.text, kenmen.JLIS()); v.Status != kenmen.Unverifiable {
		t.Errorf("no key: %+v", v)
	}
	// Another key under the same ID: the certificate fails.
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	if v := kenmen.VerifyFace(face, f.vcvc, kenmen.Keyring{}.WithTestKey(&other.PublicKey)); v.Status != kenmen.Failed {
		t.Errorf("wrong CA key: %+v", v)
	}
}

// Every byte of the signed part changed, one at a time: never confirmed.
func TestVerifyEveryByteOfTheFace(t *testing.T) {
	f := build(t)
	seen := map[kenmen.Status]int{}
	sigEnd := bytes.Index(f.face, []byte{0xDF, 0x29, 0x08}) // the expiry follows the signature
	if sigEnd < 0 {
		t.Fatal("no expiry object")
	}
	for i := 0; i < sigEnd; i += 7 {
		bad := append([]byte(nil), f.face...)
		bad[i] ^= 0x01
		face, err := kenmen.ParseFace(bad)
		if err != nil {
			seen["parse"]++
			continue
		}
		v := kenmen.VerifyFace(face, f.vcvc, f.ring)
		if v.OK() {
			t.Fatalf("byte %d changed, still confirmed", i)
		}
		seen[v.Status]++
	}
	if seen[kenmen.Failed] < 100 {
		t.Errorf("outcomes %v", seen)
	}
}

func TestVerifyTextAltered(t *testing.T) {
	f := build(t)
	for name, mod := range map[string]func(*kenmen.Text){
		"sex":       func(x *kenmen.Text) { x.BasicFile[len(x.BasicFile)-1] = '2' },
		"name":      func(x *kenmen.Text) { i := bytes.Index(x.BasicFile, []byte("太郎")); x.BasicFile[i+2] ^= 1 },
		"my number": func(x *kenmen.Text) { x.MyNumberFile[5] = '0' },
		"filler":    func(x *kenmen.Text) { x.MyNumberFile[len(x.MyNumberFile)-1] = 0 },
		"digest":    func(x *kenmen.Text) { x.Integrity[8] ^= 1 },
		"signature": func(x *kenmen.Text) { x.Integrity[len(x.Integrity)-3] ^= 1 },
		"cvc key":   func(x *kenmen.Text) { x.Cert[100] ^= 1 },
	} {
		x := f.text
		x.BasicFile = append([]byte(nil), x.BasicFile...)
		x.MyNumberFile = append([]byte(nil), x.MyNumberFile...)
		x.Integrity = append([]byte(nil), x.Integrity...)
		x.Cert = append([]byte(nil), x.Cert...)
		mod(&x)
		if v := kenmen.VerifyText(x, f.ring); v.Status != kenmen.Failed {
			t.Errorf("%s altered: %+v", name, v)
		}
	}
}

// What the card holds is shown to people: control and direction characters
// are refused, not shown.
func TestHostileText(t *testing.T) {
	for _, s := range []string{"山田\u202E太郎", "山田\n太郎", "", strings.Repeat("長", 300)} {
		raw := kenmen.BuildBasic(kenmen.BasicInfo{Name: s, Address: "東京都", BirthDate: "19800217", Sex: "1"})
		if _, err := kenmen.ParseBasic(raw); !errors.Is(err, kenmen.ErrMalformed) {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	raw, _ := hex.DecodeString(peerBasic)
	f.Add(raw)
	f.Fuzz(func(t *testing.T, b []byte) {
		kenmen.ParseBasic(b)
		kenmen.ParseFace(b)
		kenmen.ParseIntegrity(b)
		kenmen.ParseCVC(b)
		kenmen.ParseMyNumber(b)
	})
}
