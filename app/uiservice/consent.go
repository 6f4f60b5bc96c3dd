package uiservice

import (
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/smallfile"
)

// ConsentDoc is a consent document as the consent screen shows it: the
// render model of backend/consent (the screen, then the details behind the
// link), or every rule it breaks.
type ConsentDoc struct {
	Ref            string        `json:"ref"`
	Name           string        `json:"name"`
	Valid          bool          `json:"valid"`
	Problems       []string      `json:"problems,omitempty"`
	View           *consent.View `json:"view,omitempty"`
	DocumentSHA256 string        `json:"document_sha256,omitempty"`
}

// openConsent reads and validates the document behind ref.
func (s *Service) openConsent(ref string) (string, *consent.Parsed, []string, error) {
	p, e := s.input(ref)
	if e != nil {
		return "", nil, nil, e
	}
	raw, err := smallfile.Read(p, consent.MaxSize)
	if err != nil {
		s.logf("consent: %v", err)
		return p, nil, nil, s.userErr("consent_read", "consent.err.read", filepath.Base(p))
	}
	doc, err := consent.Parse(raw)
	var inv *consent.Invalid
	if errors.As(err, &inv) {
		L := s.lang()
		var msgs []string
		for _, pr := range inv.Problems {
			msgs = append(msgs, pr.Message(L))
		}
		return p, nil, msgs, nil
	}
	if err != nil {
		return p, nil, nil, s.fail("consent", err)
	}
	return p, doc, nil, nil
}

// ConsentOpen reads a consent document (shomei-consent/1) and renders it
// as the guidance on the consent screen asks, in the UI language. A
// document that breaks a rule comes back with Valid false and the problems.
func (s *Service) ConsentOpen(ref string) (*ConsentDoc, error) {
	p, doc, problems, err := s.openConsent(ref)
	if err != nil {
		return nil, err
	}
	out := &ConsentDoc{Ref: ref, Name: filepath.Base(p)}
	if doc == nil {
		out.Problems = problems
		return out, nil
	}
	v := consent.Render(doc, s.lang())
	out.Valid, out.View, out.DocumentSHA256 = true, &v, doc.SHA256
	return out, nil
}

// ConsentSignRequest is the person's answer on the consent screen. For an
// agreement it carries the signing password with the guard.
type ConsentSignRequest struct {
	Guard
	Ref              string `json:"ref"`
	DocumentSHA256   string `json:"document_sha256"` // the document the screen showed
	Decision         string `json:"decision"`        // agree | disagree
	PIN              Secret `json:"pin"`
	AcceptDisclosure bool   `json:"accept_disclosure"`
}

// ConsentResult is the outcome of a consent or a withdrawal.
type ConsentResult struct {
	Decision      string            `json:"decision,omitempty"`
	Signed        bool              `json:"signed"`
	Output        string            `json:"output,omitempty"` // a reference (web) or a path (desktop)
	OutputName    string            `json:"output_name,omitempty"`
	ConsentSHA256 string            `json:"consent_sha256,omitempty"`
	SHA256        string            `json:"sha256,omitempty"` // of the file written
	At            string            `json:"at,omitempty"`     // decided_at or withdrawn_at, RFC 3339 UTC
	Validity      *consent.Validity `json:"validity,omitempty"`
	Message       string            `json:"message"`
	ValidityText  string            `json:"validity_text,omitempty"`
}

// outputBeside is a new file next to in named after it: in's name without
// trim (or its extension) plus suffix, numbered when taken.
func outputBeside(in, trim, suffix string) string {
	base := filepath.Base(in)
	if trim != "" && strings.HasSuffix(base, trim) {
		base = strings.TrimSuffix(base, trim)
	} else {
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if base == "" {
		base = "consent"
	}
	return FreeName(filepath.Dir(in), base+suffix)
}

// ConsentSign records the person's decision on a consent document. A
// refusal signs nothing and uses no card; it is recorded. An agreement is
// signed with the signing certificate (CMS enveloping the canonical
// document, the decision and the time) into a new file next to the
// document, to hand to the business. The document must be the one the
// screen showed (by SHA-256).
func (s *Service) ConsentSign(req ConsentSignRequest) (*ConsentResult, error) {
	defer req.PIN.wipe()
	L := s.lang()
	d := consent.Decision(req.Decision)
	if d != consent.Agree && d != consent.Disagree {
		return nil, s.userErr("bad_request", "api.bad_request")
	}
	in, doc, _, err := s.openConsent(req.Ref)
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, s.userErr("consent_invalid", "consent.err.invalid", filepath.Base(in))
	}
	if doc.SHA256 != req.DocumentSHA256 {
		return nil, s.userErr("consent_changed", "api.consent.changed")
	}
	out := outputBeside(in, ".json", ".consent.p7m")
	var o *flow.ConsentOutcome
	err = s.signing(req.Guard, req.PIN, req.AcceptDisclosure, func(ui flow.UI) (flow.Signature, error) {
		var err error
		o, err = s.flows().Consent(s.ctx, ui, flow.ConsentJob{Reader: req.Reader, Doc: doc, Decision: d, Out: out})
		if err != nil {
			return flow.Signature{}, err
		}
		return o.Signature, nil
	})
	if err != nil {
		return nil, s.fail("consent", err)
	}
	if o.Signed == nil {
		return &ConsentResult{Decision: string(d), Message: i18n.T(L, "consent.refused")}, nil
	}
	vd := o.Signed.Validity
	return &ConsentResult{Decision: string(d), Signed: true, Output: s.cfg.Files.Ref(out), OutputName: filepath.Base(out),
		ConsentSHA256: o.Signed.FileSHA256, SHA256: o.Signed.FileSHA256, At: stampUTC(o.Signed.At), Validity: &vd,
		Message: i18n.T(L, "consent.signed", filepath.Base(out)), ValidityText: i18n.T(L, "consent.validity", vd.From, vd.Until)}, nil
}

