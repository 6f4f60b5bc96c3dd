package kenmen

import (
	"crypto/rsa"
	"math/big"
	"unicode/utf8"
)

// Tags of the text applet (券面事項入力補助AP). All peers agree.
const (
	TagMyNumber  = 0xFF10 // EF 0001
	TagBasic     = 0xFF20 // EF 0002
	tagBasicOffs = 0xDF21
	tagName      = 0xDF22 // UTF-8
	tagAddress   = 0xDF23 // UTF-8
	tagBirth     = 0xDF24 // YYYYMMDD
	tagSex       = 0xDF25 // one digit
	TagIntegrity = 0xFF30 // EF 0003
	tagDigestMN  = 0xDF31 // SHA-256 of EF 0001 as stored, filler included
	tagDigestB4  = 0xDF32 // SHA-256 of EF 0002's template value after the offset table
	tagTextSig   = 0xDF33 // RSA PKCS#1 v1.5 SHA-256 over DF31 and DF32 as written
)

// Tags of the visual applet's card face (券面事項確認AP EF 0002). jpki/myna
// (Rust) counts them as private tags 33..39, soltia48/myna-card and
// AokiApp/jsapdu name DF21..DF2A: the same objects.
const (
	TagFace       = 0xFF20
	tagFaceOffs   = 0xDF21
	tagFaceBirth  = 0xDF22 // YYYYMMDD
	tagFaceSex    = 0xDF23
	tagFaceKey    = 0xDF24 // the card's own RSA key (90 exponent, 91 modulus)
	tagFaceName   = 0xDF25 // name as printed, an image (PNG on the card surveyed)
	tagFaceAddr   = 0xDF26 // address as printed, an image
	tagFacePhoto  = 0xDF27 // face photo, JPEG 2000 (JP2)
	tagFaceSig    = 0xDF28 // signature over three digests (see VerifyFace)
	tagFaceExpiry = 0xDF29 // YYYYMMDD, after the signature: NOT covered by it
	tagFaceSecImg = 0xDF2A // security code image, after the signature: NOT covered
)

// Sex codes. The text and visual applets hold one ASCII digit. jpki/myna
// reads it as ISO/IEC 5218 (1 male, 2 female, 9 not applicable, anything
// else unknown); soltia48/myna-card as JIS X 0303 (0 unknown, 1, 2, 9: the
// same codes) and reports only 1 seen on a real card; AokiApp/jsapdu keeps the
// raw text. The JPKI certificate's SAN uses 1/2/3 instead (3 = other): the two
// must not be mixed. Unknown codes are kept and shown as "unknown", never
// guessed.
const (
	SexMale          = "1"
	SexFemale        = "2"
	SexNotApplicable = "9"
)

// BasicInfo is the text applet's basic 4 information.
type BasicInfo struct {
	Name      string // family and given name, separated by U+3000 on the card
	Address   string
	BirthDate string // YYYYMMDD
	Sex       string // one digit, see the Sex codes
}

// Text is the text applet's files as read.
type Text struct {
	MyNumberFile []byte // EF 0001 as stored (filler included); nil when not read
	BasicFile    []byte // EF 0002, the TLV object
	Integrity    []byte // EF 0003, the TLV object
	Cert         []byte // EF 0004, the CVC
}

// ParseMyNumber returns the 12 digits of EF 0001.
func ParseMyNumber(file []byte) (string, error) {
	tag, hdr, n, err := header(file)
	if err != nil {
		return "", err
	}
	if tag != TagMyNumber || n != 12 || hdr+n > len(file) {
		return "", malformed("My Number file: tag %X, %d bytes", tag, n)
	}
	for _, c := range file[hdr : hdr+n] {
		if c < '0' || c > '9' {
			return "", malformed("My Number file holds a non-digit")
		}
	}
	return string(file[hdr : hdr+n]), nil
}

