package cli

import (
	"fmt"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/i18n"
)

// statusWithLife is card status's JSON: the status plus the certificates'
// life (the authentication certificate's; the signing certificate cannot
// be read without its password).
type statusWithLife struct {
	*cardsvc.Status
	CertLife []certlife.Life `json:"certificate_life"`
}

func withLife(st *cardsvc.Status) statusWithLife {
	out := statusWithLife{Status: st, CertLife: []certlife.Life{}}
	if st.AuthCert != nil {
		out.CertLife = append(out.CertLife, certlife.Assess(certlife.Auth, st.AuthCert.NotAfter, time.Now(), 0))
	}
	return out
}

// printLife adds to card status what the certificates' life calls for:
// the warning and renewal window, the note on what ends the signing
// certificate, and the way to the PIN recovery advice when a PIN is locked.
func printLife(e *Env, st *cardsvc.Status) {
	L := e.Lang
	for _, l := range withLife(st).CertLife {
		lines := l.Lines(L)
		for _, s := range lines[1:] { // the first line repeats the expiry shown above
			fmt.Fprintln(e.Stdout, "  "+s)
		}
		if l.Warn {
			fmt.Fprintln(e.Stdout, "  "+lines[0])
		}
	}
	if st.Card.SignCert {
		fmt.Fprintln(e.Stdout, "  "+i18n.T(L, "certlife.sign.unread"))
		fmt.Fprintln(e.Stdout, "  "+i18n.T(L, "certlife.note.move_ends_sign"))
	}
	for _, p := range st.PINs {
		if p.Available && p.Locked {
			fmt.Fprintln(e.Stdout, i18n.T(L, "advise.hint"))
			break
		}
	}
}
