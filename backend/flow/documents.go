package flow

import (
	"context"
	"crypto/x509"
	"io"
	"os"
	"time"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/internal/errs"
)

// The documents a flow signs itself with the signing key, one signature
// each: a consent, its withdrawal, an application's response, an e-Gov
// application. Each follows the rule of every flow here: what can be
// refused without the card is refused first (nothing recorded, nothing
// sent); then the signing password's way to the card (signOnce); an
// attempt is recorded when it was signed or when it reached the card
// (Reached) and failed, with the error's code as its outcome.

// Signature is what every one of these flows returns beside its document:
// the card's state shown, the signing certificate, the signing time.
type Signature struct {
	TestCard bool
	Cert     *x509.Certificate // the signing certificate (the shell's own display)
	At       time.Time
}

func (f *Flows) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Flows) written(path string) history.Written {
	w := history.Written{Path: path, Paths: f.Paths}
	if !f.Paths && f.Ref != nil {
		w.Ref = f.Ref(path)
	}
	return w
}

// outputFree refuses an output that exists (unless overwrite) before the
// card is used.
func outputFree(out string, overwrite bool) error {
	if overwrite {
		return nil
	}
	if _, err := os.Lstat(out); err == nil {
		return errs.New(errs.OutputExists, out)
	}
	return nil
}

// writeOut writes a signed file atomically; a failure outside the
// vocabulary is the write's.
func writeOut(out string, overwrite bool, b []byte) error {
	err := signing.WriteAtomic(out, overwrite, func(w io.Writer) error { _, err := w.Write(b); return err })
	if err != nil && errs.CodeOf(err) == errs.Internal {
		return errs.Wrap(err, errs.WriteFailed)
	}
	return err
}

// signOnce runs fn with the card's signing key and records event's answer
// when the work was done or the attempt reached the card. A failure of the
// card session after fn succeeded (the closing reset) does not undo what
// was written.
func (f *Flows) signOnce(ctx context.Context, ui UI, reader string, fn func(g *jpki.Signer, at time.Time) error,
	event func(sg Signature, err error) history.Event) (Signature, error) {
	st, a, err := f.signingAttempt(ctx, ui, reader)
	if err != nil {
		return Signature{}, err
	}
	sg := Signature{TestCard: st.TestCard, At: f.now()}
	done := false
	err = f.Cards.WithSigner(st.Reader, jpki.SignKey, a, func(g *jpki.Signer) error {
		sg.Cert, sg.At = g.Certificate(), f.now()
		if err := fn(g, sg.At); err != nil {
			return err
		}
		done = true
		return nil
	})
	if done {
		err = nil
	}
	if err == nil || Reached(err) {
		f.record(event(sg, err))
	}
	return sg, err
}

// ConsentJob is a consent document the person decided on, and where its
// signed agreement goes.
type ConsentJob struct {
	Reader    string
	Doc       *consent.Parsed
	Decision  consent.Decision
	Out       string
	Overwrite bool
}

// ConsentOutcome is a consent decided: Signed is nil for a refusal.
type ConsentOutcome struct {
	Signature
	Signed *consent.Signed
}

// Consent records the person's decision on a consent document. A refusal
// signs nothing and uses no card; it is recorded. An agreement is signed
// with the signing key (CMS enveloping the canonical document, the
// decision and the time) into job.Out.
func (f *Flows) Consent(ctx context.Context, ui UI, job ConsentJob) (*ConsentOutcome, error) {
	switch job.Decision {
	case consent.Disagree:
		now := f.now()
		f.record(consent.RefusalEvent(job.Doc, now))
		return &ConsentOutcome{Signature: Signature{At: now}}, nil
	case consent.Agree:
	default:
		return nil, errs.New(errs.Usage)
	}
	if err := outputFree(job.Out, job.Overwrite); err != nil {
		return nil, err
	}
	var signed *consent.Signed
	sg, err := f.signOnce(ctx, ui, job.Reader, func(g *jpki.Signer, at time.Time) error {
		s, err := consent.Sign(g, job.Doc, consent.Agree, at)
		if err != nil {
			return err
		}
		if err := writeOut(job.Out, job.Overwrite, s.File); err != nil {
			return err
		}
		signed = s
		return nil
	}, func(sg Signature, err error) history.Event {
		return consent.AgreementEvent(job.Doc, sg.At, sg.TestCard, signed, f.written(job.Out), err)
	})
	if err != nil {
		return nil, err
	}
	return &ConsentOutcome{Signature: sg, Signed: signed}, nil
}

