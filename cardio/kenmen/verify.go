package kenmen

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
)

// CVC is a card-verifiable certificate (7F21): an issuer key ID, a subject
// key ID and an RSA-2048 key (5F4E, 297 bytes) signed by the issuer (5F37,
// PKCS#1 v1.5 with SHA-256 over the 297 bytes, per soltia48/myna-card; the
// others peers parse it without checking).
type CVC struct {
	Issuer  [16]byte
	Subject [16]byte
	Pub     *rsa.PublicKey
	sig     []byte
	body    []byte
}

const (
	tagCVC     = 0x7F21
	tagCVCBody = 0x5F4E
	tagCVCSig  = 0x5F37
	cvcBodyLen = 16 + 16 + 265
)

// ParseCVC reads a CVC with its 7F21 template (as EF 0004 holds it).
func ParseCVC(file []byte) (*CVC, error) {
	fs, err := parseFile(file, tagCVC, 0)
	if err != nil {
		return nil, err
	}
	body, err := fs.get(tagCVCBody)
	if err != nil {
		return nil, err
	}
	sig, err := fs.get(tagCVCSig)
	if err != nil {
		return nil, err
	}
	if len(body) != cvcBodyLen {
		return nil, malformed("certificate body of %d bytes", len(body))
	}
	c := &CVC{sig: sig, body: body}
	copy(c.Issuer[:], body[:16])
	copy(c.Subject[:], body[16:32])
	if c.Pub, err = ParseRSAKey(body[32:]); err != nil {
		return nil, err
	}
	return c, nil
}

// Status is the outcome of an authenticity check.
type Status string

const (
	// Confirmed: the data verify under a key certified by a known issuer key.
	Confirmed Status = "confirmed"
	// Failed: a signature or digest does not match: the chip's data were not
	// written by J-LIS (the forged-card case).
	Failed Status = "failed"
	// Unverifiable: the issuer key is unknown or the data are malformed;
	// nothing can be said either way.
	Unverifiable Status = "unverifiable"
)

// Verdict is an authenticity check's outcome. Reason is for logs and
// technical details, in English; the UI words the Status.
type Verdict struct {
	Status Status
	Test   bool // confirmed under a test key: a virtual or test card
	Reason string
}

// OK reports a confirmed verdict.
func (v Verdict) OK() bool { return v.Status == Confirmed }

func failed(why string) Verdict       { return Verdict{Status: Failed, Reason: why} }
func unverifiable(why string) Verdict { return Verdict{Status: Unverifiable, Reason: why} }

// Worst combines verdicts: any failure fails, then any unverifiable; test
// if any part rests on a test key.
func Worst(vs ...Verdict) Verdict {
	out := Verdict{Status: Confirmed}
	for _, v := range vs {
		switch {
		case v.Status == Failed && out.Status != Failed:
			out = Verdict{Status: Failed, Reason: v.Reason, Test: out.Test}
		case v.Status == Unverifiable && out.Status == Confirmed:
			out = Verdict{Status: Unverifiable, Reason: v.Reason, Test: out.Test}
		}
		out.Test = out.Test || v.Test
	}
	return out
}

// certify checks a CVC against the keyring: the key it certifies, or a
// verdict that is not Confirmed.
func certify(file []byte, want [][16]byte, ring Keyring) (*CVC, Verdict) {
	c, err := ParseCVC(file)
	if err != nil {
		return nil, unverifiable("certificate: " + err.Error())
	}
	allowed := false
	for _, w := range want {
		allowed = allowed || c.Issuer == w
	}
	if !allowed {
		return nil, unverifiable("certificate issued under an unknown key ID")
	}
	keys := ring.lookup(c.Issuer)
	if len(keys) == 0 {
		return nil, unverifiable("no trusted key for the certificate's issuer")
	}
	h := sha256.Sum256(c.body)
	for _, k := range keys {
		if rsa.VerifyPKCS1v15(k.Pub, crypto.SHA256, h[:], c.sig) == nil {
			return c, Verdict{Status: Confirmed, Test: k.Test}
		}
	}
	return nil, failed("the applet's certificate does not verify under its issuer's key")
}

// VerifyText checks the text applet's data: the CVC in EF 0004 under the
// keyring, the signature of EF 0003 under the certified key, and the digests
// of EF 0002 (always) and EF 0001 (when read).
func VerifyText(t Text, ring Keyring) Verdict {
	c, v := certify(t.Cert, [][16]byte{IDTextJLIS, IDTextTest}, ring)
	if !v.OK() {
		return v
	}
	in, err := ParseIntegrity(t.Integrity)
	if err != nil {
		return failed("integrity record: " + err.Error())
	}
	h := sha256.Sum256(in.signed)
	if rsa.VerifyPKCS1v15(c.Pub, crypto.SHA256, h[:], in.Signature) != nil {
		return failed("the signature over the digests does not verify")
	}
	src, err := basicDigestSource(t.BasicFile)
	if err != nil {
		return failed("basic information: " + err.Error())
	}
	if d := sha256.Sum256(src); !bytes.Equal(d[:], in.BasicDigest) {
		return failed("the basic information differs from what was signed")
	}
	if t.MyNumberFile != nil {
		if d := sha256.Sum256(t.MyNumberFile); !bytes.Equal(d[:], in.MyNumberDigest) {
			return failed("the My Number differs from what was signed")
		}
	}
	return v
}

