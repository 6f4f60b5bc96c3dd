package flow

import (
	"time"

	"github.com/shomei-app/shomei/backend/desk"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/cardio/pin"
)

// DeskReset resets PIN id of the card the staff sees (v, probed by
// desk.Probe) with the card's reset code: what can be refused is refused
// before anything is asked; the staff confirms; the reset code and the new
// PIN are read; then one RESET RETRY COUNTER through the guard (same card
// as shown). Every attempt that reached the card is recorded.
func (f *Flows) DeskReset(ui UI, v desk.View, id pin.ID, now time.Time) (desk.Outcome, error) {
	refused := desk.Outcome{PIN: id, Result: "refused", TestCard: v.TestCard, Time: now}
	if err := desk.CanReset(v, id); err != nil {
		return refused, err
	}
	ok, err := ui.StaffConfirm()
	if err != nil {
		return refused, err
	}
	if !ok {
		return refused, desk.ErrNotConfirmed
	}
	code, err := ui.ReadPIN(id, PromptResetCode)
	if err != nil {
		return refused, err
	}
	next, err := ui.ReadPIN(id, PromptNew)
	if err != nil {
		code.Wipe()
		return refused, err
	}
	raw := append([]byte(nil), code.Bytes()...) // desk.Reset wipes its copy
	code.Wipe()
	out, err := desk.Reset(f.Cards, v, id, raw, next, true, now)
	if out.Result != "refused" {
		f.record(history.PINReset(string(id), "counter", v.Reader, v.TestCard, out.Result))
	}
	return out, err
}
