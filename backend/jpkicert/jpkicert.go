// Package jpkicert reads what a JPKI certificate says about its holder and
// its kind. The holder data sits in the SubjectAltName as otherName
// UTF8Strings under 1.2.392.200149.8.5.5.*.
package jpkicert

import (
	"crypto/x509"
	"encoding/asn1"
)

var (
	oidSAN       = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidHolder    = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5}
	oidName      = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 1}
	oidPolicySig = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 1, 20}
	oidPolicyTst = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 0, 20}
)

// HolderData returns the otherName values of the JPKI holder arc, keyed by
// the last arc (1 name, 2 name flags, 3 sex, 4 birth date, 5 address, 6
// address flags). It is empty for a certificate without them (an auth
// certificate, a foreign one).
func HolderData(c *x509.Certificate) map[int]string {
	out := map[int]string{}
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidSAN) {
			continue
		}
		var names []asn1.RawValue
		if _, err := asn1.Unmarshal(e.Value, &names); err != nil {
			return out
		}
		for _, n := range names {
			if n.Class != asn1.ClassContextSpecific || n.Tag != 0 {
				continue
			}
			// otherName [0] { type-id OID, value [0] EXPLICIT UTF8String }
			var typ asn1.ObjectIdentifier
			rest, err := asn1.Unmarshal(n.Bytes, &typ)
			if err != nil || len(typ) != len(oidHolder)+1 || !typ[:len(oidHolder)].Equal(oidHolder) {
				continue
			}
			var wrapped asn1.RawValue
			if _, err := asn1.Unmarshal(rest, &wrapped); err != nil || wrapped.Tag != 0 {
				continue
			}
			var s string
			if _, err := asn1.UnmarshalWithParams(wrapped.Bytes, &s, "utf8"); err != nil {
				continue
			}
			out[typ[len(oidHolder)]] = s
		}
	}
	return out
}

// HolderName is the holder's name from a JPKI signing certificate, or the
// subject common name when the certificate has none.
func HolderName(c *x509.Certificate) string {
	if n := HolderData(c)[1]; n != "" {
		return n
	}
	return c.Subject.CommonName
}

// IsSigning reports whether c carries a JPKI signing policy (production or test).
func IsSigning(c *x509.Certificate) bool {
	for _, p := range c.PolicyIdentifiers {
		if p.Equal(oidPolicySig) || p.Equal(oidPolicyTst) {
			return true
		}
	}
	return false
}
