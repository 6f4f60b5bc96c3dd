// Package signing signs files with a card key: one PIN entry and one card
// session serve a whole batch, each document costs one card operation, one
// bad file does not stop the others, and every output is written atomically
// (temporary file, sync, rename), so an interruption leaves either the whole
// output or nothing.
package signing

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/shomei-app/shomei/backend/safetext"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/backend/touki"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/internal/errs"
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

// Profile names a receiving system's format.
type Profile string

// ProfileTouki is 登記・供託オンライン申請's 電子署名付きPDF (see backend/touki).
const ProfileTouki Profile = "touki"

// CheckProfile refuses, before the card is used, a batch the profile cannot
// produce: options that break it, a file that is not a PDF, a PDF whose
// earlier signatures already fail the requirements. It returns the first
// problem as a *FileError (Path "" for an option).
func CheckProfile(inputs []string, opt Options) error {
	switch opt.Profile {
	case "":
		return nil
	case ProfileTouki:
	default:
		return &FileError{Code: CodeUnsupported, Err: fmt.Errorf("unknown profile %q", opt.Profile)}
	}
	switch {
	case opt.TSA != nil:
		return &FileError{Code: CodeToukiTimestamp, Err: touki.ErrTimestamp}
	case opt.Certify == pades.NoChanges:
		return &FileError{Code: CodeToukiCertify, Err: touki.ErrCertify}
	case opt.Format == FormatCMS || opt.Enveloping:
		return &FileError{Code: CodeToukiNotPDF, Err: touki.ErrNotPDF}
	}
	for _, in := range inputs {
		if !isPDF(in) {
			return &FileError{Code: CodeToukiNotPDF, Path: in, Err: touki.ErrNotPDF}
		}
		f, err := os.Open(in)
		if err != nil {
			return &FileError{Code: CodeRead, Path: in, Err: err}
		}
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			f.Close()
			return &FileError{Code: CodeRead, Path: in, Err: err}
		}
		sigs, err := pdfv.Check(f, st.Size())
		f.Close()
		if err != nil {
			return &FileError{Code: CodeNotPDF, Path: in, Err: err}
		}
		if len(sigs) > 0 && !touki.FromSignatures(sigs).Met {
			return &FileError{Code: CodeToukiEarlier, Path: in, Err: touki.ErrEarlier}
		}
	}
	return nil
}

// Check looks at a batch before the card is used: every input exists and
// is a regular file, every output is free (unless Overwrite) and named by
// one input only, every PDF to sign as PAdES opens, is not encrypted, takes
// one more signature and has the page its stamp names, and the profile's
// rules hold. It returns one result per input, with Err set where that
// file cannot be signed, and whether all can.
func Check(inputs []string, opt Options) ([]Result, bool) {
	if opt.Format == "" {
		opt.Format = FormatAuto
	}
	results := make([]Result, len(inputs))
	ok := true
	outputs := map[string]string{}
	for i, in := range inputs {
		r := &results[i]
		r.Input = in
		r.Output = OutputPath(in, opt)
		r.Err = checkOne(in, r.Output, opt)
		if r.Err == nil {
			if other, dup := outputs[abs(r.Output)]; dup {
				r.Err = &FileError{Code: CodeExists, Path: r.Output, Err: fmt.Errorf("%s and %s have the same output", other, in)}
			}
			outputs[abs(r.Output)] = in
		}
		if r.Err != nil {
			ok = false
		}
	}
	return results, ok
}

func checkOne(in, out string, opt Options) error {
	st, err := os.Stat(in)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &FileError{Code: CodeMissing, Path: in, Err: err}
	case err != nil:
		return &FileError{Code: CodeRead, Path: in, Err: err}
	case st.IsDir():
		return &FileError{Code: CodeIsDir, Path: in}
	case !st.Mode().IsRegular():
		return &FileError{Code: CodeRead, Path: in, Err: errors.New("not a regular file")}
	}
	f, err := os.Open(in)
	if err != nil {
		return &FileError{Code: CodeRead, Path: in, Err: err}
	}
	f.Close()
	if opt.OutDir != "" {
		if st, err := os.Stat(opt.OutDir); err != nil || !st.IsDir() {
			return &FileError{Code: CodeWrite, Path: opt.OutDir, Err: fmt.Errorf("output folder: %v", err)}
		}
	}
	if err := checkOutput(in, out, opt); err != nil {
		return err
	}
	if err := CheckProfile([]string{in}, opt); err != nil {
		return err
	}
	if formatFor(in, opt) != FormatPAdES {
		return nil
	}
	d, err := pades.Open(in)
	if err != nil {
		return &FileError{Code: pdfCode(err), Path: in, Err: err}
	}
	defer d.Close()
	popt := pades.Options{Certify: opt.Certify, Visible: opt.Visible}
	if s, ok := opt.Stamps[in]; ok {
		popt.Visible = s
	}
	if err := d.Check(popt); err != nil {
		return &FileError{Code: pdfCode(err), Path: in, Err: err}
	}
	return nil
}

