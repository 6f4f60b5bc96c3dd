package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/shomei-app/shomei/internal/smallfile"
)

// maxCertFile bounds what ReadCerts and Fetch read: a certificate file is a
// few kilobytes, a bundle of them a few hundred.
const maxCertFile = 4 << 20

// ErrNoCertificate means a file holds no X.509 certificate Shomei can read.
var ErrNoCertificate = errors.New("no X.509 certificate (PEM or DER) found")

// ReadCerts reads the certificates of a file: PEM (one or many CERTIFICATE
// blocks) or a single DER certificate.
func ReadCerts(path string) ([]*x509.Certificate, error) {
	raw, err := smallfile.Read(path, maxCertFile)
	if errors.Is(err, smallfile.ErrTooLarge) {
		return nil, fmt.Errorf("%w: %w", err, ErrNoCertificate)
	}
	if err != nil {
		return nil, err
	}
	certs, err := ParseCerts(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return certs, nil
}

// ParseCerts parses PEM (one or many CERTIFICATE blocks) or one DER
// certificate.
func ParseCerts(raw []byte) ([]*x509.Certificate, error) {
	if bytes.Contains(raw, []byte("-----BEGIN")) {
		var out []*x509.Certificate
		rest := raw
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM certificate %d: %v: %w", len(out)+1, err, ErrNoCertificate)
			}
			out = append(out, c)
		}
		if len(out) == 0 {
			return nil, ErrNoCertificate
		}
		return out, nil
	}
	c, err := x509.ParseCertificate(raw)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrNoCertificate)
	}
	return []*x509.Certificate{c}, nil
}