// faceDigestInfo is what the card face's signature covers: a DigestInfo
// (SHA-256 OID) whose OCTET STRING holds three SHA-256 digests, of DF22-DF24,
// of DF25-DF26 and of DF27, each over the objects as written
// (soltia48/myna-card, established on a real card). The expiry (DF29) and
// the security-code image (DF2A) come after the signature and are not
// covered.
func faceDigestInfo(f *Face) []byte {
	var d []byte
	for _, s := range f.segments {
		h := sha256.Sum256(s)
		d = append(d, h[:]...)
	}
	prefix := []byte{0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x60}
	return append(prefix, d...)
}

// VerifyFace checks the visual applet's card face under the CVC of its EF
// 0004.
func VerifyFace(face *Face, cert []byte, ring Keyring) Verdict {
	c, v := certify(cert, [][16]byte{IDVisualJLIS, IDVisualTest}, ring)
	if !v.OK() {
		return v
	}
	// Hash 0: the DigestInfo is compared byte for byte inside a full
	// PKCS#1 v1.5 block.
	if rsa.VerifyPKCS1v15(c.Pub, 0, faceDigestInfo(face), face.Signature) != nil {
		return failed("the card face's signature does not verify")
	}
	return v
}

// Builders, for the virtual card and tests.

// Signer signs for the builders: an RSA key.
type Signer = *rsa.PrivateKey

// BuildCVC certifies pub under issuer, signed with ca.
func BuildCVC(issuer, subject [16]byte, pub *rsa.PublicKey, ca Signer) ([]byte, error) {
	body := append(append(append([]byte(nil), issuer[:]...), subject[:]...), EncodeRSAKey(pub)...)
	if len(body) != cvcBodyLen {
		return nil, errors.New("kenmen: key is not RSA-2048")
	}
	h := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, ca, crypto.SHA256, h[:])
	if err != nil {
		return nil, err
	}
	return tlv(tagCVC, append(tlv(tagCVCBody, body), tlv(tagCVCSig, sig)...)), nil
}

// BuildMyNumber is EF 0001's object.
func BuildMyNumber(n string) []byte { return tlv(TagMyNumber, []byte(n)) }

// BuildBasic is EF 0002's object.
func BuildBasic(b BasicInfo) []byte {
	return withTable(TagBasic, tagBasicOffs, [][]byte{
		tlv(tagName, []byte(b.Name)), tlv(tagAddress, []byte(b.Address)),
		tlv(tagBirth, []byte(b.BirthDate)), tlv(tagSex, []byte(b.Sex)),
	})
}

// BuildIntegrity is EF 0003 over the two files as stored (myNumberFile with
// its filler), signed with key.
func BuildIntegrity(myNumberFile, basicFile []byte, key Signer) ([]byte, error) {
	src, err := basicDigestSource(basicFile)
	if err != nil {
		return nil, err
	}
	d1, d2 := sha256.Sum256(myNumberFile), sha256.Sum256(src)
	signed := append(tlv(tagDigestMN, d1[:]), tlv(tagDigestB4, d2[:])...)
	h := sha256.Sum256(signed)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		return nil, err
	}
	return tlv(TagIntegrity, append(signed, tlv(tagTextSig, sig)...)), nil
}

// FaceInput is what BuildFace writes.
type FaceInput struct {
	BirthDate, Sex, Expiry                string
	CardKey                               *rsa.PublicKey
	NameImage, AddressImage, Photo, SecIm []byte
}

// BuildFace is the visual applet's EF 0002, signed with key.
func BuildFace(in FaceInput, key Signer) ([]byte, error) {
	objs := [][]byte{
		tlv(tagFaceBirth, []byte(in.BirthDate)), tlv(tagFaceSex, []byte(in.Sex)), tlv(tagFaceKey, EncodeRSAKey(in.CardKey)),
		tlv(tagFaceName, in.NameImage), tlv(tagFaceAddr, in.AddressImage), tlv(tagFacePhoto, in.Photo),
	}
	f := &Face{segments: [3][]byte{
		append(append(append([]byte(nil), objs[0]...), objs[1]...), objs[2]...),
		append(append([]byte(nil), objs[3]...), objs[4]...),
		objs[5],
	}}
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, 0, faceDigestInfo(f))
	if err != nil {
		return nil, err
	}
	objs = append(objs, tlv(tagFaceSig, sig), tlv(tagFaceExpiry, []byte(in.Expiry)), tlv(tagFaceSecImg, in.SecIm))
	return withTable(TagFace, tagFaceOffs, objs), nil
}
