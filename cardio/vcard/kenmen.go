package vcard

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	_ "embed"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/cjkfont"
)

// facePhoto is the synthetic face (a drawing, no real person) in JPEG 2000,
// made by tools/mkface and Debian's opj_compress (see there).
//
//go:embed testdata/face.jp2
var facePhoto []byte

// Identity is the test holder the 券面 applets carry. A test card keeps no
// secret worth hiding: `shomei vcard info` prints all of it.
type Identity struct {
	MyNumber     string `json:"my_number,omitempty"`     // 12 digits, valid check digit; default TestMyNumber
	Name         string `json:"name,omitempty"`          // family and given name separated by U+3000
	Address      string `json:"address,omitempty"`       //
	BirthDate    string `json:"birth_date,omitempty"`    // YYYYMMDD
	Sex          string `json:"sex,omitempty"`           // 1 male, 2 female, 9 not applicable
	Expiry       string `json:"expiry,omitempty"`        // YYYYMMDD, the card's expiry
	SecurityCode string `json:"security_code,omitempty"` // 4 digits printed on the card face
	PhotoFile    string `json:"photo_file,omitempty"`    // a JPEG 2000 face photo; default the synthetic face
}

// TestMyNumber is the default test card's My Number: 0000 then digits and
// the check digit, plainly not a number anyone holds.
var TestMyNumber = func() string {
	d := []byte("00001357924")
	return string(d) + string('0'+pin.MyNumberCheckDigit(d))
}()

// DefaultIdentity is the default test holder, the same person as
// DefaultHolder (the certificates' holder).
var DefaultIdentity = Identity{
	MyNumber:     TestMyNumber,
	Name:         "署名\u3000花子",
	Address:      "東京都千代田区霞が関二丁目一番二号\u3000試験用住所",
	BirthDate:    "19900401",
	Sex:          kenmen.SexFemale,
	Expiry:       "20360401",
	SecurityCode: "5678",
}

func (id *Identity) defaults() {
	d := DefaultIdentity
	for _, f := range []struct {
		v *string
		d string
	}{
		{&id.MyNumber, d.MyNumber}, {&id.Name, d.Name}, {&id.Address, d.Address}, {&id.BirthDate, d.BirthDate},
		{&id.Sex, d.Sex}, {&id.Expiry, d.Expiry}, {&id.SecurityCode, d.SecurityCode},
	} {
		if *f.v == "" {
			*f.v = f.d
		}
	}
}

// CodeB is the identity's 照合番号B.
func (id Identity) CodeB() (string, error) {
	b, ok := kenmen.CodeB(id.BirthDate, id.Expiry, id.SecurityCode)
	if !ok {
		return "", errors.New("identity: birth date, expiry or security code cannot make a 照合番号B")
	}
	return b, nil
}

func (id Identity) check() error {
	if !pin.ValidMyNumber([]byte(id.MyNumber)) {
		return errors.New("identity: my_number must be 12 digits with a valid check digit")
	}
	if _, err := id.CodeB(); err != nil {
		return err
	}
	if id.Sex != "1" && id.Sex != "2" && id.Sex != "9" {
		return errors.New("identity: sex must be 1, 2 or 9")
	}
	if strings.TrimSpace(id.Name) == "" || strings.TrimSpace(id.Address) == "" {
		return errors.New("identity: name and address are required")
	}
	return nil
}

// chipFiles are the 券面 applets' data files, built once when the card is
// made and kept in state.json (the keys that signed them are not kept: a card
// never signs them again).
type chipFiles struct {
	TextMyNumber  []byte `json:"text_0001"`
	TextBasic     []byte `json:"text_0002"`
	TextIntegrity []byte `json:"text_0003"`
	TextCert      []byte `json:"text_0004"`
	VisualFace    []byte `json:"visual_0002"`
	VisualCert    []byte `json:"visual_0004"`
}

// myNumberFileLen is EF 0001's size: the object (15 bytes) and filler. The
// real size is not published; soltia48/myna-card's digest covers the whole
// file, so the filler is part of what is signed.
const myNumberFileLen = 16

