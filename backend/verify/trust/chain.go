package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/backend/verify/finding"
	"time"
)

// Purpose is what the end certificate of a chain must be fit for.
type Purpose int

const (
	// Signing: KeyUsage (when present) allows digitalSignature or
	// nonRepudiation. No ExtendedKeyUsage is required, and one that is
	// present is not enforced (JPKI does not promise one; see Chain.Warnings).
	Signing Purpose = iota
	// Timestamping: ExtendedKeyUsage includes timeStamping (RFC 3161 §2.3);
	// KeyUsage, when present, allows digitalSignature or nonRepudiation.
	Timestamping
)

func (p Purpose) String() string {
	if p == Timestamping {
		return "time-stamping"
	}
	return "signing"
}

// Chain statuses.
const (
	StatusOK           = "ok"
	StatusNoChain      = "no_chain"      // no path to any anchor
	StatusExpired      = "expired"       // the leaf or a CA was past its validity at the time checked
	StatusNotYetValid  = "not_yet_valid" // the leaf or a CA was not yet valid at the time checked
	StatusBadKeyUsage  = "bad_key_usage" // the leaf is not fit for the purpose
	StatusBadSignature = "bad_signature" // a path by names reaches an anchor but a signature on it fails
	StatusRevoked      = "revoked"       // set by CheckRevocation
)

// Chain is the outcome of path building and validation for one certificate.
type Chain struct {
	Status   string
	Anchor   *Anchor             // the anchor reached, when any (also for expired or bad_key_usage)
	Path     []*x509.Certificate // leaf first, anchor last (just the leaf when no path was found)
	Problems finding.List        // why Status is not ok
	Warnings finding.List        // things worth telling that do not change Status
}

// OK reports whether the chain is valid for its purpose.
func (c Chain) OK() bool { return c.Status == StatusOK }

// maxDepth bounds path building: the leaf, intermediates, the anchor.
const maxDepth = 8

// maxChecks bounds the issuer checks (each one a signature verification) of
// one path building run: certificates sharing one name, as a hostile CMS may
// carry by the dozen, would otherwise make the search exponential.
const maxChecks = 512

var (
	oidKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidEKUDocSigning    = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}       // RFC 9336 id-kp-documentSigning
	oidEKUAdobeAuthDocs = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 5}       // Adobe Authentic Documents Trust
	oidEKUMSDocSigning  = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 10, 3, 12} // Microsoft document signing
)

func hasExt(c *x509.Certificate, oid asn1.ObjectIdentifier) (present, critical bool) {
	for _, e := range c.Extensions {
		if e.Id.Equal(oid) {
			return true, e.Critical
		}
	}
	return false, false
}

// sameName reports whether issuer names subject: byte-equal DER, or equal
// once parsed (a CA may re-encode a string type).
func sameName(rawIssuer []byte, issuerName string, subject *x509.Certificate) bool {
	return bytes.Equal(rawIssuer, subject.RawSubject) || issuerName == subject.Subject.String()
}

// edge checks that parent signed child and may sign certificates. It
// returns a zero Finding when it does, or why not. An intermediate must say it is a CA
// (basicConstraints cA): a v1 or v2 certificate cannot carry the extension
// and is never one. An anchor is a CA by the user's decision (old roots
// are v1), unless it says otherwise.
func edge(child, parent *x509.Certificate, anchor bool) (sigFailed bool, why finding.Finding) {
	switch {
	case !anchor && parent.Version < 3:
		return false, finding.New(finding.IssuerOldVersion, parent.Subject.String(), parent.Version)
	case !anchor && !parent.BasicConstraintsValid,
		parent.Version == 3 && !parent.BasicConstraintsValid,
		parent.BasicConstraintsValid && !parent.IsCA:
		return false, finding.New(finding.IssuerNotCA, parent.Subject.String())
	}
	// A key whose check costs more than the bounds allow is refused
	// before any arithmetic.
	if err := cmsv.CheckKey(parent.PublicKey); err != nil {
		return false, finding.New(finding.IssuerKeyCostly, parent.Subject.String()).With(err.Error())
	}
	if parent.KeyUsage != 0 && parent.KeyUsage&x509.KeyUsageCertSign == 0 {
		return false, finding.New(finding.IssuerNoCertSign, parent.Subject.String())
	}
	// CheckSignature, unlike CheckSignatureFrom, still accepts SHA-1: old
	// signatures carry such chains, and a warning says so.
	if err := parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature); err != nil {
		return true, finding.New(finding.ChainSignature, child.Subject.String(), parent.Subject.String()).With(err.Error())
	}
	return false, finding.Finding{}
}

type candidate struct {
	path   []*x509.Certificate
	anchor *Anchor
	sigBad finding.List // signature failures on the way (loose paths only)
}

