package cardsvc

import (
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
)

// CACerts are the CA certificates a card carries, DER, as read: EF 0002
// (above the signing certificate) and EF 000B (above the authentication
// certificate). Either is nil when its file is empty. Nothing here trusts
// them: a card vouching for its own issuer proves nothing, so callers accept
// these bytes only where they match a pinned root.
type CACerts struct {
	Reader string
	Sign   []byte
	Auth   []byte
}

// CACertificates reads the card's CA certificates. Both files are free to
// read: no PIN is involved. Like Status, it reconnects and reads again once
// when another program reset the card meanwhile.
func (s *Service) CACertificates(reader string) (*CACerts, error) {
	var out *CACerts
	err := s.withSession(reader, false, func(sess *jpki.Session, l Link) error {
		read := func() (*CACerts, error) {
			if _, err := sess.Identify(); err != nil {
				return nil, err
			}
			cc := &CACerts{Reader: l.Reader()}
			for _, f := range []struct {
				fid uint16
				dst *[]byte
			}{{jpki.EFSignCA, &cc.Sign}, {jpki.EFAuthCA, &cc.Auth}} {
				_, der, err := sess.ReadCertificate(f.fid)
				if cardio.CodeOf(err) == cardio.CodeNoSigningCert {
					continue // an empty slot
				}
				if err != nil {
					return nil, err
				}
				*f.dst = der
			}
			return cc, nil
		}
		cc, err := read()
		if cardio.CodeOf(err) == cardio.CodeCardReset {
			if err := l.Reconnect(); err != nil {
				return err
			}
			sess = jpki.NewSession(l)
			cc, err = read()
		}
		out = cc
		return err
	})
	return out, err
}
