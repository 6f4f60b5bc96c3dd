// Package cms builds CMS SignedData (RFC 5652) with CAdES-BES signed
// attributes: contentType, messageDigest, signingTime (optional: PAdES
// leaves it out) and ESS signing-certificate-v2 (RFC 5035). SHA-256 and RSA
// PKCS#1 v1.5, as JPKI requires. Content is streamed: it is hashed once and,
// for an enveloping signature, copied once; never held in memory.
package cms

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"time"
)

// Object identifiers.
var (
	OIDData                 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	OIDSignedData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	OIDContentType          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	OIDMessageDigest        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	OIDSigningTime          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	OIDSigningCertificateV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	OIDTimeStampToken       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	OIDSHA256               = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	OIDRSAEncryption        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
)

// ErrTimestamp wraps a failure to get the signature timestamp.
var ErrTimestamp = errors.New("signature timestamp")

// Request describes one signature.
type Request struct {
	Signer      crypto.Signer       // the card's signing key
	Cert        *x509.Certificate   // its certificate, embedded
	Chain       []*x509.Certificate // further certificates to embed (may be empty)
	SigningTime *time.Time          // nil: no signingTime attribute (PAdES)
	// Timestamp, if set, is asked for an RFC 3161 token over the signature
	// value; the token becomes the unsigned signature-time-stamp attribute.
	Timestamp func(signature []byte) ([]byte, error)
}

// SignedAttributes returns the DER SET of signed attributes for a content
// digest. The signature is computed over exactly these bytes.
func SignedAttributes(digest []byte, cert *x509.Certificate, signingTime *time.Time) []byte {
	certHash := sha256.Sum256(cert.Raw)
	// ESSCertIDv2 with the default hash algorithm (SHA-256) left out, and
	// issuerSerial binding the certificate by issuer and serial.
	issuerSerial := seq(seq(ctx(4, cert.RawIssuer)), integer(cert.SerialNumber))
	scv2 := seq(seq(seq(octets(certHash[:]), issuerSerial)))
	attrs := [][]byte{
		seq(oid(OIDContentType), set(oid(OIDData))),
		seq(oid(OIDMessageDigest), set(octets(digest))),
		seq(oid(OIDSigningCertificateV2), set(scv2)),
	}
	if signingTime != nil {
		attrs = append(attrs, seq(oid(OIDSigningTime), set(timeValue(*signingTime))))
	}
	return set(attrs...)
}

// timeValue encodes a time as UTCTime up to 2049 and GeneralizedTime after,
// as RFC 5652 requires for signingTime.
func timeValue(t time.Time) []byte {
	t = t.UTC().Truncate(time.Second)
	if t.Year() >= 1950 && t.Year() < 2050 {
		return tlv(tagUTCTime, []byte(t.Format("060102150405Z")))
	}
	return tlv(tagGenTime, []byte(t.Format("20060102150405Z")))
}

// Signature is a finished SignerInfo and its certificates, ready to be
// wrapped around content (or none, for a detached signature).
type Signature struct {
	signerInfo []byte
	certs      []byte
	// Value is the raw signature value (for timestamp requests and tests).
	Value []byte
}

// SignDigest makes the signature for a SHA-256 content digest: one call to
// the signer (one card operation), plus the timestamp request if any.
func SignDigest(req Request, digest []byte) (*Signature, error) {
	if len(digest) != sha256.Size {
		return nil, errors.New("cms: digest is not SHA-256")
	}
	if req.Cert == nil || req.Signer == nil {
		return nil, errors.New("cms: no signer or certificate")
	}
	attrs := SignedAttributes(digest, req.Cert, req.SigningTime)
	h := sha256.Sum256(attrs)
	value, err := req.Signer.Sign(nil, h[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	var unsigned []byte
	if req.Timestamp != nil {
		token, err := req.Timestamp(value)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrTimestamp, err)
		}
		unsigned = ctx(1, seq(oid(OIDTimeStampToken), set(token)))
	}
	sha := seq(oid(OIDSHA256))
	// In the SignerInfo the signed attributes are [0] IMPLICIT: the same
	// content under tag A0 instead of 31.
	implicitAttrs := append([]byte{0xA0}, attrs[1:]...)
	si := seq(
		small(1),
		seq(req.Cert.RawIssuer, integer(req.Cert.SerialNumber)),
		sha,
		implicitAttrs,
		seq(oid(OIDRSAEncryption), null()),
		octets(value),
		unsigned,
	)
	var certs []byte
	for _, c := range append([]*x509.Certificate{req.Cert}, req.Chain...) {
		certs = append(certs, c.Raw...)
	}
	return &Signature{signerInfo: si, certs: ctx(0, certs), Value: value}, nil
}