// Chain checks leaf against the anchors at time at (zero: now), using extra
// (the certificates a CMS carries) as intermediates. Issuers are found by
// name and confirmed by signature, so roots sharing one subject name are
// told apart; an anchor past its validity still serves when at falls inside
// it.
func (s *Store) Chain(leaf *x509.Certificate, extra []*x509.Certificate, at time.Time, p Purpose) Chain {
	if at.IsZero() {
		at = time.Now()
	}
	anchors := withBuiltin(s.Anchors())
	// Copies of anchors among extra are the anchors themselves.
	var inter []*x509.Certificate
	for _, c := range extra {
		if c == nil || bytes.Equal(c.Raw, leaf.Raw) || anchorFor(anchors, c) != nil {
			continue
		}
		inter = append(inter, c)
	}

	sr := &search{anchors: anchors, inter: inter}
	if a := anchorFor(anchors, leaf); a != nil {
		sr.strict = append(sr.strict, candidate{path: []*x509.Certificate{leaf}, anchor: a})
	} else {
		sr.build(leaf, []*x509.Certificate{leaf}, nil)
	}
	strict, loose := sr.strict, sr.loose

	out := Chain{Path: []*x509.Certificate{leaf}}
	if len(strict) == 0 {
		if len(loose) > 0 {
			c := loose[0]
			out.Status, out.Anchor, out.Path = StatusBadSignature, c.anchor, c.path
			out.Problems = append(out.Problems, c.sigBad...)
			return out
		}
		out.Status = StatusNoChain
		out.Problems = append(out.Problems, finding.New(finding.NoChain, leaf.Subject.String(), leaf.Issuer.String()))
		out.Problems = append(out.Problems, sr.rejected...)
		if sr.checks >= maxChecks {
			out.Problems = append(out.Problems, finding.New(finding.PathBudget, maxChecks))
		}
		return out
	}
	// Prefer a path valid at `at` all along; else the first found.
	best, bestProblems := strict[0], timeProblems(strict[0].path, at)
	for _, c := range strict[1:] {
		if len(bestProblems) == 0 {
			break
		}
		if pr := timeProblems(c.path, at); len(pr) < len(bestProblems) {
			best, bestProblems = c, pr
		}
	}
	out.Path, out.Anchor = best.path, best.anchor
	for _, tp := range bestProblems {
		if out.Status == "" {
			out.Status = tp.status
		}
		out.Problems = append(out.Problems, tp.why)
	}
	if why := purposeProblems(leaf, p); len(why) > 0 {
		if out.Status == "" {
			out.Status = StatusBadKeyUsage
		}
		out.Problems = append(out.Problems, why...)
	}
	if out.Status == "" {
		out.Status = StatusOK
	}
	out.Warnings = append(out.Warnings, purposeWarnings(leaf, p)...)
	for _, c := range out.Path {
		if c.SignatureAlgorithm == x509.SHA1WithRSA || c.SignatureAlgorithm == x509.ECDSAWithSHA1 {
			out.Warnings = append(out.Warnings, finding.New(finding.SHA1Cert, c.Subject.String()))
		}
		for _, oid := range c.UnhandledCriticalExtensions {
			out.Warnings = append(out.Warnings, finding.New(finding.CriticalExt, c.Subject.String(), oid))
		}
	}
	return out
}

func anchorFor(anchors []Anchor, c *x509.Certificate) *Anchor {
	for i := range anchors {
		if bytes.Equal(anchors[i].Cert.Raw, c.Raw) {
			a := anchors[i]
			return &a
		}
	}
	return nil
}

// search is one path-building run.
type search struct {
	anchors       []Anchor
	inter         []*x509.Certificate
	strict, loose []candidate
	rejected      finding.List // issuers found by name but unfit to issue (not a CA, path length)
	checks        int          // edge checks made, up to maxChecks
}

// check is edge, counted against the budget; ok is false when the budget is spent.
func (s *search) check(child, parent *x509.Certificate, anchor bool) (sigFailed bool, why finding.Finding, ok bool) {
	if s.checks >= maxChecks {
		return false, finding.Finding{}, false
	}
	s.checks++
	sigFailed, why = edge(child, parent, anchor)
	return sigFailed, why, true
}

