// Package touki holds the rules of the 登記・供託オンライン申請システム (Ministry
// of Justice) for a signed PDF, in one place: what the signer must not do
// (Refuse, checked before the card) and whether a PDF meets them (Check).
//
// The system takes Adobe's PKCS#7 detached format only: /Type /Sig,
// /SubFilter /adbe.pkcs7.detached, /Name (the signer's name), /M (the
// signing time), /ByteRange and /Contents; SHA-256 and RSA PKCS#1 v1.5 in
// the CMS; nothing added after the last signature (no document timestamp,
// no later revision); a second signer countersigns by an incremental
// update. Sources: the ministry's page "PDFファイルへの電子署名の付与"
// (sign_pdf.html under touki-kyoutaku-online), restated in
// nunnun/jpki-local-signer docs/design.md §7.3.
package touki

import (
	"crypto"
	"encoding/asn1"
	"errors"
	"io"

	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// Reason is why a PDF does not meet the requirements (an i18n key suffix:
// "touki.reason.<Reason>").
type Reason string

const (
	NoSignature   Reason = "no_signature"   // no signature at all
	SubFilter     Reason = "subfilter"      // not /adbe.pkcs7.detached
	DocTimestamp  Reason = "doc_timestamp"  // a document timestamp
	NoName        Reason = "no_name"        // no /Name
	NameMismatch  Reason = "name_mismatch"  // /Name is not the certificate's holder
	NoTime        Reason = "no_time"        // no /M
	NotIntact     Reason = "not_intact"     // the signature does not verify
	Digest        Reason = "digest"         // not SHA-256
	Algorithm     Reason = "algorithm"      // not RSA PKCS#1 v1.5
	Appended      Reason = "appended"       // bytes after the last signature
	ChangedBefore Reason = "changed_before" // an earlier signature saw more than a countersignature
	Unreadable    Reason = "unreadable"     // not a PDF that can be read
)

// Result is the conformance of one PDF.
type Result struct {
	Met     bool     `json:"met"`
	Reasons []Reason `json:"reasons"` // empty when Met; in the order found, each once
}

func (r *Result) add(x Reason) {
	for _, y := range r.Reasons {
		if y == x {
			return
		}
	}
	r.Reasons = append(r.Reasons, x)
}

var oidRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
var oidSHA256RSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}

// Check tells whether the PDF in f (size bytes) meets the requirements.
func Check(f io.ReaderAt, size int64) Result {
	sigs, err := pdfv.Check(f, size)
	if err != nil {
		return Result{Reasons: []Reason{Unreadable}}
	}
	return FromSignatures(sigs)
}

// FromSignatures decides on signatures already checked by pdfv.Check.
func FromSignatures(sigs []*pdfv.Signature) Result {
	r := Result{Reasons: []Reason{}}
	if len(sigs) == 0 {
		r.add(NoSignature)
	}
	for i, s := range sigs {
		last := i == len(sigs)-1
		if s.Timestamp {
			r.add(DocTimestamp)
			continue
		}
		if s.SubFilter != "adbe.pkcs7.detached" {
			r.add(SubFilter)
		}
		if !s.Intact || !s.RangeOK {
			r.add(NotIntact)
		}
		if s.Name == "" {
			r.add(NoName)
		} else if c := s.Signer.Cert; c != nil && s.Name != jpkicert.HolderName(c) {
			r.add(NameMismatch)
		}
		if s.M == nil {
			r.add(NoTime)
		}
		if s.Signer.Hash != crypto.SHA256 {
			r.add(Digest)
		}
		if alg := s.Signer.SignatureAlg; alg != oidRSA.String() && alg != oidSHA256RSA.String() {
			r.add(Algorithm)
		}
		switch {
		case last && !s.Whole:
			r.add(Appended)
		case !last && s.Changes.Verdict != pdfv.ChangesNone && s.Changes.Verdict != pdfv.ChangesAllowed:
			r.add(ChangedBefore)
		}
	}
	r.Met = len(r.Reasons) == 0
	return r
}

// Errors of Refuse: what the 登記 profile cannot be combined with.
var (
	ErrTimestamp = errors.New("touki: a timestamp is not part of the 登記 format")
	ErrCertify   = errors.New("touki: a certification that forbids changes blocks the countersignatures 登記 filing needs")
	ErrNotPDF    = errors.New("touki: only PDFs are filed as 電子署名付きPDF")
	ErrEarlier   = errors.New("touki: the PDF already carries a signature that does not meet the 登記 requirements")
)
