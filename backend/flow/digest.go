package flow

import (
	"context"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/digestsign"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/errs"
)

// SignDigests signs digests another program handed over: the signing key
// (after the disclosure, with the signing password) or the authentication
// key (its 4-digit PIN; it proves a login, not consent — the shell says so
// before), one VERIFY and one card operation per digest.
func (f *Flows) SignDigests(ctx context.Context, ui UI, reader string, key jpki.Key, ds []digestsign.Digest) (*digestsign.Output, *cardsvc.Status, error) {
	name, id := "sign", pin.Sign
	if key == jpki.AuthKey {
		name, id = "auth", pin.Auth
	} else {
		accepted, err := ui.AcceptDisclosure()
		if err != nil {
			return nil, nil, err
		}
		if !accepted {
			return nil, nil, errs.New(errs.DisclosureRefused)
		}
	}
	if len(ds) == 0 {
		return nil, nil, digestsign.ErrNone
	}
	st, err := f.Cards.Status(reader)
	if err != nil {
		return nil, nil, err
	}
	if key == jpki.SignKey && !st.Card.SignCert {
		return nil, st, cardio.ErrNoSigningCert
	}
	a, err := f.guard(ui, st, id)
	if err != nil {
		return nil, st, err
	}
	if a.Secret, err = ui.ReadPIN(id, PromptCurrent); err != nil {
		return nil, st, err
	}
	if err := ctx.Err(); err != nil {
		a.Secret.Wipe()
		return nil, st, errs.Wrap(err, errs.Cancelled)
	}
	var out *digestsign.Output
	err = f.Cards.WithSigner(st.Reader, key, a, func(g *jpki.Signer) error {
		o, err := digestsign.Sign(g, name, ds)
		out = o
		return err
	})
	if err != nil {
		out = nil
	}
	if Reached(err) {
		f.record(history.DigestsSigned(len(ds), name, st.TestCard, history.OutcomeOf(err)))
	}
	return out, st, err
}
