// Package cmsv checks CMS SignedData signatures (RFC 5652): for each signer,
// the content digest against messageDigest (or the signature directly over
// the content when there are no signed attributes), the signature value over
// the signed attributes, and the ESS signing-certificate binding (v1 or v2).
// Trust is not decided here (package verify does that). Input is untrusted:
// BER is normalised with bounds, and every failure is an error, not a panic.
package cmsv

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/verify/finding"
)

// OIDs the signing side does not need (it exports the shared ones in
// package cms).
var (
	oidSigningCertV1 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}

	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA224 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}

	oidRSAPSS    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidSHA1RSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSHA256RSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384RSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512RSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidSHA224RSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	oidECDSA256  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSA384  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSA512  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidECDSASHA1 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	oidECPublic  = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidEd25519   = asn1.ObjectIdentifier{1, 3, 101, 112}
)

// HashOf maps a digest algorithm OID to a hash.
func HashOf(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(oidSHA1):
		return crypto.SHA1, true
	case oid.Equal(oidSHA224):
		return crypto.SHA224, true
	case oid.Equal(cms.OIDSHA256):
		return crypto.SHA256, true
	case oid.Equal(oidSHA384):
		return crypto.SHA384, true
	case oid.Equal(oidSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      asn1.RawValue
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

// Signed is a parsed SignedData.
type Signed struct {
	Certs    []*x509.Certificate
	Lenient  []*x509.Certificate // certificates Go's parser refused, read leniently
	Broken   int                 // certificates that could not be read at all
	EContent []byte              // nil for a detached signature
	signers  []signerInfo
}

// Signers is the number of SignerInfos.
func (s *Signed) Signers() int { return len(s.signers) }

// Parse reads a ContentInfo holding SignedData (BER or DER).
func Parse(raw []byte) (*Signed, error) {
	der, err := toDER(raw)
	if err != nil {
		return nil, err
	}
	var ci contentInfo
	if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("not a CMS ContentInfo: %v", err)
	}
	if !ci.ContentType.Equal(cms.OIDSignedData) {
		return nil, fmt.Errorf("content type %v is not SignedData", ci.ContentType)
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("SignedData: %w", err)
	}
	out := &Signed{}
	if len(sd.EncapContentInfo.EContent.FullBytes) > 0 {
		var oct []byte
		if _, err := asn1.Unmarshal(sd.EncapContentInfo.EContent.Bytes, &oct); err == nil {
			out.EContent = oct
		}
	}
	if len(sd.Certificates.Bytes) > 0 {
		rest := sd.Certificates.Bytes
		for len(rest) > 0 {
			var rv asn1.RawValue
			var err error
			if rest, err = asn1.Unmarshal(rest, &rv); err != nil {
				return nil, fmt.Errorf("certificates: %w", err)
			}
			if c, lenient, err := ParseCertificate(rv.FullBytes); err == nil {
				out.Certs = append(out.Certs, c)
				if lenient {
					out.Lenient = append(out.Lenient, c)
				}
			} else {
				out.Broken++
			}
		}
	}
	rest := sd.SignerInfos.Bytes
	for len(rest) > 0 {
		var si signerInfo
		var err error
		if rest, err = asn1.Unmarshal(rest, &si); err != nil {
			return nil, fmt.Errorf("SignerInfo: %w", err)
		}
		out.signers = append(out.signers, si)
	}
	if len(out.signers) == 0 {
		return nil, errors.New("no SignerInfo")
	}
	return out, nil
}

// Result is the check of one signer.
type Result struct {
	Hash         crypto.Hash
	Cert         *x509.Certificate // nil when not found among the certificates
	DigestOK     bool              // content digest matches messageDigest (or the signature, without attributes)
	SignatureOK  bool              // signature value verifies over the signed attributes
	HasAttrs     bool
	NonDERAttrs  bool   // signed attributes verified only as encoded, not DER-sorted
	CertBinding  string // "v2", "v1", "" (none), or "mismatch"
	SigningTime  *time.Time
	Timestamp    []byte // unsigned signature-time-stamp token, if any
	Value        []byte // the signature value (what a signature timestamp's imprint covers)
	SignatureAlg string
	Err          error
}

// Intact reports the integrity verdict.
func (r Result) Intact() bool {
	return r.Err == nil && r.DigestOK && r.SignatureOK && r.CertBinding != "mismatch"
}

// ContentHash returns the digest of the signed content with h (the caller
// reads the data: a detached file, a PDF's byte ranges).
type ContentHash func(h crypto.Hash) ([]byte, error)

// Verify checks signer i. For an enveloping signature the content is the
// eContent and content may be nil.
func (s *Signed) Verify(i int, content ContentHash) Result {
	si := s.signers[i]
	var r Result
	h, ok := HashOf(si.DigestAlgorithm.Algorithm)
	if !ok {
		r.Err = finding.New(finding.UnsupportedDigest, si.DigestAlgorithm.Algorithm)
		return r
	}
	r.Hash = h
	r.Value = si.Signature
	r.Cert = s.findCert(si.SID)
	if r.Cert == nil {
		r.Err = finding.New(finding.SignerCertMissing)
		return r
	}
	if content == nil {
		if s.EContent == nil {
			r.Err = finding.New(finding.DataNeeded)
			return r
		}
		e := s.EContent
		content = func(h crypto.Hash) ([]byte, error) { hh := h.New(); hh.Write(e); return hh.Sum(nil), nil }
	}
	digest, err := content(h)
	if err != nil {
		r.Err = finding.Of(err, finding.DataUnreadable)
		return r
	}
	r.SignatureAlg = si.SignatureAlgorithm.Algorithm.String()
	if len(si.SignedAttrs.FullBytes) == 0 {
		// No signed attributes: the signature is over the content itself.
		r.DigestOK = true
		r.SignatureOK = checkSig(r.Cert, si.SignatureAlgorithm, h, digest, nil, si.Signature) == nil
		r.DigestOK = r.SignatureOK
		return r
	}
	r.HasAttrs = true
	attrs, err := parseAttrs(si.SignedAttrs.Bytes)
	if err != nil {
		r.Err = finding.Of(err, finding.AttrsUnreadable)
		return r
	}
	md, ok := attrs.single(cms.OIDMessageDigest)
	var mdv []byte
	if ok {
		_, err = asn1.Unmarshal(md, &mdv)
	}
	r.DigestOK = ok && err == nil && bytes.Equal(mdv, digest)
	if ct, ok := attrs.single(cms.OIDContentType); !ok || len(ct) == 0 {
		r.Err = finding.New(finding.AttrsNoCType)
	}
	if st, ok := attrs.single(cms.OIDSigningTime); ok {
		var t time.Time
		if _, err := asn1.Unmarshal(st, &t); err == nil {
			r.SigningTime = &t
		}
	}
	// The signature is over the DER SET OF the attributes: the bytes as
	// encoded with the SET tag, or, when a signer stored them unsorted,
	// the DER-sorted SET.
	asEncoded := append([]byte{0x31}, si.SignedAttrs.FullBytes[1:]...)
	ah := h.New()
	ah.Write(asEncoded)
	if checkSig(r.Cert, si.SignatureAlgorithm, h, ah.Sum(nil), asEncoded, si.Signature) == nil {
		r.SignatureOK = true
	} else if sorted, ok := derSorted(si.SignedAttrs.Bytes); ok && !bytes.Equal(sorted, asEncoded) {
		ah = h.New()
		ah.Write(sorted)
		if checkSig(r.Cert, si.SignatureAlgorithm, h, ah.Sum(nil), sorted, si.Signature) == nil {
			r.SignatureOK, r.NonDERAttrs = true, true
		}
	}
	r.CertBinding = attrs.binding(r.Cert)
	if ts, ok := parseUnsigned(si.UnsignedAttrs.Bytes, cms.OIDTimeStampToken); ok {
		r.Timestamp = ts
	}
	return r
}

func (s *Signed) findCert(sid asn1.RawValue) *x509.Certificate {
	if sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 {
		for _, c := range s.Certs {
			if bytes.Equal(c.SubjectKeyId, sid.Bytes) {
				return c
			}
		}
		return nil
	}
	var ias issuerAndSerial
	if _, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil {
		return nil
	}
	for _, c := range s.Certs {
		if c.SerialNumber.Cmp(ias.Serial) == 0 && bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) {
			return c
		}
	}
	// Some signers encode the issuer name differently from the certificate
	// (string types): compare the names as parsed.
	var want pkix.RDNSequence
	if _, err := asn1.Unmarshal(ias.Issuer.FullBytes, &want); err != nil {
		return nil
	}
	for _, c := range s.Certs {
		var got pkix.RDNSequence
		if _, err := asn1.Unmarshal(c.RawIssuer, &got); err == nil && c.SerialNumber.Cmp(ias.Serial) == 0 && got.String() == want.String() {
			return c
		}
	}
	return nil
}

