package jpki

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/pin"
)

// Key names one of the card's two private keys.
type Key int

const (
	SignKey Key = iota // 署名用, EF 001A, needs the signing password
	AuthKey            // 利用者証明用, EF 0017, needs the auth PIN
)

func (k Key) ef() uint16 {
	if k == SignKey {
		return EFSignKey
	}
	return EFAuthKey
}

func (k Key) pin() pin.ID {
	if k == SignKey {
		return pin.Sign
	}
	return pin.Auth
}

func (k Key) certEF() uint16 {
	if k == SignKey {
		return EFSignCert
	}
	return EFAuthCert
}

// sha256Prefix is the DER DigestInfo header for SHA-256.
var sha256Prefix = []byte{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

// Signer is a card key as a crypto.Signer (RSA PKCS#1 v1.5, SHA-256). It is
// valid while its session lasts and its PIN stays verified: each Sign is one
// APDU once the key EF is selected.
type Signer struct {
	s    *Session
	key  Key
	cert *x509.Certificate
	der  []byte
}

// Signer returns the key as a crypto.Signer. The key's PIN must have been
// verified in this session (Verify); nothing is sent to the card otherwise.
// It reads the key's certificate for the public key.
func (s *Session) Signer(k Key) (*Signer, error) {
	op := "signer"
	if !s.verified[k.pin()] {
		return nil, cardio.E(cardio.CodeAccessDenied, op, errors.New("PIN not verified in this session"))
	}
	cert, der, err := s.ReadCertificate(k.certEF())
	if err != nil {
		return nil, err
	}
	if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
		return nil, cardio.E(cardio.CodeProtocol, op, errors.New("certificate key is not RSA"))
	}
	return &Signer{s: s, key: k, cert: cert, der: der}, nil
}

// Public returns the certificate's public key.
func (g *Signer) Public() crypto.PublicKey { return g.cert.PublicKey }

// Certificate returns the key's certificate as read from the card.
func (g *Signer) Certificate() *x509.Certificate { return g.cert }

// CertificateDER returns the certificate bytes as read from the card.
func (g *Signer) CertificateDER() []byte { return g.der }

// Sign signs a SHA-256 digest. The card builds PKCS#1 v1.5 padding around the
// DigestInfo; the answer is checked against the public key before it is
// returned, so a garbled answer is an error, never a bad signature.
func (g *Signer) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	op := "sign"
	if _, pss := opts.(*rsa.PSSOptions); pss {
		return nil, cardio.E(cardio.CodeUnsupported, op, errors.New("the card signs PKCS#1 v1.5 only"))
	}
	if opts == nil || opts.HashFunc() != crypto.SHA256 {
		return nil, cardio.E(cardio.CodeUnsupported, op, errors.New("JPKI signs SHA-256 digests only"))
	}
	if len(digest) != 32 {
		return nil, cardio.E(cardio.CodeUnsupported, op, fmt.Errorf("digest of %d bytes is not SHA-256", len(digest)))
	}
	s := g.s
	if !s.verified[g.key.pin()] {
		return nil, cardio.E(cardio.CodeAccessDenied, op, errors.New("PIN no longer verified in this session"))
	}
	if err := s.selectEF(g.key.ef()); err != nil {
		return nil, cardio.Wrap(op, err)
	}
	di := make([]byte, 0, len(sha256Prefix)+32)
	di = append(append(di, sha256Prefix...), digest...)
	r, err := s.do(apdu.Command{CLA: 0x80, INS: 0x2A, P1: 0x00, P2: 0x80, Data: di, Le: 256})
	if err != nil {
		return nil, cardio.Wrap(op, err)
	}
	if err := r.Check(op); err != nil {
		return nil, err
	}
	pub := g.cert.PublicKey.(*rsa.PublicKey)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest, r.Data); err != nil {
		return nil, cardio.E(cardio.CodeProtocol, op, errors.New("the card's signature does not verify with its certificate"))
	}
	return r.Data, nil
}