// buildChip signs the identity's files: J-LIS's role is played by the test
// root (it certifies each applet's data key in a CVC).
func buildChip(id Identity, root *rsa.PrivateKey) (*chipFiles, error) {
	photo := facePhoto
	if id.PhotoFile != "" {
		b, err := os.ReadFile(id.PhotoFile)
		if err != nil {
			return nil, err
		}
		if !kenmen.IsJP2(b) || len(b) > 20000 {
			return nil, fmt.Errorf("%s: not a JPEG 2000 file of at most 20000 bytes", id.PhotoFile)
		}
		photo = b
	}
	var keys [3]*rsa.PrivateKey // text data key, visual data key, the card's own key
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	var cf chipFiles
	var err error
	subject := func(n string) [16]byte {
		var s [16]byte
		copy(s[:], n+"\x08\x05001")
		return s
	}
	if cf.TextCert, err = kenmen.BuildCVC(kenmen.IDTextTest, subject("9913101"), &keys[0].PublicKey, root); err != nil {
		return nil, err
	}
	if cf.VisualCert, err = kenmen.BuildCVC(kenmen.IDVisualTest, subject("9913101"), &keys[1].PublicKey, root); err != nil {
		return nil, err
	}
	cf.TextMyNumber = bytes.Repeat([]byte{0xFF}, myNumberFileLen)
	copy(cf.TextMyNumber, kenmen.BuildMyNumber(id.MyNumber))
	cf.TextBasic = kenmen.BuildBasic(kenmen.BasicInfo{Name: id.Name, Address: id.Address, BirthDate: id.BirthDate, Sex: id.Sex})
	if cf.TextIntegrity, err = kenmen.BuildIntegrity(cf.TextMyNumber, cf.TextBasic, keys[0]); err != nil {
		return nil, err
	}
	nameImg, err := textPNG(id.Name, 512, 48)
	if err != nil {
		return nil, err
	}
	addrImg, err := textPNG(id.Address, 1024, 48)
	if err != nil {
		return nil, err
	}
	secImg, err := textPNG(id.SecurityCode, 48, 24)
	if err != nil {
		return nil, err
	}
	cf.VisualFace, err = kenmen.BuildFace(kenmen.FaceInput{
		BirthDate: id.BirthDate, Sex: id.Sex, Expiry: id.Expiry, CardKey: &keys[2].PublicKey,
		NameImage: nameImg, AddressImage: addrImg, Photo: photo, SecIm: secImg,
	}, keys[1])
	if err != nil {
		return nil, err
	}
	return &cf, nil
}

// textPNG renders s in black on white with the system's CJK font, as the
// card renders the name and address it prints: a grey PNG.
func textPNG(s string, w, h int) ([]byte, error) {
	f, err := cjkfont.Font()
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	size := float64(h) * 0.7
	var face font.Face
	for ; size > 6; size *= 0.9 {
		face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return nil, err
		}
		if font.MeasureString(face, s).Ceil() <= w-8 {
			break
		}
		face.Close()
	}
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	d.Dot = fixed.P(4, int(float64(h)/2+size*0.35))
	d.DrawString(s)
	face.Close()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tampered returns b with one byte inside the signed data changed: the
// forged-card case (data that no longer match J-LIS's signature).
func tampered(b []byte, at int) []byte {
	out := append([]byte(nil), b...)
	if at < len(out) {
		out[at] ^= 0x01
	}
	return out
}

func (c *Card) textApplet() *applet {
	files := map[uint16]*file{jpki.EFTextPIN: {kind: pinFile, pin: pin.Text}}
	cf := c.st.f.Chip
	if cf == nil { // a card made before the 券面 files existed: PIN only
		return &applet{aid: jpki.AIDText, files: files}
	}
	basic := cf.TextBasic
	if c.tamper {
		// The sex digit, the file's last byte: still a well-formed file
		// whose digest no longer matches.
		basic = tampered(basic, len(basic)-1)
	}
	pinOrA := []uint16{jpki.EFTextPIN, jpki.EFTextCodeA}
	pinOrB := []uint16{jpki.EFTextPIN, jpki.EFTextCodeB}
	files[jpki.EFTextMyNumber] = &file{kind: binFile, data: cf.TextMyNumber, needs: pinOrA}
	files[jpki.EFTextBasic] = &file{kind: binFile, data: basic, needs: pinOrB}
	files[jpki.EFTextIntegrity] = &file{kind: binFile, data: cf.TextIntegrity, needs: []uint16{jpki.EFTextPIN, jpki.EFTextCodeA, jpki.EFTextCodeB}}
	files[jpki.EFTextCert] = &file{kind: binFile, data: cf.TextCert}
	files[jpki.EFTextCodeA] = &file{kind: pinFile, pin: pin.TextA}
	files[jpki.EFTextCodeB] = &file{kind: pinFile, pin: pin.TextB}
	return &applet{aid: jpki.AIDText, files: files}
}

func (c *Card) visualApplet() []*applet {
	cf := c.st.f.Chip
	if cf == nil {
		return nil
	}
	face := cf.VisualFace
	if c.tamper {
		// A byte of the photo, deep inside DF27.
		face = tampered(face, len(face)/2)
	}
	aOrB := []uint16{jpki.EFVisualCodeA, jpki.EFVisualCodeB}
	return []*applet{{aid: jpki.AIDVisual, files: map[uint16]*file{
		jpki.EFVisualFace:  {kind: binFile, data: face, needs: aOrB},
		jpki.EFVisualCert:  {kind: binFile, data: cf.VisualCert},
		jpki.EFVisualCodeA: {kind: pinFile, pin: pin.VisualA},
		jpki.EFVisualCodeB: {kind: pinFile, pin: pin.VisualB},
	}}}
}
