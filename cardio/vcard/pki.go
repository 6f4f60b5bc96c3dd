package vcard

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"
)

// Object identifiers of the JPKI certificate profile.
var (
	OIDName          = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 1}
	OIDNameFlags     = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 2}
	OIDSex           = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 3}
	OIDBirthDate     = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 4}
	OIDAddress       = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 5}
	OIDAddressFlags  = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 6}
	OIDPolicyTestSig = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 0, 20}
	oidSubjectAlt    = asn1.ObjectIdentifier{2, 5, 29, 17}
)

// TestCAName is the common name of every virtual card's root. It says what it
// is, so nobody mistakes it for a J-LIS root.
const TestCAName = "Shomei Test CA - NOT FOR PRODUCTION"

// Holder is the personal data the virtual signing certificate carries.
type Holder struct {
	Name      string `json:"name"`       // e.g. 署名 花子
	Sex       string `json:"sex"`        // 1 male, 2 female, 3 other (as in JPKI)
	BirthDate string `json:"birth_date"` // EYYYYMMDD, E the era digit
	Address   string `json:"address"`
}

// DefaultHolder is the fictional holder of a default virtual card.
var DefaultHolder = Holder{
	Name:      "署名 花子",
	Sex:       "2",
	BirthDate: "419900401",
	Address:   "東京都千代田区霞が関二丁目一番二号 試験用住所",
}

// pki is a generated test PKI: one root issuing both leaves, as J-LIS roots
// issue end-user certificates directly.
type pki struct {
	rootKey, signKey, authKey *rsa.PrivateKey
	rootDER, signDER, authDER []byte
}

func newKey() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) }

func serial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
}

func skid(pub *rsa.PublicKey) []byte {
	der := x509.MarshalPKCS1PublicKey(pub)
	h := sha256.Sum256(der)
	return h[:20]
}

// otherName builds a GeneralName otherName [0] { type-id, [0] EXPLICIT UTF8String }.
func otherName(oid asn1.ObjectIdentifier, value string) (asn1.RawValue, error) {
	utf8, err := asn1.MarshalWithParams(value, "utf8")
	if err != nil {
		return asn1.RawValue{}, err
	}
	oidDER, err := asn1.Marshal(oid)
	if err != nil {
		return asn1.RawValue{}, err
	}
	explicit, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: utf8})
	if err != nil {
		return asn1.RawValue{}, err
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: append(oidDER, explicit...)}, nil
}

func holderSAN(h Holder) (pkix.Extension, error) {
	var names []asn1.RawValue
	for _, f := range []struct {
		oid asn1.ObjectIdentifier
		v   string
	}{
		{OIDName, h.Name}, {OIDNameFlags, "0"}, {OIDSex, h.Sex},
		{OIDBirthDate, h.BirthDate}, {OIDAddress, h.Address}, {OIDAddressFlags, "0"},
	} {
		n, err := otherName(f.oid, f.v)
		if err != nil {
			return pkix.Extension{}, err
		}
		names = append(names, n)
	}
	der, err := asn1.Marshal(names)
	if err != nil {
		return pkix.Extension{}, err
	}
	return pkix.Extension{Id: oidSubjectAlt, Value: der}, nil
}

// generate makes a root and the two leaves. Leaves are valid five years, as
// JPKI signing certificates are (at most); the root twenty.
func generate(h Holder, now time.Time) (*pki, error) {
	p := &pki{}
	var err error
	for _, k := range []**rsa.PrivateKey{&p.rootKey, &p.signKey, &p.authKey} {
		if *k, err = newKey(); err != nil {
			return nil, err
		}
	}
	rootName := pkix.Name{Country: []string{"JP"}, Organization: []string{"Shomei Test PKI"}, OrganizationalUnit: []string{"Virtual My Number Card, for development only"}, CommonName: TestCAName}
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	root := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               rootName,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          skid(&p.rootKey.PublicKey),
	}
	if p.rootDER, err = x509.CreateCertificate(rand.Reader, root, root, &p.rootKey.PublicKey, p.rootKey); err != nil {
		return nil, fmt.Errorf("root certificate: %w", err)
	}
	rootCert, _ := x509.ParseCertificate(p.rootDER)

	san, err := holderSAN(h)
	if err != nil {
		return nil, err
	}
	leaf := func(key *rsa.PrivateKey, cn string, ku x509.KeyUsage, ext []pkix.Extension, policies []asn1.ObjectIdentifier) ([]byte, error) {
		sn, err := serial()
		if err != nil {
			return nil, err
		}
		t := &x509.Certificate{
			SerialNumber:          sn,
			RawSubject:            leafSubject(cn),
			NotBefore:             now.Add(-time.Hour),
			NotAfter:              now.AddDate(5, 0, 0),
			KeyUsage:              ku,
			BasicConstraintsValid: true,
			ExtraExtensions:       ext,
			Policies:              oids(policies),
			AuthorityKeyId:        rootCert.SubjectKeyId,
			SubjectKeyId:          skid(&key.PublicKey),
		}
		return x509.CreateCertificate(rand.Reader, t, rootCert, &key.PublicKey, p.rootKey)
	}
	if p.signDER, err = leaf(p.signKey, fmt.Sprintf("TEST%016X", sn.Uint64()), x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment, []pkix.Extension{san}, []asn1.ObjectIdentifier{OIDPolicyTestSig}); err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	if p.authDER, err = leaf(p.authKey, fmt.Sprintf("TEST%016XA", sn.Uint64()), x509.KeyUsageDigitalSignature, nil, nil); err != nil {
		return nil, fmt.Errorf("authentication certificate: %w", err)
	}
	return p, nil
}

// leafSubject is C=JP, L=<prefecture>, L=<city>, CN=<cn>, one attribute per
// RDN as in JPKI certificates (pkix.Name would merge the two L values).
func leafSubject(cn string) []byte {
	attr := func(oid asn1.ObjectIdentifier, v string) []pkix.AttributeTypeAndValue {
		return []pkix.AttributeTypeAndValue{{Type: oid, Value: v}}
	}
	seq := pkix.RDNSequence{
		attr(asn1.ObjectIdentifier{2, 5, 4, 6}, "JP"),
		attr(asn1.ObjectIdentifier{2, 5, 4, 7}, "Shomei Test Prefecture"),
		attr(asn1.ObjectIdentifier{2, 5, 4, 7}, "Shomei Test City"),
		attr(asn1.ObjectIdentifier{2, 5, 4, 3}, cn),
	}
	der, err := asn1.Marshal(seq)
	if err != nil {
		panic(err)
	}
	return der
}

func oids(in []asn1.ObjectIdentifier) []x509.OID {
	var out []x509.OID
	for _, o := range in {
		ints := make([]uint64, len(o))
		for i, v := range o {
			ints[i] = uint64(v)
		}
		oid, err := x509.OIDFromInts(ints)
		if err != nil {
			panic(err)
		}
		out = append(out, oid)
	}
	return out
}
