package consent

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shomei-app/shomei/backend/canonjson"
	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/internal/errs"
)

// Decision is the person's answer on the consent screen.
type Decision string

const (
	Agree    Decision = "agree"
	Disagree Decision = "disagree"
)

// Formats of the signed statements.
const (
	DecisionFormat   = "shomei-consent-decision/1"
	WithdrawalFormat = "shomei-consent-withdrawal/1"
)

// Signer is the card's signing key with its certificate (jpki.Signer).
type Signer interface {
	crypto.Signer
	Certificate() *x509.Certificate
}

// Errors of signing.
var (
	ErrNotAgreed   = errors.New("consent: only an agreement is signed")
	ErrCertExpired = errs.New(errs.CertExpired)
	ErrNotSigning  = errs.New(errs.NotSigningCert)
	ErrNotConsent  = errors.New("consent: not a signed consent")
)

// Statement is what gets signed on agreement: the decision, its time, and
// the document itself (canonical), with its hash for quick comparison. The
// signed bytes are the statement's RFC 8785 form.
type Statement struct {
	Format         string          `json:"format"`
	Decision       Decision        `json:"decision"`
	DecidedAt      string          `json:"decided_at"` // RFC 3339, UTC, seconds
	DocumentSHA256 string          `json:"document_sha256"`
	Document       json.RawMessage `json:"document"`
}

// Withdrawal is what gets signed to withdraw a consent: it names the signed
// consent by the SHA-256 of its file and repeats who it concerned.
type Withdrawal struct {
	Format           string `json:"format"`
	WithdrawnAt      string `json:"withdrawn_at"`
	ConsentSHA256    string `json:"consent_sha256"`
	DocumentSHA256   string `json:"document_sha256"`
	ConsentDecidedAt string `json:"consent_decided_at"`
	Service          Party  `json:"service"`
	Business         Party  `json:"business"`
	PlatformOperator Party  `json:"platform_operator"`
}

// Validity is how long a consent lasts: 10 years counted from the day after
// the consent day, where the consent day is the day J-LIS's system records
// it; certificate renewals do not shorten it, and it can be withdrawn at
// any time (seed 004, II-8). Shomei cannot know the day J-LIS records it,
// so its local record counts from the signing day and says so (Estimated).
type Validity struct {
	ConsentDay string `json:"consent_day"` // YYYY-MM-DD (JST)
	From       string `json:"valid_from"`  // the day after: the first day counted
	Until      string `json:"valid_until"` // the last day of the 10 years
	Estimated  bool   `json:"estimated"`   // counted from the signing day, not J-LIS's registration
}

// ValidityFrom returns the validity of a consent recorded on day (JST).
// Ten years counted from a first day F cover F up to the day before F's
// anniversary ten years on: 1 April 2025 → from 2 April 2025 until
// 1 April 2035.
func ValidityFrom(day time.Time, estimated bool) Validity {
	y, m, d := day.In(certlife.JST).Date()
	c := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	from := c.AddDate(0, 0, 1)
	until := addYears(from, 10).AddDate(0, 0, -1)
	return Validity{ConsentDay: c.Format(time.DateOnly), From: from.Format(time.DateOnly), Until: until.Format(time.DateOnly), Estimated: estimated}
}

// addYears keeps 29 February on 28 February in a common year (Go's AddDate
// would roll it into March).
func addYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	if m == time.February && d == 29 && !leap(y+n) {
		d = 28
	}
	return time.Date(y+n, m, d, 0, 0, 0, 0, time.UTC)
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// StatementBytes returns the canonical bytes of the agreement statement.
func StatementBytes(p *Parsed, at time.Time) ([]byte, error) {
	return canonjson.Marshal(Statement{Format: DecisionFormat, Decision: Agree, DecidedAt: stamp(at), DocumentSHA256: p.SHA256, Document: p.Canonical})
}

// Signed is a finished signature: the CMS file's bytes and what the local
// record keeps.
type Signed struct {
	File       []byte // DER CMS SignedData, enveloping the statement (.p7m)
	Content    []byte // the signed statement bytes
	FileSHA256 string // SHA-256 of File: how a withdrawal names the consent
	At         time.Time
	Validity   Validity // consents only
}