// build extends path (ending in cur) towards the anchors, depth first.
// Paths whose every signature verifies go to strict; paths that reach an
// anchor by names only, with a failed signature, go to loose.
func (s *search) build(cur *x509.Certificate, path []*x509.Certificate, sigBad finding.List) {
	if len(path) >= maxDepth {
		return
	}
	issuerName := cur.Issuer.String()
	for i := range s.anchors {
		a := s.anchors[i]
		if !sameName(cur.RawIssuer, issuerName, a.Cert) {
			continue
		}
		full := append(append([]*x509.Certificate(nil), path...), a.Cert)
		failed, why, ok := s.check(cur, a.Cert, true)
		if !ok {
			return
		}
		if why.Code != "" && !failed {
			s.rejected = append(s.rejected, why)
			continue
		}
		if why.Code == "" && !pathLenOK(full) {
			s.rejected = append(s.rejected, finding.New(finding.PathLength, a.Cert.Subject.String()))
			continue
		}
		bad := sigBad
		if failed {
			bad = append(append(finding.List(nil), sigBad...), why)
		}
		if len(bad) == 0 {
			s.strict = append(s.strict, candidate{path: full, anchor: &a})
		} else {
			s.loose = append(s.loose, candidate{path: full, anchor: &a, sigBad: bad})
		}
	}
	// Intermediates whose signature verifies are followed first, so a
	// crowd of same-name impostors cannot spend the budget before them.
	type next struct {
		c   *x509.Certificate
		bad finding.List
	}
	var good, failedSig []next
	for _, c := range s.inter {
		if !sameName(cur.RawIssuer, issuerName, c) || inPath(path, c) {
			continue
		}
		failed, why, ok := s.check(cur, c, false)
		if !ok {
			break
		}
		switch {
		case why.Code == "":
			good = append(good, next{c, sigBad})
		case failed:
			failedSig = append(failedSig, next{c, append(append(finding.List(nil), sigBad...), why)})
		default:
			s.rejected = append(s.rejected, why)
		}
	}
	for _, n := range append(good, failedSig...) {
		s.build(n.c, append(append([]*x509.Certificate(nil), path...), n.c), n.bad)
	}
}

func inPath(path []*x509.Certificate, c *x509.Certificate) bool {
	for _, p := range path {
		if bytes.Equal(p.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// pathLenOK checks basicConstraints pathLenConstraint along a path (leaf
// first): a CA may have at most MaxPathLen CA certificates below it.
func pathLenOK(path []*x509.Certificate) bool {
	for i := 1; i < len(path); i++ {
		c := path[i]
		if c.MaxPathLen > 0 || (c.MaxPathLen == 0 && c.MaxPathLenZero) {
			if below := i - 1; below > c.MaxPathLen {
				return false
			}
		}
	}
	return true
}

type timeProblem struct {
	status string
	why    finding.Finding
}

func timeProblems(path []*x509.Certificate, at time.Time) []timeProblem {
	var out []timeProblem
	for i, c := range path {
		early, late := finding.CANotYetValid, finding.CAExpired
		if i == 0 {
			early, late = finding.CertNotYetValid, finding.CertExpired
		}
		switch {
		case at.Before(c.NotBefore):
			out = append(out, timeProblem{StatusNotYetValid, finding.New(early, c.Subject.String(), c.NotBefore.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))})
		case at.After(c.NotAfter):
			out = append(out, timeProblem{StatusExpired, finding.New(late, c.Subject.String(), c.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))})
		}
	}
	return out
}

func purposeProblems(c *x509.Certificate, p Purpose) finding.List {
	var out finding.List
	if present, _ := hasExt(c, oidKeyUsage); present && c.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		out = append(out, finding.New(finding.KeyUsage, c.Subject.String()))
	}
	if p == Timestamping && !hasEKU(c, x509.ExtKeyUsageTimeStamping) {
		out = append(out, finding.New(finding.NoTSAUsage, c.Subject.String()))
	}
	return out
}

func hasEKU(c *x509.Certificate, u x509.ExtKeyUsage) bool {
	for _, e := range c.ExtKeyUsage {
		if e == u {
			return true
		}
	}
	return false
}

func purposeWarnings(c *x509.Certificate, p Purpose) finding.List {
	present, critical := hasExt(c, oidExtKeyUsage)
	if !present {
		return nil
	}
	switch p {
	case Timestamping:
		var out finding.List
		if !critical {
			out = append(out, finding.New(finding.TSAUsageCritical))
		}
		if len(c.ExtKeyUsage)+len(c.UnknownExtKeyUsage) > 1 {
			out = append(out, finding.New(finding.TSAUsageExtra))
		}
		return out
	default:
		if hasEKU(c, x509.ExtKeyUsageAny) || hasEKU(c, x509.ExtKeyUsageEmailProtection) {
			return nil
		}
		for _, o := range c.UnknownExtKeyUsage {
			if o.Equal(oidEKUDocSigning) || o.Equal(oidEKUAdobeAuthDocs) || o.Equal(oidEKUMSDocSigning) {
				return nil
			}
		}
		return finding.List{finding.New(finding.NoDocSigning, c.Subject.String())}
	}
}
