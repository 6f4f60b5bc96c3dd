package verify

import (
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/touki"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/backend/verify/finding"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// toukiLine words a touki.Result for the report.
func toukiLine(r touki.Result) *Touki {
	t := &Touki{Met: r.Met, Reasons: []string{}}
	var ja, en []string
	for _, x := range r.Reasons {
		t.Reasons = append(t.Reasons, string(x))
		ja = append(ja, i18n.T(i18n.JA, "touki.reason."+string(x)))
		en = append(en, i18n.T(i18n.EN, "touki.reason."+string(x)))
	}
	if r.Met {
		t.Sentence = Text{JA: i18n.T(i18n.JA, "touki.met"), EN: i18n.T(i18n.EN, "touki.met")}
	} else {
		t.Sentence = Text{JA: i18n.T(i18n.JA, "touki.unmet", strings.Join(ja, "、")), EN: i18n.T(i18n.EN, "touki.unmet", strings.Join(en, "; "))}
	}
	return t
}

// verifyEgov verifies an e-Gov package (a folder with kousei.xml, or the
// file): every signature's References and value (package egov), then the
// same chain, time and revocation decisions as a CMS signature.
func verifyEgov(path string, opt Options) (*FileReport, error) {
	kousei := path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		kousei = filepath.Join(path, egov.KouseiName)
	}
	raw, err := os.ReadFile(kousei)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	sum := sha256.Sum256(raw)
	rep := &FileReport{File: path, Kind: "egov", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(raw)), Signatures: []SigReport{}, Errors: []Note{}}
	res, err := egov.Verify(kousei)
	switch {
	case errors.Is(err, egov.ErrProfile):
		// Not readable exactly: cannot be confirmed, never broken nor valid.
		r := SigReport{Index: 1, Type: "signature", Format: "xmldsig", Changes: []ChangeItem{}, Errors: []Note{noteOf(finding.Of(err, finding.XMLDSigProfile))}, Warnings: []Note{}, ChangesAfter: pdfv.ChangesUnknown}
		e := evaluation{opt: opt, r: &r}
		e.set(Indeterminate, FormatFailure)
		rep.Signatures = append(rep.Signatures, r)
	case err != nil:
		rep.Errors = append(rep.Errors, noteOf(finding.Of(err, finding.XMLDSigUnreadable)))
	default:
		for i, s := range res.Signatures {
			r := SigReport{
				Index: i + 1, Type: "signature", Format: "xmldsig",
				Intact: s.Intact(), CoversWholeFile: s.Covered, ChangesAfter: pdfv.ChangesNone,
				Changes: []ChangeItem{}, Errors: egovNotes(s.Problems), Warnings: []Note{},
				References: s.References,
			}
			cr := cmsv.Result{Hash: crypto.SHA256, Cert: s.Cert, DigestOK: s.DigestOK, SignatureOK: s.SignatureOK}
			e := evaluation{opt: opt, r: &r, cms: &cmsv.Signed{Certs: s.Certs}, res: cr}
			e.format = !s.FormatOK || !s.Covered
			e.signature()
			rep.Signatures = append(rep.Signatures, r)
		}
	}
	rep.Indication = overall(rep)
	rep.defuse()
	return rep, nil
}

// egovNotes: package egov states its problems in English; each becomes a
// note of one code, its text kept as technical detail.
func egovNotes(problems []string) []Note {
	out := []Note{}
	for _, p := range problems {
		out = append(out, noteOf(finding.New(finding.XMLDSigProblem).With(p)))
	}
	return out
}