type attrs []attribute

func parseAttrs(b []byte) (attrs, error) {
	var out attrs
	for len(b) > 0 {
		var a attribute
		var err error
		if b, err = asn1.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("signed attributes: %w", err)
		}
		out = append(out, a)
	}
	return out, nil
}

// single returns the only value of attribute oid; more than one attribute
// or value of a kind that must be single is refused.
func (a attrs) single(oid asn1.ObjectIdentifier) ([]byte, bool) {
	var found []byte
	n := 0
	for _, at := range a {
		if at.Type.Equal(oid) {
			n++
			var v asn1.RawValue
			rest, err := asn1.Unmarshal(at.Values.Bytes, &v)
			if err != nil || len(rest) != 0 {
				return nil, false
			}
			found = v.FullBytes
		}
	}
	return found, n == 1
}

// binding checks ESS signing-certificate(-v2): the hash of the signer
// certificate must be the first listed.
func (a attrs) binding(cert *x509.Certificate) string {
	if v, ok := a.single(cms.OIDSigningCertificateV2); ok {
		var sc struct {
			Certs []struct {
				HashAlg  pkix.AlgorithmIdentifier `asn1:"optional"`
				Hash     []byte
				IssuerSN asn1.RawValue `asn1:"optional"`
			}
		}
		if _, err := asn1.Unmarshal(v, &sc); err != nil || len(sc.Certs) == 0 {
			return "mismatch"
		}
		h := crypto.SHA256
		if len(sc.Certs[0].HashAlg.Algorithm) > 0 {
			var ok bool
			if h, ok = HashOf(sc.Certs[0].HashAlg.Algorithm); !ok {
				return "mismatch"
			}
		}
		hh := h.New()
		hh.Write(cert.Raw)
		if !bytes.Equal(hh.Sum(nil), sc.Certs[0].Hash) {
			return "mismatch"
		}
		return "v2"
	}
	if v, ok := a.single(oidSigningCertV1); ok {
		var sc struct {
			Certs []struct {
				Hash     []byte
				IssuerSN asn1.RawValue `asn1:"optional"`
			}
		}
		if _, err := asn1.Unmarshal(v, &sc); err != nil || len(sc.Certs) == 0 {
			return "mismatch"
		}
		sum := sha1.Sum(cert.Raw)
		if !bytes.Equal(sum[:], sc.Certs[0].Hash) {
			return "mismatch"
		}
		return "v1"
	}
	return ""
}