// tsSpace is the room kept in a PDF's /Contents for the timestamp token, so
// the card signs each document once whatever the TSA answers (real tokens
// are 2–8 KB; a larger one is refused, never re-signed).
const tsSpace = 16 << 10

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

// Code classifies a per-file failure that is not a card error: a code of
// the one vocabulary (internal/errs).
type Code = errs.Code

const (
	CodeRead        = errs.ReadFailed
	CodeNotPDF      = errs.PDFUnreadable
	CodeEncrypted   = errs.PDFEncrypted
	CodeCertified   = errs.PDFCertified
	CodeCertifyLate = errs.PDFCertifyNotFirst
	CodeNoPage      = errs.PDFNoPage
	CodeNoFont      = errs.NoFont
	CodeTimestamp   = errs.TimestampFailed
	CodeWrite       = errs.WriteFailed
	CodeExists      = errs.OutputExists
	CodeUnsupported = errs.FormatUnavailable
	CodeSkipped     = errs.NotSigned // the batch stopped before this file
	CodeCancelled   = errs.Cancelled
	CodeMissing     = errs.InputMissing
	CodeIsDir       = errs.InputIsDir
	CodeChanged     = errs.FileChanged // the input was written to while it was signed
	CodeUnsafeText  = errs.UnsafeText  // a reason or location with control or direction characters

	// The 登記 profile's refusals (CheckProfile).
	CodeToukiTimestamp = errs.ToukiTimestamp
	CodeToukiCertify   = errs.ToukiCertify
	CodeToukiNotPDF    = errs.ToukiNotPDF
	CodeToukiEarlier   = errs.ToukiEarlier
)

// CheckText refuses a reason or location that holds control characters
// (ANSI escapes, line breaks), bidirectional overrides or invalid UTF-8:
// every verifier and viewer shows these fields to the people who rely on
// the signature. Shells call it before the card is touched; Files calls it
// again and signs nothing when it fails.
func (opt Options) CheckText() error {
	for _, v := range []string{opt.Reason, opt.Location} {
		if err := safetext.Check(v); err != nil {
			return &FileError{Code: CodeUnsafeText, Err: err}
		}
	}
	return nil
}

// FileError is a failure of one file.
type FileError struct {
	Code Code
	Path string
	Err  error
}

func (e *FileError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Path, e.Code, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Code)
}

func (e *FileError) Unwrap() error { return e.Err }

// Errs places the failure in the one vocabulary; the path stays out of the
// sentence (the shells name the file beside it).
func (e *FileError) Errs() *errs.Error { return &errs.Error{Code: e.Code, Cause: e} }

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

func signOne(ctx context.Context, g Signer, in string, opt Options) Result {
	r := Result{Input: in}
	if err := CheckProfile([]string{in}, opt); err != nil {
		r.Err = err
		return r
	}
	if formatFor(in, opt) == FormatPAdES {
		return signPDF(ctx, g, in, opt)
	}
	r.Format = "cms-detached-" + opt.level()
	if opt.Enveloping {
		r.Format = "cms-enveloping-" + opt.level()
	}
	out := OutputPath(in, opt)
	r.Output = out
	if r.Err = checkOutput(in, out, opt); r.Err != nil {
		return r
	}
	src, err := os.Open(in)
	if err != nil {
		r.Err = &FileError{Code: CodeRead, Path: in, Err: err}
		return r
	}
	defer src.Close()
	digest, n, err := cms.Digest(src)
	if err != nil {
		r.Err = &FileError{Code: CodeRead, Path: in, Err: err}
		return r
	}
	r.Bytes = n
	r.InputSHA256 = hex.EncodeToString(digest)
	now := opt.Now()
	sig, err := cms.SignDigest(cms.Request{Signer: g, Cert: g.Certificate(), SigningTime: &now, Timestamp: opt.timestamper(ctx)}, digest)
	if err != nil {
		if !IsCardError(err) {
			err = &FileError{Code: CodeTimestamp, Path: in, Err: err}
		}
		r.Err = err
		return r
	}
	outHash := sha256.New()
	err = WriteAtomic(out, opt.Overwrite, func(w io.Writer) error {
		w = io.MultiWriter(w, outHash)
		if !opt.Enveloping {
			_, err := w.Write(sig.Detached())
			return err
		}
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			return err
		}
		// The content is read a second time: if it changed meanwhile, the
		// copy is refused (its digest would no longer match).
		check := sha256.New()
		if err := sig.WriteEnveloping(w, io.TeeReader(src, check), n); err != nil {
			return err
		}
		if hex.EncodeToString(check.Sum(nil)) != r.InputSHA256 {
			return errors.New("the file changed while it was being signed")
		}
		return nil
	})
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) {
			err = &FileError{Code: CodeWrite, Path: out, Err: err}
		}
		r.Err = err
		return r
	}
	r.OutputSHA256 = hex.EncodeToString(outHash.Sum(nil))
	return r
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// WriteAtomic writes path through a temporary file in the same directory:
// write, sync, then rename over path (overwrite) or link it into place only
// if path does not exist yet. On any failure the temporary file is removed
// and path is untouched.
func WriteAtomic(path string, overwrite bool, write func(io.Writer) error) (err error) {
	return writeAtomicFile(path, overwrite, func(f *os.File) error { return write(f) })
}

