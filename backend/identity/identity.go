// Package identity is the counter's identity check and the citizen's basic
// information read, from the My Number Card's 券面 applets: what was read,
// whether J-LIS's signatures hold, and the rules of what may be kept. The
// card work is cardsvc's (Identity, BasicInfo); the parsing and the
// signatures are cardio/kenmen's.
//
// Privacy by construction: a Result lives in memory only. Its JSON form
// never carries the My Number unless the caller asked for it, nor any image;
// the history records only that a check was done and its outcome (Event).
package identity

import (
	"crypto/rsa"
	"fmt"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/cardio/kenmen"
)

// Result is what the chip says about its holder.
type Result struct {
	Name      string `json:"name"`
	Address   string `json:"address"`
	BirthDate string `json:"birth_date"` // YYYY-MM-DD
	Sex       string `json:"sex"`        // male, female, not_applicable, unknown
	SexCode   string `json:"sex_code"`   // the chip's digit
	Expiry    string `json:"expiry,omitempty"`
	MyNumber  string `json:"mynumber,omitempty"` // only when asked for; never stored

	Authentic    bool           `json:"authentic"`
	Authenticity kenmen.Status  `json:"authenticity"`     // confirmed, failed, unverifiable
	TestCard     bool           `json:"test_card"`        // confirmed under a test key
	Detail       string         `json:"detail,omitempty"` // English, technical
	Photo        []byte         `json:"-"`                // JPEG 2000, as the chip holds it
	NameImage    []byte         `json:"-"`
	AddressImage []byte         `json:"-"`
	verdict      kenmen.Verdict // for Event
}

// Wipe drops the personal data from memory as far as Go allows (the slices
// are zeroed; strings are left to the collector).
func (r *Result) Wipe() {
	if r == nil {
		return
	}
	for _, b := range [][]byte{r.Photo, r.NameImage, r.AddressImage} {
		clear(b)
	}
	*r = Result{}
}

// SexWord maps the chip's code (ISO/IEC 5218 / JIS X 0303) to a stable word.
func SexWord(code string) string {
	switch code {
	case kenmen.SexMale:
		return "male"
	case kenmen.SexFemale:
		return "female"
	case kenmen.SexNotApplicable:
		return "not_applicable"
	}
	return "unknown"
}

func isoDate(d string) string {
	if len(d) != 8 {
		return ""
	}
	return d[:4] + "-" + d[4:6] + "-" + d[6:]
}

// FromChip assembles a Result from the files read. face and faceCert are
// nil on the basic-information path (the visual applet is not read there).
// The verdict is the worst of the applets' checks, and the two applets must
// agree on birth date and sex.
func FromChip(text *kenmen.Text, face, faceCert []byte, ring kenmen.Keyring) (*Result, error) {
	basic, err := kenmen.ParseBasic(text.BasicFile)
	if err != nil {
		return nil, err
	}
	r := &Result{Name: basic.Name, Address: basic.Address, BirthDate: isoDate(basic.BirthDate), SexCode: basic.Sex, Sex: SexWord(basic.Sex)}
	verdicts := []kenmen.Verdict{kenmen.VerifyText(*text, ring)}
	if text.MyNumberFile != nil {
		if r.MyNumber, err = kenmen.ParseMyNumber(text.MyNumberFile); err != nil {
			return nil, err
		}
	}
	if face != nil {
		f, err := kenmen.ParseFace(face)
		if err != nil {
			return nil, err
		}
		r.Expiry, r.Photo, r.NameImage, r.AddressImage = isoDate(f.Expiry), f.Photo, f.NameImage, f.AddressImage
		verdicts = append(verdicts, kenmen.VerifyFace(f, faceCert, ring))
		if f.BirthDate != basic.BirthDate || f.Sex != basic.Sex {
			verdicts = append(verdicts, kenmen.Verdict{Status: kenmen.Failed, Reason: "the two applets disagree on birth date or sex"})
		}
	}
	v := kenmen.Worst(verdicts...)
	r.verdict, r.Authenticity, r.Authentic, r.TestCard, r.Detail = v, v.Status, v.OK(), v.Test && v.OK(), v.Reason
	return r, nil
}

// Keyring is J-LIS's keys plus, for virtual cards, the test roots the user
// trusts (a test root is never taken from the card itself: a key from the
// card being checked proves nothing).
func Keyring(store *trust.Store) kenmen.Keyring {
	ring := kenmen.JLIS()
	if store == nil {
		return ring
	}
	for _, a := range store.Anchors() {
		if a.Test && a.Source == trust.SourceUser {
			if pub, ok := a.Cert.PublicKey.(*rsa.PublicKey); ok && pub.N.BitLen() == 2048 {
				ring = ring.WithTestKey(pub)
			}
		}
	}
	return ring
}

// History kinds.
const (
	KindIdentityCheck = "identity_check" // the counter's check: outcome and authenticity only
	KindBasicInfo     = "basic_info"     // the basic information read: outcome and authenticity only
)

// Event is what the history keeps of a check: the kind, the outcome and the
// authenticity verdict. Nothing the chip said about the person.
func Event(kind string, r *Result, err error, outcome string) history.Event {
	ev := history.Event{Kind: kind, Outcome: outcome}
	if err == nil && r != nil {
		ev.Data = map[string]any{"authenticity": string(r.Authenticity), "test_card": r.TestCard}
	}
	return ev
}

// Describe is a one-line technical description, for logs: no personal data.
func (r *Result) Describe() string {
	return fmt.Sprintf("authenticity=%s test=%v", r.Authenticity, r.TestCard)
}
