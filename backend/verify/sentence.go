package verify

import (
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/backend/verify/trust"
)

// sentence is the plain line a person reads first, in both languages.
func sentence(ind, sub string, r *SigReport) Text {
	return Text{JA: compose(i18n.JA, ind, sub, r), EN: compose(i18n.EN, ind, sub, r)}
}

func compose(l i18n.Lang, ind, sub string, r *SigReport) string {
	var parts []string
	switch {
	case ind == Passed && r.Type == "document_timestamp":
		t := ""
		if r.SigningTime != nil {
			t = r.SigningTime.Time.Local().Format(time.DateTime)
		}
		parts = append(parts, i18n.T(l, "verify.PASSED.timestamp", t))
	case ind == Passed:
		name := "?"
		if r.Signer != nil {
			name = r.Signer.Name
		}
		parts = append(parts, i18n.T(l, "verify.PASSED", name))
	case sub == ChainConstraintsFailure && r.Signer != nil && r.Signer.JPKI.Kind == "auth":
		parts = append(parts, i18n.T(l, "verify.auth_certificate"))
	default:
		parts = append(parts, i18n.T(l, "verify."+ind+"."+sub))
	}
	if sub == NoChainFound && r.Signer != nil && r.Signer.JPKI.IsJPKI && !r.Signer.JPKI.Test {
		// A JPKI certificate whose root is neither shipped nor imported: a
		// new generation, or authca02.
		parts = append(parts, i18n.T(l, "verify.note.jlis_missing"))
	}
	if ind == Failed && (sub == HashFailure || sub == SigCryptoFailure || sub == FormatFailure) {
		return strings.Join(parts, sep(l))
	}
	if r.ChangesAfter == pdfv.ChangesAllowed {
		parts = append(parts, i18n.T(l, "verify.note.changes_allowed"))
	}
	if !r.CoversWholeFile && r.SignedBytes > 0 && r.ChangesAfter != pdfv.ChangesDisallowed {
		parts = append(parts, i18n.T(l, "verify.note.partial"))
	}
	if a := r.TrustAnchor; a != nil && (ind == Passed || sub == RevokedNoPOE || sub == TryLater) {
		if a.Test {
			parts = append(parts, i18n.T(l, "verify.note.test_anchor"))
		} else if a.Source == trust.SourceUser {
			parts = append(parts, i18n.T(l, "verify.note.user_anchor", a.Name))
		}
	}
	if ind == Passed && r.Type != "document_timestamp" && r.Revocation.Status == trust.RevNotChecked {
		parts = append(parts, i18n.T(l, "verify.note.not_checked"))
	}
	return strings.Join(parts, sep(l))
}

func sep(l i18n.Lang) string {
	if l == i18n.JA {
		return ""
	}
	return " "
}