// checkCert refuses a certificate that is not a signing certificate or not
// valid at t: the guidance wants the consent signed with the My Number
// Card's signing certificate (seed 004, II-6).
func checkCert(c *x509.Certificate, t time.Time) error {
	if !jpkicert.IsSigning(c) {
		return ErrNotSigning
	}
	if t.Before(c.NotBefore) || t.After(c.NotAfter) {
		return ErrCertExpired
	}
	return nil
}

// Sign signs the person's agreement to p at time at. Only an agreement is
// ever signed: a refusal is not passed here.
func Sign(g Signer, p *Parsed, d Decision, at time.Time) (*Signed, error) {
	if d != Agree {
		return nil, ErrNotAgreed
	}
	s, err := signStatement(g, at, func() ([]byte, error) { return StatementBytes(p, at) })
	if err != nil {
		return nil, err
	}
	s.Validity = ValidityFrom(at, true)
	return s, nil
}

// signStatement signs the statement content makes, at time at, once the
// signing certificate is found fit for it (checkCert): an enveloping CMS
// SignedData (CAdES-BES attributes, signingTime = at), one card operation.
func signStatement(g Signer, at time.Time, content func() ([]byte, error)) (*Signed, error) {
	if err := checkCert(g.Certificate(), at); err != nil {
		return nil, err
	}
	b, err := content()
	if err != nil {
		return nil, err
	}
	file, err := cms.Envelop(cms.Request{Signer: g, Cert: g.Certificate(), SigningTime: &at}, b)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(file)
	return &Signed{File: file, Content: b, FileSHA256: hex.EncodeToString(sum[:]), At: at}, nil
}

// Consent is a signed consent read back from its file.
type Consent struct {
	Statement  Statement
	Parsed     *Parsed
	FileSHA256 string
	Signer     *x509.Certificate
}

// ReadSigned reads a signed consent file: a CMS SignedData whose signature
// holds (integrity only; trust is the verifier's business), enveloping an
// agreement statement whose document is valid and matches its hash.
func ReadSigned(file []byte) (*Consent, error) {
	s, err := cmsv.Parse(file)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotConsent, err)
	}
	if s.EContent == nil || s.Signers() != 1 {
		return nil, fmt.Errorf("%w: not an enveloping signature with one signer", ErrNotConsent)
	}
	r := s.Verify(0, nil)
	if !r.Intact() {
		return nil, fmt.Errorf("%w: the signature does not hold", ErrNotConsent)
	}
	var st Statement
	dec := json.NewDecoder(bytes.NewReader(s.EContent))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil || st.Format != DecisionFormat || st.Decision != Agree {
		return nil, fmt.Errorf("%w: the content is not an agreement statement", ErrNotConsent)
	}
	p, err := Parse(st.Document)
	if err != nil {
		return nil, fmt.Errorf("%w: the document inside is invalid: %v", ErrNotConsent, err)
	}
	if p.SHA256 != st.DocumentSHA256 {
		return nil, fmt.Errorf("%w: the document does not match its hash", ErrNotConsent)
	}
	sum := sha256.Sum256(file)
	return &Consent{Statement: st, Parsed: p, FileSHA256: hex.EncodeToString(sum[:]), Signer: r.Cert}, nil
}

// WithdrawalBytes returns the canonical bytes of a withdrawal of c at time at.
func WithdrawalBytes(c *Consent, at time.Time) ([]byte, error) {
	d := c.Parsed.Doc
	return canonjson.Marshal(Withdrawal{
		Format: WithdrawalFormat, WithdrawnAt: stamp(at), ConsentSHA256: c.FileSHA256,
		DocumentSHA256: c.Parsed.SHA256, ConsentDecidedAt: c.Statement.DecidedAt,
		Service: d.Service, Business: d.Business, PlatformOperator: d.PlatformOperator,
	})
}

// SignWithdrawal signs the withdrawal of c (seed 004, II-12: a withdrawal is
// an electronic document signed with the signing certificate).
func SignWithdrawal(g Signer, c *Consent, at time.Time) (*Signed, error) {
	return signStatement(g, at, func() ([]byte, error) { return WithdrawalBytes(c, at) })
}
