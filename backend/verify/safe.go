package verify

import (
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/safetext"
	"github.com/shomei-app/shomei/backend/verify/finding"
)

// defuse makes every string of the report that someone other than the
// user chose safe to show (safetext.Show): the signer's claims, names in
// certificates, error and change details that quote the file, the
// sentences built from them, the file names. The CLI, the UI (through the
// JSON), the history and its exports all show the report, so it is done
// here once. Machine fields (codes, digests, indications) are left alone.
func (r *FileReport) defuse() {
	r.File = safetext.Show(r.File)
	r.Data = safetext.Show(r.Data)
	sayAll(r.Errors)
	for i := range r.Signatures {
		s := &r.Signatures[i]
		s.Format = safetext.Show(s.Format)
		s.Sentence = Text{JA: safetext.ShowLines(s.Sentence.JA), EN: safetext.ShowLines(s.Sentence.EN)}
		sayAll(s.Errors)
		sayAll(s.Warnings)
		sayAll(s.Revocation.Notes)
		for j := range s.Changes {
			s.Changes[j].Detail = safetext.Show(s.Changes[j].Detail)
		}
		if g := s.Signer; g != nil {
			g.Name = safetext.Show(g.Name)
			g.Subject = safetext.Show(g.Subject)
			g.Issuer = safetext.Show(g.Issuer)
			g.JPKI.Holder = safetext.Show(g.JPKI.Holder)
		}
		if c := s.Claims; c != nil {
			c.Name = safetext.Show(c.Name)
			c.Reason = safetext.Show(c.Reason)
			c.Location = safetext.Show(c.Location)
			c.ContactInfo = safetext.Show(c.ContactInfo)
		}
		if ts := s.Timestamp; ts != nil {
			ts.TSA = safetext.Show(ts.TSA)
			sayAll(ts.Errors)
			if ts.Anchor != nil {
				ts.Anchor.Name = safetext.Show(ts.Anchor.Name)
			}
		}
		if s.TrustAnchor != nil {
			s.TrustAnchor.Name = safetext.Show(s.TrustAnchor.Name)
		}
		s.Revocation.Source = safetext.Show(s.Revocation.Source)
	}
}

// sayAll escapes each note's values and detail, then writes its sentences
// from its code (i18n "verify.finding.CODE") with the escaped values.
func sayAll(list []Note) {
	for i := range list {
		n := &list[i]
		for j := range n.Args {
			n.Args[j] = safetext.Show(n.Args[j])
		}
		n.Detail = safetext.Show(n.Detail)
		f := finding.Finding{Code: n.Code, Args: n.Args}
		n.Text = Text{JA: f.Text(i18n.JA), EN: f.Text(i18n.EN)}
	}
}
