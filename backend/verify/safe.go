package verify

import "github.com/shomei-app/shomei/backend/safetext"

// defuse makes every string of the report that someone other than the
// user chose safe to show (safetext.Show): the signer's claims, names in
// certificates, error and change details that quote the file, the
// sentences built from them, the file names. The CLI, the UI (through the
// JSON), the history and its exports all show the report, so it is done
// here once. Machine fields (codes, digests, indications) are left alone.
func (r *FileReport) defuse() {
	r.File = safetext.Show(r.File)
	r.Data = safetext.Show(r.Data)
	showAll(r.Errors)
	for i := range r.Signatures {
		s := &r.Signatures[i]
		s.Format = safetext.Show(s.Format)
		s.Sentence = Text{JA: safetext.ShowLines(s.Sentence.JA), EN: safetext.ShowLines(s.Sentence.EN)}
		showAll(s.Errors)
		showAll(s.Warnings)
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
			showAll(ts.Errors)
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

func showAll(list []string) {
	for i := range list {
		list[i] = safetext.Show(list[i])
	}
}
