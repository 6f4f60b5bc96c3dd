package flow

import (
	"context"
	"crypto/x509"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/errs"
)

// SignJob is a batch to sign with one entry of the signing password.
type SignJob struct {
	Reader  string
	Files   []string
	Options signing.Options
}

// SignOutcome is a batch's outcome: one result per file. Checked is false
// when the batch was refused before the card (each result says why, or
// is empty for a file that was fine).
type SignOutcome struct {
	Results  []signing.Result
	Checked  bool
	Signer   string // the holder's name from the signing certificate
	TestCard bool
	Cert     *x509.Certificate // the signing certificate (for the shell's own display)
}

// Signed counts the documents signed.
func (o *SignOutcome) Signed() int {
	n := 0
	for _, r := range o.Results {
		if r.OK() && r.Output != "" && o.Checked {
			n++
		}
	}
	return n
}

// SignBatch signs job's files (PAdES for PDFs, CMS otherwise, as its
// options say). In order: every file is checked (signing.Check) and a batch
// that cannot succeed is refused with errs.BatchRefused and nothing sent;
// the disclosure is accepted; the card's state is shown and the last try
// confirmed; the password is read; then one VERIFY and one signature per
// document. A bad document does not stop the batch; a card error does.
func (f *Flows) SignBatch(ctx context.Context, ui UI, job SignJob) (*SignOutcome, error) {
	if len(job.Files) == 0 {
		return nil, errs.New(errs.NoFiles)
	}
	checks, ok := signing.Check(job.Files, job.Options)
	if !ok {
		bad := 0
		for _, r := range checks {
			if r.Err != nil {
				bad++
			}
		}
		return &SignOutcome{Results: checks}, errs.New(errs.BatchRefused, bad)
	}
	st, a, err := f.signingAttempt(ctx, ui, job.Reader)
	if err != nil {
		return nil, err
	}
	out := &SignOutcome{Checked: true, TestCard: st.TestCard}
	progress := func(ev signing.Event) {
		ui.Progress(Progress{Done: ev.Done, Total: ev.Total, Current: ev.Current, Result: ev.Result})
	}
	err = f.Cards.WithSigner(st.Reader, jpki.SignKey, a, func(g *jpki.Signer) error {
		out.Cert = g.Certificate()
		out.Signer = jpkicert.HolderName(out.Cert) // the name only: no other holder data
		out.Results = signing.Files(ctx, g, job.Files, job.Options, progress)
		return nil
	})
	run := history.SignRun{Files: job.Files, Level: level(job.Options), Signer: out.Signer, TestCard: st.TestCard, Paths: f.Paths, Err: err}
	for _, r := range out.Results {
		run.Docs = append(run.Docs, history.SignedDoc{Input: r.Input, Output: r.Output, InputSHA256: r.InputSHA256,
			OutputSHA256: r.OutputSHA256, Bytes: r.Bytes, Format: formatName(r, job.Options), Err: r.Err})
	}
	if out.Results == nil {
		if Reached(err) {
			f.record(history.SignEvents(run)...)
		}
		return nil, err
	}
	f.record(history.SignEvents(run)...)
	return out, nil
}

func level(opt signing.Options) string {
	if opt.TSA != nil {
		return "b-t"
	}
	return "b-b"
}

// formatName is the result's format without its level (pades,
// cms-detached, cms-enveloping).
func formatName(r signing.Result, opt signing.Options) string {
	f := r.Format
	for _, suffix := range []string{"-b-b", "-b-t"} {
		if len(f) > len(suffix) && f[len(f)-len(suffix):] == suffix {
			return f[:len(f)-len(suffix)]
		}
	}
	if f == "" {
		return string(opt.Format)
	}
	return f
}

// signingAttempt is what precedes the signing password's VERIFY: the
// disclosure accepted, the card's state shown (it must carry a signing
// certificate), the last try confirmed, the password read, no Ctrl-C.
func (f *Flows) signingAttempt(ctx context.Context, ui UI, reader string) (*cardsvc.Status, jpki.Attempt, error) {
	accepted, err := ui.AcceptDisclosure()
	if err != nil {
		return nil, jpki.Attempt{}, err
	}
	if !accepted {
		return nil, jpki.Attempt{}, errs.New(errs.DisclosureRefused)
	}
	st, err := f.Cards.Status(reader)
	if err != nil {
		return nil, jpki.Attempt{}, err
	}
	if !st.Card.SignCert {
		return nil, jpki.Attempt{}, cardio.ErrNoSigningCert
	}
	a, err := f.guard(ui, st, pin.Sign)
	if err != nil {
		return nil, jpki.Attempt{}, err
	}
	if a.Secret, err = ui.ReadPIN(pin.Sign, PromptCurrent); err != nil {
		return nil, jpki.Attempt{}, err
	}
	if err := ctx.Err(); err != nil {
		a.Secret.Wipe()
		return nil, jpki.Attempt{}, errs.Wrap(err, errs.Cancelled)
	}
	return st, a, nil
}
