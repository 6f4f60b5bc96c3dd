package kenmen

import (
	"crypto/rsa"
	"encoding/hex"
	"math/big"
	"strings"
)

// The public keys of J-LIS's CA for the 券面 applets' card-verifiable
// certificates. A CVC names its issuer by a 16-byte key ID and does not carry
// the issuer's key, and J-LIS publishes no file with these keys: the values
// below are facts taken from soltia48/myna-card (src/ca.rs), the one peer that
// checks the signatures, which reports that real cards' certificates verify
// under them. UNVERIFIED here: no real card was at hand; a test asserts only
// their shape. jpki/myna and AokiApp/jsapdu read the signatures but check
// none.
//
// Compared again (issue 15, second pass) with soltia48/myna-card's
// src/ca.rs: both moduli, byte for byte, and both 16-byte key IDs (the last
// byte 00 for these two) are the same as below. That peer also lists the
// MF-level key "5000020" (not used by the 券面 applets) and the keys of
// J-LIS's test hierarchy ("6000023", "6000033", for J-LIS's own test cards),
// which Shomei does not carry: a J-LIS test card reads as "cannot be
// confirmed", never as confirmed. Still UNVERIFIED against a real card here:
// the keys themselves, the signature scheme over the text applet's 0003 and
// the visual applet's signed segments, the offset tables, and the sex code
// and 照合番号B year rules noted in files.go.
var (
	// 証明者鍵ID "5000023" 08 05 "001": the visual applet's issuer.
	IDVisualJLIS = keyID("5000023", "001", 0)
	// 証明者鍵ID "5000033" 08 05 "001": the text applet's issuer.
	IDTextJLIS = keyID("5000033", "001", 0)
	// The virtual card's issuers. The leading 9 is neither J-LIS's
	// production hierarchy (5) nor its test hierarchy (6).
	IDVisualTest = keyID("9999023", "001", 0)
	IDTextTest   = keyID("9999033", "001", 0)
)

func keyID(number, group string, last byte) [16]byte {
	var id [16]byte
	copy(id[:7], number)
	id[7], id[8] = 0x08, 0x05
	copy(id[9:12], group)
	id[15] = last
	return id
}

// jlisModuli are the moduli (exponent 65537), 16 bytes a line.
var jlisModuli = map[[16]byte]string{
	IDVisualJLIS: `
B2F740F0AD86D17CF3F537D23B4B3C65
A3CB58474D857F55D0B9BC0411B1CB08
49068DE332A50D63B3E6921C9CCBE615
6496EFB04BE8FFCC74FDE9A228A36AD7
EDCE9793204E35973DC911108365002C
40169E0B60018DFB99E1E2310D9A110F
F0FC269F1F220C63B8A1510DE5A68982
20C78908FC280D8AA95D5D113B7CF007
00F3FF5AD8B3D6AD2EB53C7D563498B4
A938DEFFC9BDA32BF4146C1B07EF870D
99EB35DE5D70AC18715874277A13151D
217D04D42E97923923A40FBC7D06FAA8
338CCBE876620F9B8EF4471CD4B9E29D
4EA621E0FB8F1DC04B487210097DBAAF
3D8E0550C76A5B97CF202FA47C7A2622
F1C084E65C13D13B8E7AB226F5F51F87`,
	IDTextJLIS: `
D24615F63525E740C87E83ED64787E76
D10A1F8652EBE1EA28934D35CE3BF077
16F5B79E2BCB2AE2B91B4F4C9FFB6024
97F596D659AF9D0A14B45CDD738EF562
49349B8CC7DB32F2D433BD39BCC44F50
3E881D56C149ECD5155C1CE7461FC3AC
4F55D0A39CCAAADFAE5B8AFA11CCF91B
EDC774023D11CA6EBA99004F81C541A7
D67DDED8C724D6E20B10A3DEAAE8C43C
137CCD71B263740E8979752DE4D56763
29CABCBD7F3A77FC48A6F8E61D399B4A
C66684A9FDFC99ECEF900DD6FF7F0FDD
39E23D163F8A468C62DBEAE00906DFAD
5A89B45CA5B7353DC998A80D3803EDA7
94B55F99F535D1C39A243C8352AD602D
926C389D2816C941349EE24E4F41597F`,
}

// CAKey is one issuer key a CVC may name.
type CAKey struct {
	ID   [16]byte
	Pub  *rsa.PublicKey
	Test bool // a test key: what it confirms is a test card
}

// Keyring is the set of issuer keys a verdict may rest on.
type Keyring []CAKey

// JLIS returns J-LIS's production keys for the two 券面 applets.
func JLIS() Keyring {
	var out Keyring
	for _, id := range [][16]byte{IDVisualJLIS, IDTextJLIS} {
		n, err := hex.DecodeString(strings.Join(strings.Fields(jlisModuli[id]), ""))
		if err != nil {
			panic(err)
		}
		out = append(out, CAKey{ID: id, Pub: &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537}})
	}
	return out
}

// WithTestKey adds a test key (a virtual card's test root, trusted by the
// user) under the virtual card's two issuer IDs.
func (k Keyring) WithTestKey(pub *rsa.PublicKey) Keyring {
	return append(k, CAKey{ID: IDVisualTest, Pub: pub, Test: true}, CAKey{ID: IDTextTest, Pub: pub, Test: true})
}

func (k Keyring) lookup(id [16]byte) []CAKey {
	var out []CAKey
	for _, c := range k {
		if c.ID == id {
			out = append(out, c)
		}
	}
	return out
}