// ConsentWithdraw signs the withdrawal of a signed consent (a document of
// its own naming the consent by its file's SHA-256) into out.
func (f *Flows) ConsentWithdraw(ctx context.Context, ui UI, reader string, c *consent.Consent, out string, overwrite bool) (*ConsentOutcome, error) {
	if err := outputFree(out, overwrite); err != nil {
		return nil, err
	}
	var signed *consent.Signed
	sg, err := f.signOnce(ctx, ui, reader, func(g *jpki.Signer, at time.Time) error {
		s, err := consent.SignWithdrawal(g, c, at)
		if err != nil {
			return err
		}
		if err := writeOut(out, overwrite, s.File); err != nil {
			return err
		}
		signed = s
		return nil
	}, func(sg Signature, err error) history.Event {
		return consent.WithdrawalEvent(c, sg.At, sg.TestCard, signed, f.written(out), err)
	})
	if err != nil {
		return nil, err
	}
	return &ConsentOutcome{Signature: sg, Signed: signed}, nil
}

// ApplicationOutcome is an application's response written.
type ApplicationOutcome struct {
	Signature
	Response *application.Response
}

// SignApplication signs the files an e-application system handed over
// (collected and shown by the shell) into one response file: an enveloping
// CMS over a manifest of every file's name, size and SHA-256. Each file is
// hashed again under the card's key; one that changed is refused before
// the signature (application_changed, recorded: the card was reached).
func (f *Flows) SignApplication(ctx context.Context, ui UI, reader string, a *application.Application, out string, overwrite bool) (*ApplicationOutcome, error) {
	if err := outputFree(out, overwrite); err != nil {
		return nil, err
	}
	names := make([]string, len(a.Files))
	for i, fl := range a.Files {
		names[i] = fl.Name
	}
	var resp *application.Response
	signer := ""
	sg, err := f.signOnce(ctx, ui, reader, func(g *jpki.Signer, at time.Time) error {
		signer = jpkicert.HolderName(g.Certificate()) // the name only, for the history
		r, err := application.Sign(g, a, at)
		if err != nil {
			return err
		}
		if err := writeOut(out, overwrite, r.File); err != nil {
			return err
		}
		resp = r
		return nil
	}, func(sg Signature, err error) history.Event {
		run := history.ApplicationRun{Files: names, Out: f.written(out), Signer: signer, TestCard: sg.TestCard, Err: err}
		if resp != nil {
			run.OutputSHA256 = resp.SHA256
		}
		return history.ApplicationSigned(run)
	})
	if err != nil {
		return nil, err
	}
	return &ApplicationOutcome{Signature: sg, Response: resp}, nil
}

// EgovJob is an e-Gov application to sign: the package read from its
// folder (Source: what the person chose, the folder or its zip), and where
// the signed folder and its zip go (Out, Out+".zip").
type EgovJob struct {
	Reader    string
	Pkg       *egov.Package
	Source    string
	Out       string
	Overwrite bool
}

// EgovOutcome is the signed application.
type EgovOutcome struct {
	Signature
	Output       *egov.Output
	KouseiSHA256 string
}

// SignEgov signs kousei.xml of an e-Gov application with one card
// operation and writes the signed folder and its zip (never in place,
// never over an existing output unless job.Overwrite).
func (f *Flows) SignEgov(ctx context.Context, ui UI, job EgovJob) (*EgovOutcome, error) {
	p := job.Pkg
	if err := egov.CheckOutput(p.Dir, job.Out, job.Overwrite); err != nil {
		return nil, err
	}
	names := make([]string, len(p.Files))
	for i, fl := range p.Files {
		names[i] = fl.Name
	}
	var res *egov.Output
	var sum, signer string
	sg, err := f.signOnce(ctx, ui, job.Reader, func(g *jpki.Signer, _ time.Time) error {
		signer = jpkicert.HolderName(g.Certificate())
		r, h, err := p.SignTo(g, job.Out, job.Overwrite, egov.SignOptions{})
		if err != nil {
			return err
		}
		res, sum = r, h
		return nil
	}, func(sg Signature, err error) history.Event {
		run := history.EgovRun{Dir: p.Dir, Source: job.Source, Paths: f.Paths, Files: names, Signer: signer, TestCard: sg.TestCard, Err: err}
		if res != nil {
			run.Output, run.Zip, run.KouseiSHA256 = res.Dir, res.Zip, sum
			if !f.Paths && f.Ref != nil {
				run.Ref = f.Ref(res.Zip)
			}
		}
		return history.EgovSigned(run)
	})
	if err != nil {
		return nil, err
	}
	return &EgovOutcome{Signature: sg, Output: res, KouseiSHA256: sum}, nil
}
