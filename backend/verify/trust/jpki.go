package trust

import (
	"crypto/x509"
	"encoding/asn1"
	"github.com/shomei-app/shomei/cardio/vcard"
	"slices"
	"strings"

	"github.com/shomei-app/shomei/backend/jpkicert"
)

// JPKI policy identifiers (jpki-card.md).
var (
	oidPolicyJPKISign = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 1, 20}
	oidPolicyJPKITest = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 0, 20}
)

// JPKI is what Shomei recognises in a JPKI certificate.
type JPKI struct {
	IsJPKI     bool   `json:"is_jpki"`    // issued under a pinned J-LIS root, or carrying a JPKI signing policy (production or test)
	Kind       string `json:"kind"`       // "signing" | "auth" | ""
	Holder     string `json:"holder"`     // the holder's name from the SubjectAltName (signing certificates only)
	Test       bool   `json:"test"`       // the test policy (the virtual card, J-LIS test cards)
	RootName   string `json:"root_name"`  // "signca02" etc. when the chain reached a pinned root
	Generation int    `json:"generation"` // of that root (2 for signca02), 0 when none
}

func hasPolicy(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	for _, p := range c.PolicyIdentifiers {
		if p.Equal(oid) {
			return true
		}
	}
	return false
}

// authIssuer reports whether c was issued in the name of a JPKI
// authentication root, or of a virtual card's test root (which issues the
// signing certificate, with the test signing policy, and the
// authentication certificate, without).
func authIssuer(c *x509.Certificate) bool {
	if isTestIssuer(c) {
		return true
	}
	return slices.Contains(c.Issuer.Organization, "JPKI") && slices.Contains(c.Issuer.OrganizationalUnit, "JPKI for user authentication")
}

func isTestIssuer(c *x509.Certificate) bool {
	return c.Issuer.CommonName == vcard.TestCAName
}

// Describe tells what c is as a JPKI certificate, given the chain built for
// it (an empty Chain when there is none).
func Describe(c *x509.Certificate, ch Chain) JPKI {
	var j JPKI
	prod, test := hasPolicy(c, oidPolicyJPKISign), hasPolicy(c, oidPolicyJPKITest)
	if ch.Anchor != nil && ch.Anchor.Source == SourceJLIS {
		j.IsJPKI = true
		j.RootName = ch.Anchor.Name
		if p, ok := pinFor(ch.Anchor.SHA256); ok {
			j.Generation = p.Generation()
			if p.Purpose == "auth" {
				j.Kind = "auth"
			} else {
				j.Kind = "signing"
			}
		}
	}
	if prod || test {
		j.IsJPKI = true
		j.Kind = "signing"
	} else if authIssuer(c) {
		// JPKI's 利用者証明用 (authentication) certificate: issued under the
		// authentication roots (or a virtual card's test root, which issues
		// both), without the signing policy and without a name. Recognised
		// by the issuer's name, which can only make a verdict stricter.
		j.IsJPKI = true
		j.Kind = "auth"
		test = isTestIssuer(c)
	}
	j.Test = test
	if j.IsJPKI {
		j.Holder = strings.TrimSpace(jpkicert.HolderData(c)[1])
	}
	return j
}
