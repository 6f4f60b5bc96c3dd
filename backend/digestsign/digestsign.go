// Package digestsign signs digests handed over by another program (a
// portal's helper, a platform operator's client): each SHA-256 digest, or
// full SHA-256 DigestInfo, becomes one raw RSA PKCS#1 v1.5 signature; the
// caller builds its own container. One PIN entry and one VERIFY serve the
// whole list (the caller runs Sign inside cardsvc.WithSigner).
package digestsign

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/shomei-app/shomei/internal/errs"
)

// MaxDigests bounds one request: a portal signs a handful, a batch a few
// hundred.
const MaxDigests = 1000

// maxFile bounds a --digest-file.
const maxFile = 1 << 20

// Errors a caller shows: codes of internal/errs, sentences in backend/i18n.
var (
	ErrHex      = errs.New(errs.DigestHex)      // not hexadecimal
	ErrLength   = errs.New(errs.DigestLength)   // neither 32 bytes nor a SHA-256 DigestInfo (51 bytes)
	ErrNone     = errs.New(errs.DigestNone)     // no digest given
	ErrTooMany  = errs.New(errs.DigestTooMany)  // more than MaxDigests
	ErrFileSize = errs.New(errs.DigestFileSize) // the list file is larger than 1 MB
)

// sha256Prefix is the DER DigestInfo header for SHA-256 (RFC 8017, 9.2).
var sha256Prefix = []byte{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

// Digest is one input: what was given (hex, lower case) and the SHA-256
// value the card signs.
type Digest struct {
	Input  string
	SHA256 []byte
}

// Parse reads one digest in hex: 64 hex digits, or a DigestInfo of
// SHA-256 (102 hex digits). Anything else, a DigestInfo of another hash
// included, is refused: the card pads SHA-256 only.
func Parse(s string) (Digest, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	b, err := hex.DecodeString(s)
	if err != nil {
		return Digest{}, fmt.Errorf("%w: %q", ErrHex, short(s))
	}
	switch {
	case len(b) == 32:
		return Digest{Input: s, SHA256: b}, nil
	case len(b) == len(sha256Prefix)+32 && bytes.HasPrefix(b, sha256Prefix):
		return Digest{Input: s, SHA256: b[len(sha256Prefix):]}, nil
	}
	return Digest{}, fmt.Errorf("%w: %q", ErrLength, short(s))
}

func short(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}

// ParseAll reads a list of hex digests.
func ParseAll(list []string) ([]Digest, error) {
	if len(list) == 0 {
		return nil, ErrNone
	}
	if len(list) > MaxDigests {
		return nil, ErrTooMany
	}
	out := make([]Digest, 0, len(list))
	for _, s := range list {
		d, err := Parse(s)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ReadList reads digests one per line (blank lines and lines starting
// with # skipped), at most maxFile bytes.
func ReadList(r io.Reader) ([]Digest, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, ErrFileSize
	}
	var list []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		list = append(list, line)
		if len(list) > MaxDigests {
			return nil, ErrTooMany
		}
	}
	return ParseAll(list)
}

// Signer is a card key with its certificate.
type Signer interface {
	crypto.Signer
	Certificate() *x509.Certificate
}

// Output is what the caller gets back (the --json form).
type Output struct {
	Certificate string      `json:"certificate"` // base64 DER
	Key         string      `json:"key"`         // sign | auth
	Signatures  []Signature `json:"signatures"`
}

// Signature is one digest and its raw PKCS#1 v1.5 signature (base64).
type Signature struct {
	Digest    string `json:"digest"`
	Signature string `json:"signature"`
}

// Sign signs each digest with one card operation each; the first failure
// stops the list (a card error would fail the rest too) and nothing is
// returned but the error.
func Sign(g Signer, key string, ds []Digest) (*Output, error) {
	if len(ds) == 0 {
		return nil, ErrNone
	}
	out := &Output{Certificate: base64.StdEncoding.EncodeToString(g.Certificate().Raw), Key: key, Signatures: make([]Signature, 0, len(ds))}
	for _, d := range ds {
		sig, err := g.Sign(nil, d.SHA256, crypto.SHA256)
		if err != nil {
			return nil, err
		}
		out.Signatures = append(out.Signatures, Signature{Digest: d.Input, Signature: base64.StdEncoding.EncodeToString(sig)})
	}
	return out, nil
}
