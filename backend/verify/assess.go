package verify

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/backend/verify/finding"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/backend/verify/trust"
)

// Sub-indications used (ETSI EN 319 102-1, 5.1.3).
const (
	FormatFailure           = "FORMAT_FAILURE"
	HashFailure             = "HASH_FAILURE"
	SigCryptoFailure        = "SIG_CRYPTO_FAILURE"
	NoSigningCertFound      = "NO_SIGNING_CERTIFICATE_FOUND"
	NoChainFound            = "NO_CERTIFICATE_CHAIN_FOUND"
	ChainGeneralFailure     = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
	ChainConstraintsFailure = "CHAIN_CONSTRAINTS_FAILURE"
	OutOfBoundsNoPOE        = "OUT_OF_BOUNDS_NO_POE"
	Expired                 = "EXPIRED"
	NotYetValid             = "NOT_YET_VALID"
	Revoked                 = "REVOKED"
	RevokedNoPOE            = "REVOKED_NO_POE"
	TryLater                = "TRY_LATER"
	SignedDataNotFound      = "SIGNED_DATA_NOT_FOUND"
	Generic                 = "GENERIC"
)

// evaluation decides one signature's indication, in the order of the
// ETSI building blocks: format, integrity, changes, time, chain,
// revocation. The first failure decides; the details keep every finding.
type evaluation struct {
	opt    Options
	r      *SigReport
	cms    *cmsv.Signed
	res    cmsv.Result
	format bool // the signature's structure is broken (ByteRange, CMS)
}

func (e *evaluation) set(ind, sub string) {
	e.r.Indication, e.r.Subindication = ind, sub
	e.r.Sentence = sentence(ind, sub, e.r)
}

func (e *evaluation) store() *trust.Store {
	if e.opt.Trust == nil {
		return trust.NewStore()
	}
	return e.opt.Trust
}

// integrity sets a failing indication and returns false when the
// signature is not intact.
func (e *evaluation) integrity() bool {
	switch {
	case e.format || e.cms == nil:
		e.set(Failed, FormatFailure)
	case e.res.Cert == nil && e.cms.Broken > 0:
		e.r.Errors = append(e.r.Errors, newNote(finding.CertMalformed))
		e.set(Failed, FormatFailure)
	case e.res.Cert == nil:
		e.set(Indeterminate, NoSigningCertFound)
	case e.res.Err != nil && !e.res.DigestOK:
		e.set(Failed, FormatFailure)
	case !e.res.DigestOK:
		e.set(Failed, HashFailure)
	case !e.res.SignatureOK:
		e.set(Failed, SigCryptoFailure)
	case e.res.CertBinding == "mismatch":
		e.set(Indeterminate, NoSigningCertFound)
	case e.res.Err != nil:
		e.set(Failed, FormatFailure)
	default:
		return true
	}
	return false
}

func (e *evaluation) changes() bool {
	switch e.r.ChangesAfter {
	case pdfv.ChangesDisallowed:
		e.set(Failed, FormatFailure)
		return false
	case pdfv.ChangesUnknown:
		e.set(Indeterminate, Generic)
		return false
	}
	return true
}

// signature evaluates an ordinary signature (PDF or CMS).
func (e *evaluation) signature() {
	r := e.r
	if e.res.NonDERAttrs {
		r.Warnings = append(r.Warnings, newNote(finding.AttrsNotDER))
	}
	cert := e.res.Cert
	var extra []*x509.Certificate
	if e.cms != nil {
		extra = e.cms.Certs
	}
	r.Revocation = Revocation{Status: trust.RevNotChecked}
	// The signature timestamp, when any, gives a proven time.
	var poe *time.Time
	if len(e.res.Timestamp) > 0 {
		r.Timestamp = e.timestamp(e.res.Timestamp, e.res.Value)
		if r.Timestamp.Trusted {
			poe = &r.Timestamp.Time
		} else {
			r.Warnings = append(r.Warnings, newNote(finding.TSUntrusted))
		}
	}
	if !e.integrity() || !e.changes() {
		if cert != nil {
			e.chainInfo(cert, extra, poe, trust.Signing)
		}
		return
	}
	e.trustAndTime(cert, extra, poe, trust.Signing)
}

// documentTimestamp evaluates a PDF document timestamp: the token itself
// is the signature; its time is proven by itself.
func (e *evaluation) documentTimestamp() {
	r := e.r
	r.Revocation = Revocation{Status: trust.RevNotChecked}
	var extra []*x509.Certificate
	if e.cms != nil {
		extra = e.cms.Certs
		if info, err := cmsv.ParseTSTInfo(e.cms.EContent); err == nil {
			t := info.GenTime
			r.SigningTime = &Claimed{Time: t, Source: "genTime"}
		}
	}
	cert := e.res.Cert
	var poe *time.Time
	if r.SigningTime != nil {
		poe = &r.SigningTime.Time
	}
	if !e.integrity() || !e.changes() {
		if cert != nil {
			e.chainInfo(cert, extra, poe, trust.Timestamping)
		}
		return
	}
	e.trustAndTime(cert, extra, poe, trust.Timestamping)
}