// ParseBasic reads EF 0002 of the text applet, checking its offset table.
func ParseBasic(file []byte) (BasicInfo, error) {
	fs, err := parseFile(file, TagBasic, tagBasicOffs)
	if err != nil {
		return BasicInfo{}, err
	}
	var b BasicInfo
	for _, x := range []struct {
		tag uint32
		dst *string
	}{{tagName, &b.Name}, {tagAddress, &b.Address}, {tagBirth, &b.BirthDate}, {tagSex, &b.Sex}} {
		v, err := fs.get(x.tag)
		if err != nil {
			return BasicInfo{}, err
		}
		if !utf8.Valid(v) {
			return BasicInfo{}, malformed("object %X is not UTF-8", x.tag)
		}
		*x.dst = string(v)
	}
	if err := checkText(b.Name, 200); err != nil {
		return BasicInfo{}, err
	}
	if err := checkText(b.Address, 400); err != nil {
		return BasicInfo{}, err
	}
	if !IsDate(b.BirthDate) {
		return BasicInfo{}, malformed("birth date is not YYYYMMDD")
	}
	if len(b.Sex) != 1 || b.Sex[0] < '0' || b.Sex[0] > '9' {
		return BasicInfo{}, malformed("sex is not one digit")
	}
	return b, nil
}

// checkText refuses what no card prints and what would fool a reader of the
// output: control characters, bidirectional overrides, empty or huge text.
func checkText(s string, max int) error {
	if s == "" || utf8.RuneCountInString(s) > max {
		return malformed("text of %d characters", utf8.RuneCountInString(s))
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) || (r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0xFEFF {
			return malformed("text holds control or direction character U+%04X", r)
		}
	}
	return nil
}

