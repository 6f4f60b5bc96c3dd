package application

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/shomei-app/shomei/backend/canonjson"
	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
)

// Signer is the card's signing key with its certificate (jpki.Signer).
type Signer interface {
	crypto.Signer
	Certificate() *x509.Certificate
}

// Response is a signed response.
type Response struct {
	File     []byte // the .p7m
	Manifest []byte // the signed manifest bytes
	SHA256   string // of File
}

// ManifestBytes returns the canonical manifest for a at time at.
func (a *Application) ManifestBytes(at time.Time) ([]byte, error) {
	m := Manifest{Format: Format, SignedAt: at.UTC().Truncate(time.Second).Format(time.RFC3339), Files: make([]Entry, len(a.Files))}
	for i, f := range a.Files {
		m.Files[i] = f.Entry
	}
	return canonjson.Marshal(m)
}

// Sign hashes every file again (a file changed since it was shown is
// refused before the card is used), then signs the manifest: one card
// operation.
func Sign(g Signer, a *Application, at time.Time) (*Response, error) {
	for _, f := range a.Files {
		sum, n, err := hashFile(f.Path)
		if err != nil {
			return nil, &PathError{f.Path, err}
		}
		if sum != f.SHA256 || n != f.Size {
			return nil, &PathError{f.Path, ErrChanged}
		}
	}
	content, err := a.ManifestBytes(at)
	if err != nil {
		return nil, err
	}
	file, err := cms.Envelop(cms.Request{Signer: g, Cert: g.Certificate(), SigningTime: &at}, content)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(file)
	return &Response{File: file, Manifest: content, SHA256: hex.EncodeToString(sum[:])}, nil
}

// Check is what the receiving system does: the response's signature holds
// (integrity; trusting the certificate is the caller's business), its
// content is a manifest, and every file named there, opened through open,
// has the listed size and SHA-256. It returns the manifest and the signer's
// certificate.
func Check(response []byte, open func(name string) (io.ReadCloser, error)) (*Manifest, *x509.Certificate, error) {
	s, err := cmsv.Parse(response)
	if err != nil {
		return nil, nil, fmt.Errorf("response: %w", err)
	}
	if s.EContent == nil || s.Signers() != 1 {
		return nil, nil, errors.New("response: not an enveloping signature with one signer")
	}
	r := s.Verify(0, nil)
	if !r.Intact() {
		return nil, nil, errors.New("response: the signature does not hold")
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(s.EContent))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || m.Format != Format {
		return nil, nil, errors.New("response: the content is not an application manifest")
	}
	for _, e := range m.Files {
		f, err := open(e.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("response: %s: %w", e.Name, err)
		}
		d, n, err := cms.Digest(f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("response: %s: %w", e.Name, err)
		}
		if hex.EncodeToString(d) != e.SHA256 || n != e.Size {
			return nil, nil, fmt.Errorf("response: %s differs from what was signed", e.Name)
		}
	}
	return &m, r.Cert, nil
}