func (e *evaluation) at(poe *time.Time) time.Time {
	if poe != nil {
		return *poe
	}
	return e.opt.now()
}

// chainInfo fills the chain fields without deciding the indication.
func (e *evaluation) chainInfo(cert *x509.Certificate, extra []*x509.Certificate, poe *time.Time, p trust.Purpose) trust.Chain {
	ch := e.store().Chain(cert, extra, e.at(poe), p)
	e.r.Chain = ch.Status
	e.r.TrustAnchor = anchorOf(ch.Anchor)
	e.r.Signer = signerOf(cert, ch)
	e.r.Warnings = append(e.r.Warnings, notesOf(ch.Warnings)...)
	return ch
}

// trustAndTime checks the chain at the proven time (or now), then
// revocation, and sets the final indication.
func (e *evaluation) trustAndTime(cert *x509.Certificate, extra []*x509.Certificate, poe *time.Time, p trust.Purpose) {
	r := e.r
	ch := e.chainInfo(cert, extra, poe, p)
	r.Errors = append(r.Errors, notesOf(ch.Problems)...)
	if p == trust.Signing && r.Signer != nil && r.Signer.JPKI.Kind == "auth" {
		// The card's authentication key proves who is at the keyboard, not
		// what a person agreed to: never a person's document signature.
		r.Errors = append(r.Errors, newNote(finding.AuthCertificate))
		e.set(Indeterminate, ChainConstraintsFailure)
		return
	}
	switch ch.Status {
	case trust.StatusOK:
	case trust.StatusNoChain:
		e.set(Indeterminate, NoChainFound)
		return
	case trust.StatusBadSignature:
		e.set(Indeterminate, ChainGeneralFailure)
		return
	case trust.StatusBadKeyUsage:
		e.set(Indeterminate, ChainConstraintsFailure)
		return
	case trust.StatusExpired:
		if poe != nil {
			e.set(Failed, Expired)
		} else {
			e.set(Indeterminate, OutOfBoundsNoPOE)
		}
		return
	case trust.StatusNotYetValid:
		if poe != nil {
			e.set(Failed, NotYetValid)
		} else {
			e.set(Indeterminate, NotYetValid)
		}
		return
	default:
		e.set(Indeterminate, ChainGeneralFailure)
		return
	}
	revs := ch.CheckRevocation(e.opt.CRLs, e.at(poe))
	r.Revocation = summarise(revs)
	switch r.Revocation.Status {
	case trust.RevRevoked:
		r.Chain = trust.StatusRevoked
		if poe != nil {
			e.set(Failed, Revoked)
		} else {
			e.set(Indeterminate, RevokedNoPOE)
		}
		return
	case trust.RevUnknown:
		if e.opt.CRLs != nil {
			e.set(Indeterminate, TryLater)
			return
		}
	}
	e.set(Passed, "")
}

// summarise folds the per-certificate answers: revoked beats unknown beats
// good.
func summarise(revs []trust.Revocation) Revocation {
	out := Revocation{Status: trust.RevNotChecked}
	rank := map[string]int{trust.RevNotChecked: 0, trust.RevGood: 1, trust.RevUnknown: 2, trust.RevRevoked: 3}
	for i, r := range revs {
		if i == 0 || rank[r.Status] > rank[out.Status] {
			out = Revocation{Status: r.Status, Source: r.Source, RevokedAt: r.RevokedAt, Reason: r.Reason, Notes: notesOf(r.Why)}
		}
	}
	return out
}

// timestamp checks an RFC 3161 token over the signature value: the
// imprint, the token's own signature and the TSA's chain at its time.
func (e *evaluation) timestamp(token, value []byte) *Timestamp {
	ts := &Timestamp{Errors: []Note{}}
	c, err := cmsv.Parse(token)
	if err != nil {
		ts.Errors = append(ts.Errors, noteOf(finding.Of(err, finding.TSTokenBroken)))
		return ts
	}
	info, err := cmsv.ParseTSTInfo(c.EContent)
	if err != nil {
		ts.Errors = append(ts.Errors, noteOf(finding.Of(err, finding.TSInfoBroken)))
		return ts
	}
	ts.Time = info.GenTime
	h := info.Hash.New()
	h.Write(value)
	imprintOK := bytes.Equal(h.Sum(nil), info.Imprint)
	if !imprintOK {
		ts.Errors = append(ts.Errors, newNote(finding.TSImprint))
	}
	res := c.Verify(0, nil)
	if res.Cert != nil {
		ts.TSA = res.Cert.Subject.String()
	}
	if !res.Intact() {
		ts.Errors = append(ts.Errors, noteOf(finding.New(finding.TSTokenSignature).With(fmt.Sprint(res.Err))))
	}
	ts.Intact = imprintOK && res.Intact()
	if res.Cert == nil {
		ts.Chain = trust.StatusNoChain
		return ts
	}
	ch := e.store().Chain(res.Cert, c.Certs, info.GenTime, trust.Timestamping)
	ts.Chain = ch.Status
	ts.Anchor = anchorOf(ch.Anchor)
	ts.Errors = append(ts.Errors, notesOf(ch.Problems)...)
	ts.Trusted = ts.Intact && ch.OK()
	return ts
}