func parseUnsigned(b []byte, oid asn1.ObjectIdentifier) ([]byte, bool) {
	a, err := parseAttrs(b)
	if err != nil {
		return nil, false
	}
	return a.single(oid)
}

// derSorted re-encodes the attribute SET with its elements in DER order.
func derSorted(content []byte) ([]byte, bool) {
	var elems [][]byte
	for len(content) > 0 {
		var rv asn1.RawValue
		rest, err := asn1.Unmarshal(content, &rv)
		if err != nil {
			return nil, false
		}
		elems = append(elems, rv.FullBytes)
		content = rest
	}
	sort.Slice(elems, func(i, j int) bool { return bytes.Compare(elems[i], elems[j]) < 0 })
	body := bytes.Join(elems, nil)
	return append(header([]byte{0x31}, len(body)), body...), true
}

// checkSig verifies sig by cert's key; digest is the hash of msg (msg is
// needed for Ed25519, which signs the message itself).
func checkSig(cert *x509.Certificate, alg pkix.AlgorithmIdentifier, h crypto.Hash, digest, msg, sig []byte) error {
	a := alg.Algorithm
	if err := CheckKey(cert.PublicKey); err != nil {
		return err
	}
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		switch {
		case a.Equal(oidRSAPSS):
			return rsa.VerifyPSS(pub, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		case a.Equal(cms.OIDRSAEncryption), a.Equal(oidSHA1RSA), a.Equal(oidSHA256RSA), a.Equal(oidSHA384RSA), a.Equal(oidSHA512RSA), a.Equal(oidSHA224RSA):
			return rsa.VerifyPKCS1v15(pub, h, digest, sig)
		}
	case *ecdsa.PublicKey:
		if a.Equal(oidECDSA256) || a.Equal(oidECDSA384) || a.Equal(oidECDSA512) || a.Equal(oidECDSASHA1) || a.Equal(oidECPublic) {
			if ecdsa.VerifyASN1(pub, digest, sig) {
				return nil
			}
			return errors.New("ECDSA signature does not verify")
		}
	case ed25519.PublicKey:
		if a.Equal(oidEd25519) && msg != nil {
			if ed25519.Verify(pub, msg, sig) {
				return nil
			}
			return errors.New("Ed25519 signature does not verify")
		}
	}
	return fmt.Errorf("unsupported signature algorithm %v for %T", a, cert.PublicKey)
}

// TSTInfo is the content of an RFC 3161 timestamp token.
type TSTInfo struct {
	Policy  asn1.ObjectIdentifier
	Hash    crypto.Hash // of the message imprint
	Imprint []byte
	GenTime time.Time
}

// ParseTSTInfo reads a token's eContent.
func ParseTSTInfo(b []byte) (TSTInfo, error) {
	var raw struct {
		Version int
		Policy  asn1.ObjectIdentifier
		Imprint struct {
			Alg struct {
				Algorithm asn1.ObjectIdentifier
				Params    asn1.RawValue `asn1:"optional"`
			}
			Hashed []byte
		}
		Serial  *big.Int
		GenTime time.Time     `asn1:"generalized"`
		Rest    asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(b, &raw); err != nil {
		return TSTInfo{}, fmt.Errorf("TSTInfo: %w", err)
	}
	h, ok := HashOf(raw.Imprint.Alg.Algorithm)
	if !ok {
		return TSTInfo{}, fmt.Errorf("TSTInfo: unsupported imprint hash %v", raw.Imprint.Alg.Algorithm)
	}
	return TSTInfo{Policy: raw.Policy, Hash: h, Imprint: raw.Imprint.Hashed, GenTime: raw.GenTime}, nil
}