// writeAtomicFile is WriteAtomic for a writer that needs the file itself
// (the kernel-side copy of a PDF signature).
func writeAtomicFile(path string, overwrite bool, write func(*os.File) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if overwrite {
		err = os.Rename(tmp.Name(), path)
	} else {
		// link fails if path exists: no race with another writer.
		if err = os.Link(tmp.Name(), path); err == nil {
			os.Remove(tmp.Name())
		} else if errors.Is(err, os.ErrExist) {
			err = &FileError{Code: CodeExists, Path: path}
		}
	}
	if err != nil {
		return err
	}
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// checkOutput refuses, before the card is used, an output that would replace
// the input or an existing file (unless Overwrite).
func checkOutput(in, out string, opt Options) error {
	if abs(out) == abs(in) && !opt.Overwrite {
		return &FileError{Code: CodeExists, Path: out, Err: errors.New("the output would replace the input")}
	}
	if !opt.Overwrite {
		if _, err := os.Lstat(out); err == nil {
			return &FileError{Code: CodeExists, Path: out}
		}
	}
	return nil
}

// pdfCode maps the PDF signer's refusals to file error codes.
func pdfCode(err error) Code {
	switch {
	case errors.Is(err, pades.ErrEncrypted):
		return CodeEncrypted
	case errors.Is(err, pades.ErrCertified):
		return CodeCertified
	case errors.Is(err, pades.ErrCertifyNow):
		return CodeCertifyLate
	case errors.Is(err, pades.ErrNoPage):
		return CodeNoPage
	case errors.Is(err, pades.ErrNoFont):
		return CodeNoFont
	case errors.Is(err, pades.ErrNotPDF):
		return CodeNotPDF
	case errors.Is(err, pades.ErrChanged):
		return CodeChanged
	case errors.Is(err, cms.ErrTimestamp), errors.Is(err, pades.ErrTooLarge):
		return CodeTimestamp
	}
	return CodeWrite
}

// signPDF adds a PAdES signature to a PDF.
func signPDF(ctx context.Context, g Signer, in string, opt Options) Result {
	r := Result{Input: in, Format: "pades-" + opt.level()}
	sub := pades.SubFilterPAdES
	if opt.Profile == ProfileTouki {
		r.Format, sub = "pdf-pkcs7-touki", pades.SubFilterPKCS7
	}
	out := OutputPath(in, opt)
	r.Output = out
	if r.Err = checkOutput(in, out, opt); r.Err != nil {
		return r
	}
	d, err := pades.Open(in)
	if err != nil {
		code := pdfCode(err)
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			code = CodeRead
		}
		r.Err = &FileError{Code: code, Path: in, Err: err}
		return r
	}
	defer d.Close()
	cert := g.Certificate()
	if st, ok := opt.Stamps[in]; ok {
		opt.Visible = st
	}
	if opt.Visible != nil && len(opt.Visible.Lines) == 0 {
		st := *opt.Visible
		st.Lines = StampLines(jpkicert.HolderName(cert), opt.Now(), opt.Reason)
		opt.Visible = &st
	}
	popt := pades.Options{
		Name:      jpkicert.HolderName(cert),
		Reason:    opt.Reason,
		Location:  opt.Location,
		Time:      opt.Now(),
		Certify:   opt.Certify,
		Visible:   opt.Visible,
		SubFilter: sub,
	}
	if opt.TSA != nil {
		popt.TimestampSpace = tsSpace
	}
	var cardErr error
	var dg pades.Digests
	err = writeAtomicFile(out, opt.Overwrite, func(f *os.File) error {
		dg, err = d.SignFile(f, popt, len(cert.Raw), func(digest []byte) ([]byte, error) {
			sig, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g, Cert: cert, Timestamp: opt.timestamper(ctx)}), digest)
			if err != nil {
				if IsCardError(err) {
					cardErr = err
				}
				return nil, err
			}
			return sig.Detached(), nil
		})
		return err
	})
	switch {
	case cardErr != nil:
		r.Err = cardErr
	case err != nil:
		var fe *FileError
		if !errors.As(err, &fe) {
			err = &FileError{Code: pdfCode(err), Path: out, Err: err}
		}
		r.Err = err
	default:
		r.InputSHA256 = hex.EncodeToString(dg.Input)
		r.OutputSHA256 = hex.EncodeToString(dg.Output)
		r.Bytes = d.Size()
	}
	return r
}

// StampLines is what a visible stamp says: who signed and when, in
// Japanese, and the reason when there is one.
func StampLines(name string, t time.Time, reason string) []string {
	lines := []string{"電子署名: " + name, "署名日時: " + t.Format("2006年1月2日 15:04 MST")}
	if reason != "" {
		lines = append(lines, "理由: "+reason)
	}
	return lines
}
