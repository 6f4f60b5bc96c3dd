package cardsvc_test

import (
	"crypto/rsa"
	"errors"
	"testing"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func ring(st *vcard.State) kenmen.Keyring {
	return kenmen.JLIS().WithTestKey(st.Root().PublicKey.(*rsa.PublicKey))
}

func codeB(t *testing.T, st *vcard.State) string {
	b, err := st.Identity().CodeB()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestIdentityCheck(t *testing.T) {
	card := vcardtest.New(t)
	st := card.State()
	svc := cardsvc.New(cardsvctest.Memory(card))
	status, err := svc.Status("")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range pin.Codes {
		if p := status.PINs[id]; !p.Available || p.TriesLeft != 10 || p.MaxTries != 10 {
			t.Errorf("%s: %+v", id, p)
		}
	}
	res, err := svc.IdentityCheck("", status, []byte(codeB(t, st)), false, ring(st))
	if err != nil {
		t.Fatal(err)
	}
	id := st.Identity()
	if res.Name != id.Name || res.Address != id.Address || res.BirthDate != "1990-04-01" || res.Sex != "female" || res.Expiry != "2036-04-01" {
		t.Errorf("result %+v", res)
	}
	if !res.Authentic || res.Authenticity != kenmen.Confirmed || !res.TestCard || res.MyNumber != "" {
		t.Errorf("authenticity %s test %v mynumber %q", res.Authenticity, res.TestCard, res.MyNumber)
	}
	if !kenmen.IsJP2(res.Photo) || !kenmen.IsPNG(res.NameImage) || !kenmen.IsPNG(res.AddressImage) {
		t.Error("images missing")
	}

	// J-LIS's keys alone cannot vouch for a test card.
	res2, err := svc.IdentityCheck("", status, []byte(codeB(t, st)), false, kenmen.JLIS())
	if err != nil || res2.Authentic || res2.Authenticity != kenmen.Unverifiable {
		t.Errorf("without the test key: %v %+v", err, res2)
	}
}

func TestIdentityCheckWrongAndMalformedCodes(t *testing.T) {
	card := vcardtest.New(t)
	st := card.State()
	svc := cardsvc.New(cardsvctest.Memory(card))
	status, _ := svc.Status("")
	// Malformed: nothing reaches the card.
	for _, bad := range []string{"1234", "02130120365678", "0204012036567X", "02040120365678 9"} {
		if _, err := svc.IdentityCheck("", status, []byte(bad), false, ring(st)); cardio.CodeOf(err) != cardio.CodePINFormat {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if st.Tries(pin.VisualB) != 10 || st.Tries(pin.TextB) != 10 {
		t.Fatal("a malformed code used a try")
	}
	// Wrong: exactly one try of the visual applet's 照合番号B, none elsewhere.
	_, err := svc.IdentityCheck("", status, []byte("02040120369999"), false, ring(st))
	var ce *cardio.Error
	if !errors.As(err, &ce) || ce.Code != cardio.CodePINWrong || ce.TriesLeft != 9 {
		t.Fatalf("wrong code: %v", err)
	}
	if st.Tries(pin.VisualB) != 9 || st.Tries(pin.TextB) != 10 {
		t.Errorf("tries %d %d", st.Tries(pin.VisualB), st.Tries(pin.TextB))
	}
	// The state shown is now stale: nothing is sent until it is read again.
	if _, err := svc.IdentityCheck("", status, []byte(codeB(t, st)), false, ring(st)); cardio.CodeOf(err) != cardio.CodeStateChanged {
		t.Errorf("stale state: %v", err)
	}
}

func TestIdentityCheckTamperedCard(t *testing.T) {
	card := vcard.New(vcardtest.State(t), vcard.TamperChipData())
	st := card.State()
	svc := cardsvc.New(cardsvctest.Memory(card))
	status, _ := svc.Status("")
	res, err := svc.IdentityCheck("", status, []byte(codeB(t, st)), false, ring(st))
	if err != nil {
		t.Fatal(err)
	}
	if res.Authentic || res.Authenticity != kenmen.Failed {
		t.Errorf("tampered card: %s %s", res.Authenticity, res.Detail)
	}
}

func TestBasicInfo(t *testing.T) {
	card := vcardtest.New(t)
	st := card.State()
	svc := cardsvc.New(cardsvctest.Memory(card))
	for _, with := range []bool{false, true} {
		status, _ := svc.Status("")
		p, _ := pin.Parse(pin.Text, []byte("1234"))
		res, err := svc.BasicInfo("", jpki.Attempt{PIN: pin.Text, Secret: p, Seen: status.Seen(pin.Text)}, with, ring(st))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Authentic || res.Name != st.Identity().Name || res.Photo != nil {
			t.Errorf("basic info %+v", res)
		}
		if with != (res.MyNumber == st.Identity().MyNumber) {
			t.Errorf("with_mynumber %v: mynumber %q", with, res.MyNumber)
		}
	}
}
