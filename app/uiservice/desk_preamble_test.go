package uiservice_test

import (
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// Every PIN use at the counter is refused before the card when the desk is
// empty (each call with its own code, one sentence) or shows another card
// than the screen did, and a refusal leaves no PIN operation running: the
// same call again gets the same answer, not "busy".
func TestCounterRefusedBeforeTheCard(t *testing.T) {
	calls := []struct {
		name   string
		noCard string
		call   func(svc *uiservice.Service, cardID string) error
	}{
		{"reset", "desk_no_card", func(svc *uiservice.Service, cardID string) error {
			_, err := svc.CounterReset(uiservice.CounterResetRequest{CardID: cardID, PIN: "auth", StaffConfirmed: true, ResetCode: uiservice.Secret(vcardtest.ResetCode), New: uiservice.Secret("4321")})
			return err
		}},
		{"identity", "no_card", func(svc *uiservice.Service, cardID string) error {
			_, err := svc.CounterIdentity(uiservice.IdentityRequest{CardID: cardID, CodeB: uiservice.Secret("02040120369999"), TriesVisualB: 10, TriesTextB: 10})
			return err
		}},
		{"basic info", "no_card", func(svc *uiservice.Service, cardID string) error {
			_, err := svc.CounterBasicInfo(uiservice.BasicInfoRequest{CardID: cardID, PIN: uiservice.Secret("1234"), TriesLeft: 3})
			return err
		}},
	}
	const noCardText = "JPKI のカードが読み取られていません。"
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			for range 2 {
				if e := apiErr(t, c.call(f.svc, "any")); e.Code != c.noCard || e.Message != noCardText {
					t.Errorf("empty desk: %+v, want %s", e, c.noCard)
				}
			}
			v := f.svc.CounterStatus("")
			if !v.Shown {
				t.Fatalf("the card is not shown: %+v", v)
			}
			for range 2 {
				if e := apiErr(t, c.call(f.svc, "another")); e.Code != "card_changed" {
					t.Errorf("another card: %+v", e)
				}
			}
			if st := f.status(t); tries(st, "auth") != 3 || tries(st, "text") != 3 {
				t.Errorf("a refusal reached the card: %+v", st.PINList)
			}
		})
	}
}