func stampUTC(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// SignedConsent is a signed consent file as the withdrawal screen shows it.
type SignedConsent struct {
	Ref              string `json:"ref"`
	Name             string `json:"name"`
	Service          string `json:"service"`
	Business         string `json:"business"`
	PlatformOperator string `json:"platform_operator"`
	Title            string `json:"title"`
	DecidedAt        string `json:"decided_at"`
	ConsentSHA256    string `json:"consent_sha256"`
	DocumentSHA256   string `json:"document_sha256"`
}

func (s *Service) readSignedConsent(ref string) (string, *consent.Consent, error) {
	p, e := s.input(ref)
	if e != nil {
		return "", nil, e
	}
	raw, err := smallfile.Read(p, 4*consent.MaxSize)
	if err == nil {
		var c *consent.Consent
		if c, err = consent.ReadSigned(raw); err == nil {
			return p, c, nil
		}
	}
	s.logf("consent: %v", err)
	return p, nil, s.userErr("not_a_consent", "consent.err.not_consent", filepath.Base(p))
}

// ConsentInspect reads a signed consent (a file made by ConsentSign or
// `shomei consent sign`) to show what a withdrawal would concern.
func (s *Service) ConsentInspect(ref string) (*SignedConsent, error) {
	p, c, err := s.readSignedConsent(ref)
	if err != nil {
		return nil, err
	}
	d := c.Parsed.Doc
	return &SignedConsent{Ref: ref, Name: filepath.Base(p), Service: d.Service.Name, Business: d.Business.Name, PlatformOperator: d.PlatformOperator.Name,
		Title: d.Title, DecidedAt: c.Statement.DecidedAt, ConsentSHA256: c.FileSHA256, DocumentSHA256: c.Parsed.SHA256}, nil
}

// ConsentWithdrawRequest withdraws a signed consent.
type ConsentWithdrawRequest struct {
	Guard
	Ref              string `json:"ref"`            // the signed consent
	ConsentSHA256    string `json:"consent_sha256"` // as ConsentInspect showed it
	PIN              Secret `json:"pin"`
	AcceptDisclosure bool   `json:"accept_disclosure"`
}

// ConsentWithdraw signs the withdrawal of a signed consent (a document of
// its own, naming the consent by the SHA-256 of its file) into a new file
// next to it, to hand to the business.
func (s *Service) ConsentWithdraw(req ConsentWithdrawRequest) (*ConsentResult, error) {
	defer req.PIN.wipe()
	L := s.lang()
	in, c, err := s.readSignedConsent(req.Ref)
	if err != nil {
		return nil, err
	}
	if c.FileSHA256 != req.ConsentSHA256 {
		return nil, s.userErr("consent_changed", "api.consent.changed")
	}
	out := outputBeside(in, ".consent.p7m", ".withdrawal.p7m")
	var o *flow.ConsentOutcome
	err = s.signing(req.Guard, req.PIN, req.AcceptDisclosure, func(ui flow.UI) (flow.Signature, error) {
		var err error
		if o, err = s.flows().ConsentWithdraw(s.ctx, ui, req.Reader, c, out, false); err != nil {
			return flow.Signature{}, err
		}
		return o.Signature, nil
	})
	if err != nil {
		return nil, s.fail("consent withdraw", err)
	}
	return &ConsentResult{Signed: true, Output: s.cfg.Files.Ref(out), OutputName: filepath.Base(out), ConsentSHA256: c.FileSHA256,
		SHA256: o.Signed.FileSHA256, At: stampUTC(o.Signed.At), Message: i18n.T(L, "consent.withdrawn", filepath.Base(out))}, nil
}

// ConsentRow is one consent the history keeps.
type ConsentRow struct {
	consent.Row
	OutputName string `json:"output_name,omitempty"`
	// Ref is the signed consent when its file is still where it was
	// written (the screen then offers the withdrawal directly).
	Ref string `json:"ref,omitempty"`
}

// Consents lists the consents of the history, newest first: service,
// decision, date, validity (estimated from the signing day) and withdrawal.
func (s *Service) Consents() ([]ConsentRow, error) {
	list, err := consent.List(s.historyPath(), s.lang())
	if err != nil {
		return nil, s.historyErr(err)
	}
	rows := make([]ConsentRow, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- { // newest first
		r := ConsentRow{Row: list[i], OutputName: filepath.Base(list[i].Output)}
		if list[i].Output == "" {
			r.OutputName = ""
		}
		ref := r.RecordedRef
		if ref == "" && s.cfg.Mode == "desktop" {
			for _, p := range []string{r.OutputPath, r.Output} { // older command lines recorded the path as output
				if filepath.IsAbs(p) {
					ref = p
					break
				}
			}
		}
		if ref != "" {
			if _, err := s.cfg.Files.Input(ref); err == nil {
				r.Ref = ref
			}
		}
		r.Output = ""
		rows = append(rows, r)
	}
	return rows, nil
}
