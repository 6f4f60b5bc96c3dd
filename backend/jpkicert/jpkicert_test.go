package jpkicert_test

import (
	"crypto/x509"
	"testing"

	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func TestHolderData(t *testing.T) {
	st := vcardtest.State(t)
	sc, _ := x509.ParseCertificate(st.SignCertDER())
	d := jpkicert.HolderData(sc)
	h := vcard.DefaultHolder
	if d[1] != h.Name || d[3] != h.Sex || d[4] != h.BirthDate || d[5] != h.Address {
		t.Errorf("holder data %v", d)
	}
	if jpkicert.HolderName(sc) != h.Name || !jpkicert.IsSigning(sc) {
		t.Error("name or policy")
	}
	ac, _ := x509.ParseCertificate(st.AuthCertDER())
	if len(jpkicert.HolderData(ac)) != 0 || jpkicert.IsSigning(ac) {
		t.Error("auth certificate read as a signing one")
	}
}
