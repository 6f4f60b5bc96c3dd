// Package signing signs files with a card key: one PIN entry and one card
// session serve a whole batch, each document costs one card operation, one
// bad file does not stop the others, and every output is written atomically
// (temporary file, sync, rename), so an interruption leaves either the whole
// output or nothing.
package signing

import (
	"context"
	"crypto"
	"crypto/x509"
	"path/filepath"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/cardio"
)

// Format is an output format.
type Format string

const (
	FormatAuto  Format = "auto"  // PAdES for PDFs, CMS for everything else
	FormatCMS   Format = "cms"   // CMS SignedData, CAdES-BES attributes
	FormatPAdES Format = "pades" // PDF signature, PAdES baseline B-B
)

// Signer is a card key with its certificate (jpki.Signer is one).
type Signer interface {
	crypto.Signer
	Certificate() *x509.Certificate
}

// Options choose what a batch produces.
type Options struct {
	Format     Format
	Enveloping bool   // CMS: embed the content (.p7m) instead of a detached .p7s
	OutDir     string // "" = next to each input
	Overwrite  bool   // replace existing outputs
	Now        func() time.Time

	// PDF signatures.
	Reason, Location string
	Certify          pades.DocMDP // Approval (0) or a certification level
	Visible          *pades.Stamp // nil: invisible
	// Stamps places a stamp on one document: by input path, it replaces
	// Visible for that document (a stamp belongs to the document it was
	// placed on, not to the batch).
	Stamps map[string]*pades.Stamp

	// TSA, when set, adds an RFC 3161 signature timestamp (level B-T).
	TSA *tsa.Client

	// Profile is the receiving system's format ("" for none): ProfileTouki
	// writes Adobe PKCS#7 PDFs for 登記・供託オンライン申請.
	Profile Profile
}

// timestamper returns the CMS timestamp hook for opt, or nil.
func (opt Options) timestamper(ctx context.Context) func([]byte) ([]byte, error) {
	if opt.TSA == nil {
		return nil
	}
	return func(sig []byte) ([]byte, error) { return opt.TSA.Token(ctx, sig) }
}

func (opt Options) level() string {
	if opt.TSA != nil {
		return "b-t"
	}
	return "b-b"
}

// Result is the outcome for one input.
type Result struct {
	Input        string `json:"input"`
	Output       string `json:"output,omitempty"`
	Format       string `json:"format,omitempty"`
	InputSHA256  string `json:"input_sha256,omitempty"`
	OutputSHA256 string `json:"output_sha256,omitempty"`
	Bytes        int64  `json:"bytes,omitempty"`
	Err          error  `json:"-"`
}

// OK reports success.
func (r Result) OK() bool { return r.Err == nil }

// Event reports progress: Done of Total files finished, the one at hand.
type Event struct {
	Done, Total int
	Result      *Result // set when a file finished (or failed)
	Current     string  // set when a file starts
}

// IsCardError reports whether err came from the card (the batch stops).
func IsCardError(err error) bool {
	return cardio.CodeOf(err) != ""
}

// Files signs each input in turn. A card error (card pulled out, reset…)
// stops the batch: the files already signed stay intact, the current one
// leaves nothing behind, the rest are reported as not signed. ctx is checked
// between documents.
func Files(ctx context.Context, g Signer, inputs []string, opt Options, progress func(Event)) []Result {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Format == "" {
		opt.Format = FormatAuto
	}
	if progress == nil {
		progress = func(Event) {}
	}
	results := make([]Result, len(inputs))
	stop := opt.CheckText()
	for i, in := range inputs {
		r := &results[i]
		r.Input = in
		switch {
		case stop != nil && !IsCardError(stop):
			r.Err = &FileError{Code: CodeUnsafeText, Path: in, Err: stop}
		case stop != nil:
			r.Err = &FileError{Code: CodeSkipped, Path: in, Err: stop}
		case ctx.Err() != nil:
			r.Err = &FileError{Code: CodeCancelled, Path: in}
		default:
			progress(Event{Done: i, Total: len(inputs), Current: in})
			*r = signOne(ctx, g, in, opt)
			if IsCardError(r.Err) {
				stop = r.Err
			}
		}
		progress(Event{Done: i + 1, Total: len(inputs), Result: r})
	}
	return results
}

func isPDF(path string) bool { return strings.EqualFold(filepath.Ext(path), ".pdf") }

// OutputPath is where the signature of in goes.
func OutputPath(in string, opt Options) string {
	name := filepath.Base(in)
	switch {
	case formatFor(in, opt) == FormatPAdES:
		name = strings.TrimSuffix(name, filepath.Ext(name)) + ".signed.pdf"
	case opt.Enveloping:
		name += ".p7m"
	default:
		name += ".p7s"
	}
	dir := opt.OutDir
	if dir == "" {
		dir = filepath.Dir(in)
	}
	return filepath.Join(dir, name)
}

func formatFor(in string, opt Options) Format {
	if opt.Format == FormatAuto {
		if isPDF(in) {
			return FormatPAdES
		}
		return FormatCMS
	}
	return opt.Format
}
