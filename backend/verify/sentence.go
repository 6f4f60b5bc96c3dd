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
	if rd := r.Rendering; rd != nil {
		switch rd.Status {
		case RenderingDifferent:
			parts = append(parts, i18n.T(l, "verify.note.rendering_differs", differingPages(rd)))
		case RenderingUnavailable:
			parts = append(parts, i18n.T(l, "verify.note.rendering_unavailable"))
		}
	}
	if ind == Failed && (sub == HashFailure || sub == SigCryptoFailure || sub == FormatFailure) {
		return strings.Join(parts, sep(l))
	}
	if r.ChangesAfter == pdfv.ChangesAllowed {
		parts = append(parts, i18n.T(l, "verify.note.changes_allowed"))
		for _, w := range warnings(r) {
			parts = append(parts, i18n.T(l, "verify.note."+w))
		}
	}
	if rd := r.Rendering; rd != nil && rd.Status == RenderingSame && ind == Passed {
		parts = append(parts, i18n.T(l, "verify.note.rendering_same", rd.Pages))
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

// warnings lists, once each and in a fixed order, the warnings of the
// allowed changes after a signature.
func warnings(r *SigReport) []string {
	var out []string
	for _, w := range pdfv.Warns {
		for _, c := range r.Changes {
			if c.Allowed && c.Warning == w {
				out = append(out, w)
				break
			}
		}
	}
	return out
}

// changeItem names a change in both languages: what it is, where, and why
// it is allowed or not.
func changeItem(c pdfv.Change) ChangeItem {
	why := c.Why
	if why == "" {
		why = pdfv.WhyNotPermitted
		if c.Allowed {
			why = pdfv.WhySignature
		}
	}
	line := func(l i18n.Lang) string {
		s := i18n.T(l, "verify.change.line", i18n.T(l, "verify.change."+c.Kind), i18n.T(l, "verify.why."+why))
		if c.Page > 0 {
			s = i18n.T(l, "verify.change.on_page", c.Page, s)
		}
		return s
	}
	return ChangeItem{Kind: c.Kind, Allowed: c.Allowed, Why: why, Warning: c.Warn, Page: c.Page, Object: c.Object,
		Text: Text{JA: line(i18n.JA), EN: line(i18n.EN)}, Detail: c.Detail}
}