// Detached returns the DER ContentInfo of a detached signature.
func (s *Signature) Detached() []byte {
	signed := seq(
		small(1),
		set(seq(oid(OIDSHA256))),
		seq(oid(OIDData)),
		s.certs,
		set(s.signerInfo),
	)
	return seq(oid(OIDSignedData), ctx(0, signed))
}

// WriteEnveloping writes a ContentInfo whose eContent is the n bytes of
// content, copied from r as they come.
func (s *Signature) WriteEnveloping(w io.Writer, r io.Reader, n int64) error {
	head, tail := splitEnveloping(s, n)
	if _, err := w.Write(head); err != nil {
		return err
	}
	copied, err := io.Copy(w, io.LimitReader(r, n))
	if err != nil {
		return err
	}
	if copied != n {
		return fmt.Errorf("cms: content changed size while signing (%d of %d bytes)", copied, n)
	}
	_, err = w.Write(tail)
	return err
}

// Envelop signs content held in memory (a manifest, a statement) as an
// enveloping ContentInfo: its digest, one signature (one card operation),
// the content inside.
func Envelop(req Request, content []byte) ([]byte, error) {
	digest := sha256.Sum256(content)
	sig, err := SignDigest(req, digest[:])
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := sig.WriteEnveloping(&b, bytes.NewReader(content), int64(len(content))); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// splitEnveloping encodes the enveloping ContentInfo around n content bytes
// and returns what goes before and after them.
func splitEnveloping(s *Signature, n int64) (head, tail []byte) {
	if n > 1<<40 {
		panic("cms: content too large")
	}
	// encapContentInfo = SEQUENCE { OID data, [0] { OCTET STRING content } }
	octHdr := header(tagOctetString, int(n))
	explicitHdr := header(0xA0, len(octHdr)+int(n))
	eciBody := len(oid(OIDData)) + len(explicitHdr) + len(octHdr) + int(n)
	eciHdr := header(tagSequence, eciBody)
	version := small(1)
	digestAlgs := set(seq(oid(OIDSHA256)))
	signerInfos := set(s.signerInfo)
	sdBody := len(version) + len(digestAlgs) + len(eciHdr) + eciBody + len(s.certs) + len(signerInfos)
	sdHdr := header(tagSequence, sdBody)
	expHdr := header(0xA0, len(sdHdr)+sdBody)
	ciBody := len(oid(OIDSignedData)) + len(expHdr) + len(sdHdr) + sdBody
	head = append(head, header(tagSequence, ciBody)...)
	head = append(head, oid(OIDSignedData)...)
	head = append(head, expHdr...)
	head = append(head, sdHdr...)
	head = append(head, version...)
	head = append(head, digestAlgs...)
	head = append(head, eciHdr...)
	head = append(head, oid(OIDData)...)
	head = append(head, explicitHdr...)
	head = append(head, octHdr...)
	tail = append(tail, s.certs...)
	tail = append(tail, signerInfos...)
	return head, tail
}

// Digest hashes content with SHA-256, streaming, and returns the digest and
// the number of bytes read.
func Digest(r io.Reader) ([]byte, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return nil, n, err
	}
	return h.Sum(nil), n, nil
}
