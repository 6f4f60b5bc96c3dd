package cmsv

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"time"
)

// ParseCertificate parses a certificate; when Go's parser refuses one that
// real signers use (an odd extension, say), it falls back to the fields a
// signature check needs: names, serial, validity and public key. Such a
// certificate is marked Lenient: good for checking integrity, never for
// building a trusted chain.
func ParseCertificate(der []byte) (*x509.Certificate, bool, error) {
	c, err := x509.ParseCertificate(der)
	if err == nil {
		return c, false, nil
	}
	var cert struct {
		TBS    asn1.RawValue
		SigAlg pkix.AlgorithmIdentifier
		Sig    asn1.BitString
	}
	if _, e := asn1.Unmarshal(der, &cert); e != nil {
		return nil, false, err
	}
	var tbs struct {
		Version  int `asn1:"optional,explicit,default:0,tag:0"`
		Serial   *big.Int
		SigAlg   pkix.AlgorithmIdentifier
		Issuer   asn1.RawValue
		Validity struct{ NotBefore, NotAfter time.Time }
		Subject  asn1.RawValue
		SPKI     asn1.RawValue
		Rest     asn1.RawValue `asn1:"optional"`
	}
	if _, e := asn1.Unmarshal(cert.TBS.FullBytes, &tbs); e != nil {
		return nil, false, err
	}
	pub, e := x509.ParsePKIXPublicKey(tbs.SPKI.FullBytes)
	if e != nil {
		return nil, false, errors.Join(err, e)
	}
	return &x509.Certificate{
		Raw: der, RawTBSCertificate: cert.TBS.FullBytes, RawIssuer: tbs.Issuer.FullBytes, RawSubject: tbs.Subject.FullBytes,
		SerialNumber: tbs.Serial, NotBefore: tbs.Validity.NotBefore, NotAfter: tbs.Validity.NotAfter, PublicKey: pub,
	}, true, nil
}
