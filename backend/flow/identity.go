package flow

import (
	"context"

	"github.com/shomei-app/shomei/backend/identity"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
)

// PromptCodeB asks for 照合番号B (the identity check).
const PromptCodeB Prompt = "code_b"

// Identity is the counter's identity check (basic false: 照合番号B through
// the guard on the visual then the text applet) or the citizen's basic
// information read (basic true: the 4-digit PIN; the My Number only with
// withMyNumber). The history records that a check was done, its outcome
// and the verdict, nothing of the person.
func (f *Flows) Identity(ctx context.Context, ui UI, reader string, basic, withMyNumber bool, ring kenmen.Keyring) (*identity.Result, error) {
	id, kind, prompt := pin.VisualB, identity.KindIdentityCheck, PromptCodeB
	if basic {
		id, kind, prompt = pin.Text, identity.KindBasicInfo, PromptCurrent
	}
	st, err := f.Cards.Status(reader)
	if err != nil {
		return nil, err
	}
	if !basic {
		if p := st.PINs[pin.TextB]; !p.Available || p.Locked {
			if p.Locked {
				return nil, cardio.ErrPINLocked
			}
			return nil, cardio.ErrUnsupported
		}
	}
	a, err := f.guard(ui, st, id)
	if err != nil {
		return nil, err
	}
	if a.Secret, err = ui.ReadPIN(id, prompt); err != nil {
		return nil, err
	}
	var res *identity.Result
	if basic {
		res, err = f.Cards.BasicInfo(st.Reader, a, withMyNumber, ring)
	} else {
		code := append([]byte(nil), a.Secret.Bytes()...)
		a.Secret.Wipe()
		res, err = f.Cards.IdentityCheck(st.Reader, st, code, a.ConfirmLastTry, ring)
	}
	if err != nil {
		if Reached(err) {
			f.record(identity.Event(kind, nil, err, string(cardio.CodeOf(err))))
		}
		return nil, err
	}
	f.record(identity.Event(kind, res, nil, map[bool]string{true: "ok", false: "failed"}[res.Authentic]))
	return res, nil
}
