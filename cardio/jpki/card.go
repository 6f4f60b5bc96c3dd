// What identifies a JPKI token: its label and kind, its certificates, and
// an ID that tells cards apart within this process only.

package jpki

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/shomei-app/shomei/cardio"
)

// idKey keys the card identity digest. It is new in every process, so a card
// ID cannot be linked across runs or stored usefully.
var idKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}()

// CardInfo is what identifies a JPKI token.
type CardInfo struct {
	Label    string   `json:"label"`
	Kind     CardKind `json:"kind"`
	SignCert bool     `json:"sign_cert_present"`
	AuthCert bool     `json:"auth_cert_present"`
}

// Identify selects the JPKI applet and reads the token label and the
// certificate availability. A card without the applet gets
// cardio.ErrNotMyNumberCard.
func (s *Session) Identify() (*CardInfo, error) {
	if s.info != nil {
		return s.info, nil
	}
	if err := s.selectApplet(AIDJPKI); err != nil {
		return nil, cardio.Wrap("identify", err)
	}
	tok, err := s.readFile(EFTokenInfo, 32)
	if err != nil {
		return nil, cardio.Wrap("identify: token info", err)
	}
	label := strings.TrimRight(string(tok), " \x00")
	if !strings.HasPrefix(label, "JPKIAP") {
		return nil, cardio.E(cardio.CodeNotMyNumberCard, "identify", fmt.Errorf("token label %q is not a JPKI label", label))
	}
	avail, err := s.readFile(EFCertAvail, 3)
	if err != nil {
		return nil, cardio.Wrap("identify: certificate availability", err)
	}
	s.info = &CardInfo{
		Label:    label,
		Kind:     kindOf(label),
		SignCert: avail[0] == 0x8F,
		AuthCert: avail[1] == 0x8F,
	}
	return s.info, nil
}

// ReadCertificate reads a certificate EF of the JPKI applet (EFSignCert
// needs the signing password verified first, else cardio.ErrAccessDenied).
func (s *Session) ReadCertificate(fid uint16) (*x509.Certificate, []byte, error) {
	op := fmt.Sprintf("read certificate %04X", fid)
	if err := s.selectApplet(AIDJPKI); err != nil {
		return nil, nil, cardio.Wrap(op, err)
	}
	der, err := s.readDER(fid)
	if errors.Is(err, errNoObject) {
		return nil, nil, cardio.E(cardio.CodeNoSigningCert, op, err)
	}
	if err != nil {
		return nil, nil, cardio.Wrap(op, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, cardio.E(cardio.CodeProtocol, op, err)
	}
	return cert, der, nil
}

// AuthCertificate returns the user-authentication certificate, read once per
// session.
func (s *Session) AuthCertificate() (*x509.Certificate, error) {
	if s.authCert == nil {
		_, der, err := s.ReadCertificate(EFAuthCert)
		if err != nil {
			return nil, err
		}
		s.authCert = der
	}
	return x509.ParseCertificate(s.authCert)
}

// CardID is an identifier of this card that is stable within this process
// and meaningless outside it: an HMAC, under a per-process key, of the token
// label and the authentication certificate. It is what lets the guard check
// that the card in the reader is the one whose state the user was shown.
func (s *Session) CardID() (string, error) {
	if s.cardID != "" {
		return s.cardID, nil
	}
	info, err := s.Identify()
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, idKey)
	m.Write([]byte(info.Label))
	m.Write([]byte{0})
	if info.AuthCert {
		if _, err := s.AuthCertificate(); err != nil {
			return "", cardio.Wrap("card id", err)
		}
		m.Write(s.authCert)
	} else {
		// No authentication certificate to tell cards apart: fall back to the
		// CA certificate, which only tells generations apart. Weak, and said so.
		_, der, err := s.ReadCertificate(EFAuthCA)
		if err != nil {
			return "", cardio.Wrap("card id", err)
		}
		m.Write(der)
	}
	s.cardID = hex.EncodeToString(m.Sum(nil)[:16])
	return s.cardID, nil
}
