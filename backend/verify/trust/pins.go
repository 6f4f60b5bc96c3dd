// Package trust decides whether a certificate chains to an anchor the user
// trusts: the J-LIS roots (accepted only as bytes whose SHA-256 is pinned
// here) and anchors the user adds on their own decision (a company CA, the
// virtual card's test root), always marked as such. It builds chains by
// signature, because the three generations of each J-LIS root share one
// subject name; validates at a given time, so expired roots still serve old
// signatures; checks that a certificate is fit for signing or for
// time-stamping; reads revocation from CRL files the user gives; and tells
// what a JPKI certificate is.
package trust

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Pin is one J-LIS root the project knows by fingerprint.
type Pin struct {
	Name     string    `json:"name"`    // J-LIS's file name without .cer: signca01 … authca03
	Purpose  string    `json:"purpose"` // "sign" | "auth"
	NotAfter time.Time `json:"not_after"`
	Serial   string    `json:"serial"` // hex, as J-LIS lists it
	// SHA256 of the DER certificate, hex upper case. Empty when the project
	// has no confirmed fingerprint: such a root is listed but its bytes are
	// never accepted.
	SHA256 string `json:"sha256"`
}

// Generation is the root's generation, from its name (signca02 → 2).
func (p Pin) Generation() int {
	if len(p.Name) < 2 {
		return 0
	}
	n := p.Name[len(p.Name)-2:]
	if n[0] < '0' || n[0] > '9' || n[1] < '0' || n[1] > '9' {
		return 0
	}
	return int(n[0]-'0')*10 + int(n[1]-'0')
}

func until(y int, m time.Month, d int) time.Time {
	// J-LIS roots end at 23:59:59 Japan time, 14:59:59 UTC.
	return time.Date(y, m, d, 14, 59, 59, 0, time.UTC)
}

// pins are facts from ../shared/docs/jpki-card.md, each checked against the
// certificate files where a copy exists. authca02 has no confirmed
// fingerprint yet.
var pins = []Pin{
	{"signca01", "sign", until(2025, 10, 19), "01", "19645405A1FE14377434BD55957628AC4038557C542403A2243F21C706FC9355"},
	{"signca02", "sign", until(2029, 9, 14), "0132C4AB", "79679C33E4CC9319440F1AD120A597FF1844E2EF217063ADB176966FD5E6FBEB"},
	{"signca03", "sign", until(2033, 7, 15), "067C6A21", "D227F6CDE11D35C5252178F106F843D24651944975413B539FA2FB68DBFA365F"},
	{"authca01", "auth", until(2025, 10, 19), "01", "4DCFC4CA0AAF9FB2A3081B3F0C991C320B3ACC008667A341EEAEC5AF1D58CA7D"},
	{"authca02", "auth", until(2029, 9, 14), "0133C349", ""},
	{"authca03", "auth", until(2033, 7, 15), "06D18006", "64114F29620C24ED2631D46476A040E7EE740D956089C00B036A6A8118C322B5"},
}

// Pins returns the J-LIS roots the project knows, in J-LIS's order.
func Pins() []Pin { return append([]Pin(nil), pins...) }

// pinFor returns the pin whose fingerprint is fp (hex upper case).
func pinFor(fp string) (Pin, bool) {
	for _, p := range pins {
		if p.SHA256 != "" && p.SHA256 == fp {
			return p, true
		}
	}
	return Pin{}, false
}

// Fingerprint is the SHA-256 of der, hex upper case.
func Fingerprint(der []byte) string {
	h := sha256.Sum256(der)
	return strings.ToUpper(hex.EncodeToString(h[:]))
}

// normFingerprint accepts a fingerprint typed by a person: any case, with
// or without colons or spaces. It returns "" when s is not 64 hex digits.
func normFingerprint(s string) string {
	s = strings.NewReplacer(":", "", " ", "", "\t", "").Replace(strings.TrimSpace(s))
	s = strings.ToUpper(s)
	if len(s) != 64 {
		return ""
	}
	if _, err := hex.DecodeString(s); err != nil {
		return ""
	}
	return s
}