// IsDate reports whether s is a plausible YYYYMMDD date.
func IsDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	y := (int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0'))
	m := int(s[4]-'0')*10 + int(s[5]-'0')
	d := int(s[6]-'0')*10 + int(s[7]-'0')
	_ = n
	return y >= 1868 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// basicDigestSource is what DF32 hashes: the template's value after the
// offset table (soltia48/myna-card, established on a real card; neither the
// file nor the whole template).
func basicDigestSource(file []byte) ([]byte, error) {
	_, hdr, n, err := header(file)
	if err != nil {
		return nil, err
	}
	if hdr+n > len(file) {
		return nil, malformed("basic information template cut short")
	}
	v := file[hdr : hdr+n]
	t, h, l, err := header(v)
	if err != nil {
		return nil, err
	}
	if t != tagBasicOffs || h+l > len(v) {
		return nil, malformed("basic information does not open with its offset table")
	}
	return v[h+l:], nil
}

// Integrity is EF 0003 of the text applet.
type Integrity struct {
	MyNumberDigest []byte // SHA-256 of EF 0001 as stored
	BasicDigest    []byte // SHA-256 of EF 0002's template value after the table
	Signature      []byte
	signed         []byte // DF31 and DF32 as written
}

// ParseIntegrity reads EF 0003 of the text applet.
func ParseIntegrity(file []byte) (*Integrity, error) {
	fs, err := parseFile(file, TagIntegrity, 0)
	if err != nil {
		return nil, err
	}
	var in Integrity
	if in.MyNumberDigest, err = fs.get(tagDigestMN); err != nil {
		return nil, err
	}
	if in.BasicDigest, err = fs.get(tagDigestB4); err != nil {
		return nil, err
	}
	if in.Signature, err = fs.get(tagTextSig); err != nil {
		return nil, err
	}
	if len(in.MyNumberDigest) != 32 || len(in.BasicDigest) != 32 {
		return nil, malformed("digests are not SHA-256")
	}
	if in.signed, err = fs.rawOf(tagDigestMN, tagDigestB4); err != nil {
		return nil, err
	}
	if len(fs) != 3 || fs[2].tag != tagTextSig {
		return nil, malformed("integrity record holds %d objects", len(fs))
	}
	return &in, nil
}

// Face is the visual applet's card face (EF 0002).
type Face struct {
	BirthDate         string // YYYYMMDD
	Sex               string
	CardKey           *rsa.PublicKey
	NameImage         []byte
	AddressImage      []byte
	Photo             []byte // JPEG 2000
	Signature         []byte
	Expiry            string // YYYYMMDD; not covered by the signature
	SecurityCodeImage []byte // not covered by the signature
	segments          [3][]byte
}

// ParseFace reads the visual applet's EF 0002, checking its offset table.
func ParseFace(file []byte) (*Face, error) {
	fs, err := parseFile(file, TagFace, tagFaceOffs)
	if err != nil {
		return nil, err
	}
	var f Face
	get := func(tag uint32) []byte {
		if err != nil {
			return nil
		}
		var v []byte
		v, err = fs.get(tag)
		return v
	}
	birth, sex, key := get(tagFaceBirth), get(tagFaceSex), get(tagFaceKey)
	f.NameImage, f.AddressImage, f.Photo = get(tagFaceName), get(tagFaceAddr), get(tagFacePhoto)
	f.Signature, f.SecurityCodeImage = get(tagFaceSig), get(tagFaceSecImg)
	expiry := get(tagFaceExpiry)
	if err != nil {
		return nil, err
	}
	f.BirthDate, f.Sex, f.Expiry = string(birth), string(sex), string(expiry)
	if !IsDate(f.BirthDate) || !IsDate(f.Expiry) {
		return nil, malformed("card face dates are not YYYYMMDD")
	}
	if len(f.Sex) != 1 || f.Sex[0] < '0' || f.Sex[0] > '9' {
		return nil, malformed("sex is not one digit")
	}
	if f.CardKey, err = ParseRSAKey(key); err != nil {
		return nil, err
	}
	if !IsJP2(f.Photo) {
		return nil, malformed("the face photo is not JPEG 2000")
	}
	if f.segments[0], err = fs.rawOf(tagFaceBirth, tagFaceSex, tagFaceKey); err != nil {
		return nil, err
	}
	if f.segments[1], err = fs.rawOf(tagFaceName, tagFaceAddr); err != nil {
		return nil, err
	}
	if f.segments[2], err = fs.rawOf(tagFacePhoto); err != nil {
		return nil, err
	}
	return &f, nil
}

// IsJP2 reports whether b starts with the JPEG 2000 signature box (JP2) or a
// raw codestream's SOC+SIZ markers.
func IsJP2(b []byte) bool {
	jp2 := []byte{0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A}
	if len(b) >= len(jp2) && string(b[:len(jp2)]) == string(jp2) {
		return true
	}
	return len(b) >= 4 && b[0] == 0xFF && b[1] == 0x4F && b[2] == 0xFF && b[3] == 0x51
}

// IsPNG reports whether b starts with the PNG signature.
func IsPNG(b []byte) bool {
	return len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n"
}

// ParseRSAKey reads a key as the card writes it: 90 exponent, 91 modulus.
func ParseRSAKey(b []byte) (*rsa.PublicKey, error) {
	var e, n []byte
	for len(b) > 0 {
		t, h, l, err := header(b)
		if err != nil {
			return nil, err
		}
		if h+l > len(b) {
			return nil, malformed("key object cut short")
		}
		switch t {
		case 0x90:
			e = b[h : h+l]
		case 0x91:
			n = b[h : h+l]
		default:
			return nil, malformed("key object %X", t)
		}
		b = b[h+l:]
	}
	if len(e) == 0 || len(e) > 4 || len(n) < 256 || len(n) > 257 {
		return nil, malformed("not an RSA-2048 key")
	}
	ev := 0
	for _, c := range e {
		ev = ev<<8 | int(c)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: ev}
	if pub.N.BitLen() != 2048 || ev < 3 || ev%2 == 0 {
		return nil, malformed("not an RSA-2048 key")
	}
	return pub, nil
}

// EncodeRSAKey writes pub as the card does.
func EncodeRSAKey(pub *rsa.PublicKey) []byte {
	e := big.NewInt(int64(pub.E)).Bytes()
	return append(tlv(0x90, e), tlv(0x91, pub.N.FillBytes(make([]byte, 256)))...)
}

// eras are the Japanese eras' first days (Gregorian), newest first.
var eras = []struct {
	from string // YYYYMMDD
	year int    // Gregorian year of the era's year 1
}{
	{"20190501", 2019}, {"19890108", 1989}, {"19261225", 1926}, {"19120730", 1912}, {"18680125", 1868},
}

// CodeB composes 照合番号B from what the card face shows: the birth date
// (YYYYMMDD, Gregorian) as YYMMDD with the Japanese era's year, the expiry
// year and the 4-digit security code. soltia48/myna-card confirmed the era
// year on a real card (1980-02-17, 昭和55 → 550217); AokiApp/jsapdu writes
// only "YYMMDD"; jpki/myna does not compose it. The real card is followed.
func CodeB(birth, expiry, security string) (string, bool) {
	if !IsDate(birth) || !IsDate(expiry) || len(security) != 4 {
		return "", false
	}
	for _, c := range []byte(security) {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	for _, e := range eras {
		if birth >= e.from {
			y := 0
			for _, c := range []byte(birth[:4]) {
				y = y*10 + int(c-'0')
			}
			ey := y - e.year + 1
			if ey > 99 {
				return "", false
			}
			return string([]byte{byte('0' + ey/10), byte('0' + ey%10)}) + birth[4:8] + expiry[:4] + security, true
		}
	}
	return "", false
}
