// Package verify turns the integrity checks of cmsv and pdfv, the change
// analysis of pdfv and the trust decisions of package trust into a report a
// person can trust: per signature an ETSI-style indication (PASSED, FAILED,
// INDETERMINATE) with a sub-indication, a plain sentence in Japanese and
// English, and the details below it. The JSON form of FileReport is stable
// (see README, "Verification report").
package verify

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"github.com/shomei-app/shomei/backend/i18n"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"context"
	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/backend/touki"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/backend/verify/finding"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/backend/verify/render"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/internal/fwatch"
)

// Options are the user's choices for one verification.
type Options struct {
	// Data is the signed file of a detached CMS signature. Empty: the
	// signature's name without .p7s/.sig, when that file exists.
	Data  string
	Trust *trust.Store // the trust anchors; nil: none
	CRLs  *trust.CRLs  // nil: revocation not checked
	Now   time.Time    // the validation time without a timestamp; zero: now
	// Render draws pages for the rendering comparison; nil: render.Default.
	Render *render.Engine
	// Ctx ends the verification early (ErrCancelled); nil: never.
	Ctx context.Context
}

// Indications (ETSI EN 319 102-1).
const (
	Passed        = "PASSED"
	Failed        = "FAILED"
	Indeterminate = "INDETERMINATE"
)

// FileReport is the verification of one file.
type FileReport struct {
	File   string `json:"file"`
	Kind   string `json:"kind"` // pdf | cms
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Data   string `json:"data,omitempty"` // the content file named or found next to a CMS signature
	// SignedContent: an enveloping CMS signature's embedded content, the
	// bytes that were signed (never the file named next to it).
	SignedContent *SignedContent `json:"signed_content,omitempty"`
	Indication    string         `json:"indication"` // PASSED only when every signature passed
	Signatures    []SigReport    `json:"signatures"`
	Errors        []Note         `json:"errors"` // file-level problems (unreadable, no signature)
	// Touki is the PDF's conformance to 登記・供託オンライン申請 (PDFs only).
	Touki *Touki `json:"touki,omitempty"`
}

// Touki is the line "登記申請の要件: 満たす / 満たさない（理由）".
type Touki struct {
	Met      bool     `json:"met"`
	Reasons  []string `json:"reasons"`
	Sentence Text     `json:"sentence"`
}

// SignedContent describes the content embedded in an enveloping CMS.
type SignedContent struct {
	Embedded   bool   `json:"embedded"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256"`
	SameAsData bool   `json:"same_as_data"` // the file in Data holds exactly these bytes
}

// SigReport is one signature (or document timestamp).
type SigReport struct {
	Index           int          `json:"index"` // 1-based, in revision order
	Type            string       `json:"type"`  // signature | document_timestamp
	Format          string       `json:"format"`
	Object          int          `json:"object,omitempty"`
	Indication      string       `json:"indication"`
	Subindication   string       `json:"subindication,omitempty"`
	Sentence        Text         `json:"sentence"`
	Intact          bool         `json:"intact"`
	CoversWholeFile bool         `json:"covers_whole_file"`
	SignedBytes     int64        `json:"signed_bytes,omitempty"` // PDF: where the signed revision ends
	ChangesAfter    string       `json:"changes_after"`          // none | allowed | disallowed | unknown
	Changes         []ChangeItem `json:"changes"`
	DocMDP          int          `json:"docmdp,omitempty"` // certification level in force, 0 for none
	Signer          *Signer      `json:"signer"`
	SigningTime     *Claimed     `json:"signing_time"`
	Timestamp       *Timestamp   `json:"timestamp"`
	TrustAnchor     *Anchor      `json:"trust_anchor"`
	Chain           string       `json:"chain"` // ok | no_chain | expired | not_yet_valid | bad_key_usage | bad_signature | revoked | not_checked
	Revocation      Revocation   `json:"revocation"`
	Claims          *Claims      `json:"claims,omitempty"`
	Rendering       *Rendering   `json:"rendering,omitempty"` // the pages compared, when done
	// References are an XML signature's References (kousei.xml).
	References []egov.Reference `json:"references,omitempty"`
	Errors     []Note           `json:"errors"`
	Warnings   []Note           `json:"warnings"`
}

// Note is one thing the verifier found beyond the verdict (a problem, a
// warning, why revocation was not decided): a stable code (package
// finding), the values it names (from the document or a certificate,
// escaped like every such string), the sentence in both languages, and
// technical detail in English for logs and scripts, never shown in the
// Japanese CLI or UI.
type Note struct {
	Code   string   `json:"code"`
	Args   []string `json:"args,omitempty"`
	Text   Text     `json:"text"`
	Detail string   `json:"detail,omitempty"`
}

// noteOf makes a finding a note; its sentences are written by defuse, once
// its values are escaped.
func noteOf(f finding.Finding) Note {
	return Note{Code: f.Code, Args: append([]string(nil), f.Args...), Detail: f.Detail}
}

func notesOf(l finding.List) []Note {
	out := []Note{}
	for _, f := range l {
		out = append(out, noteOf(f))
	}
	return out
}

func newNote(code string, args ...any) Note { return noteOf(finding.New(code, args...)) }

// Say is the note's sentence in language l (the values escaped).
func (n Note) Say(l i18n.Lang) string {
	if l == i18n.EN {
		return n.Text.EN
	}
	return n.Text.JA
}

// SayAll joins the sentences of notes in language l.
func SayAll(l i18n.Lang, notes []Note) string {
	var out []string
	for _, n := range notes {
		out = append(out, n.Say(l))
	}
	return strings.Join(out, sep(l))
}

// Text is a sentence in both UI languages.
type Text struct {
	JA string `json:"ja"`
	EN string `json:"en"`
}

// ChangeItem is one change after the signature: what it is and why it is
// allowed or not, in both languages (Text), the same as stable codes, and
// the verifier's technical English (Detail).
type ChangeItem struct {
	Kind    string `json:"kind"`
	Allowed bool   `json:"allowed"`
	Why     string `json:"why"`
	Warning string `json:"warning,omitempty"` // shown even when allowed: comment | link | field_covers
	Page    int    `json:"page,omitempty"`
	Object  int    `json:"object,omitempty"`
	Text    Text   `json:"text"`
	Detail  string `json:"detail"`
}

// Signer is who signed, as the certificate says. The serial number is left
// out on purpose: for JPKI it identifies a person.
type Signer struct {
	Name      string     `json:"name"`
	Subject   string     `json:"subject"`
	Issuer    string     `json:"issuer"`
	NotBefore time.Time  `json:"not_before"`
	NotAfter  time.Time  `json:"not_after"`
	JPKI      trust.JPKI `json:"jpki"`
}

// Claimed is a time the signer states: unproven.
type Claimed struct {
	Time   time.Time `json:"time"`
	Source string    `json:"source"` // "/M" | "signingTime"
}

// Timestamp is a signature timestamp, or a document timestamp's own token.
type Timestamp struct {
	Time    time.Time `json:"time"`
	TSA     string    `json:"tsa"`
	Intact  bool      `json:"intact"`  // imprint and token signature
	Chain   string    `json:"chain"`   // the TSA's chain status (purpose time-stamping)
	Trusted bool      `json:"trusted"` // intact and chained: the time is proof
	Anchor  *Anchor   `json:"anchor"`
	Errors  []Note    `json:"errors"`
}

// Anchor names the trust anchor reached.
type Anchor struct {
	Name   string `json:"name"`
	Source string `json:"source"` // jlis | user
	Test   bool   `json:"test"`
	SHA256 string `json:"sha256"`
}

// Revocation is what was checked about revocation.
type Revocation struct {
	Status    string     `json:"status"` // not_checked | good | revoked | unknown
	Source    string     `json:"source,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	Reason    string     `json:"reason,omitempty"`
	Notes     []Note     `json:"notes,omitempty"` // why it was not decided
}

// Claims are a PDF signature dictionary's statements.
type Claims struct {
	Name        string `json:"name,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Location    string `json:"location,omitempty"`
	ContactInfo string `json:"contact_info,omitempty"`
}

// Passed reports whether the file has signatures and every one passed.
func (r *FileReport) Passed() bool { return r.Indication == Passed }

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// ErrUnreadable is returned when the file cannot be opened or read at all.
var ErrUnreadable = errors.New("the file cannot be read")

// ErrChanged is returned when the file was written to while it was being
// verified: no verdict is given.
var ErrChanged = errors.New("the file was written to while it was being verified")

// afterRead, when set (tests), runs once the file was read, before the
// check for writes.
var afterRead func(path string)

// guard runs one verification step and turns a panic (a reader bug that a
// crafted file reached) into ErrUnreadable: a hostile file never crashes
// the process, and never yields a verdict.
func guard(step func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: its structure stopped the reader (%v)", ErrUnreadable, p)
		}
	}()
	step()
	return nil
}

// checkPDF is pdfv.Check behind guard.
func checkPDF(f io.ReaderAt, size int64) (sigs []*pdfv.Signature, err error) {
	if gerr := guard(func() { sigs, err = pdfv.Check(f, size) }); gerr != nil {
		return nil, gerr
	}
	return sigs, err
}

// File verifies every signature in the file at path: a PDF (by its
// header), or a CMS signature (DER, BER or PEM).
func File(path string, opt Options) (*FileReport, error) {
	ctx := opt.ctx()
	if ctx.Err() != nil {
		return nil, ErrCancelled
	}
	if egov.IsKousei(path) {
		var rep *FileReport
		var err error
		if gerr := guard(func() { rep, err = verifyEgov(path, opt) }); gerr != nil {
			return nil, cancelled(ctx, gerr)
		}
		if err = cancelled(ctx, err); err != nil {
			return nil, err
		}
		return rep, nil
	}
	osf, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer osf.Close()
	// Writes to the file from here on are noticed (see the end).
	w := fwatch.New(path, osf)
	defer w.Close()
	f := ctxReader{ctx, osf}
	st, err := osf.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file", ErrUnreadable)
	}
	rep := &FileReport{File: path, Size: st.Size(), Signatures: []SigReport{}, Errors: []Note{}}
	head := make([]byte, 1024)
	n, _ := f.ReadAt(head, 0)
	head = head[:n]
	if err := guard(func() {
		if bytes.Contains(head, []byte("%PDF-")) || strings.EqualFold(filepath.Ext(path), ".pdf") {
			rep.Kind = "pdf"
			// One SHA-256 pass gives the file's own digest (for the report
			// and the history) and every signature's range digest; it runs
			// while the structure is read.
			sums := pdfv.NewSums(f, st.Size())
			verifyPDF(rep, sums, st.Size(), opt)
			if d, err := sums.File(); err == nil {
				rep.SHA256 = hex.EncodeToString(d)
			}
		} else {
			// The file's own digest, hashed while the signature is checked.
			sum := make(chan string, 1)
			go func() {
				h := sha256.New()
				if _, err := io.Copy(h, io.NewSectionReader(f, 0, st.Size())); err != nil {
					sum <- ""
					return
				}
				sum <- hex.EncodeToString(h.Sum(nil))
			}()
			rep.Kind = "cms"
			verifyCMS(rep, f, st.Size(), path, opt)
			rep.SHA256 = <-sum
		}
	}); err != nil {
		return nil, cancelled(ctx, err)
	}
	if ctx.Err() != nil {
		return nil, ErrCancelled
	}
	// The pieces of the report were read at different times (the
	// structure, the signature, the one pass): a file written to
	// meanwhile gets no verdict, whatever its bytes now are.
	if afterRead != nil {
		afterRead(path)
	}
	if w.Changed(osf) {
		return nil, ErrChanged
	}
	rep.Indication = overall(rep)
	rep.defuse()
	return rep, nil
}

func overall(r *FileReport) string {
	if len(r.Signatures) == 0 {
		if len(r.Errors) == 0 {
			r.Errors = append(r.Errors, newNote(finding.NoSignature))
		}
		return Failed
	}
	worst := Passed
	for _, s := range r.Signatures {
		switch s.Indication {
		case Failed:
			return Failed
		case Indeterminate:
			worst = Indeterminate
		}
	}
	return worst
}

func verifyPDF(rep *FileReport, f io.ReaderAt, size int64, opt Options) {
	sigs, err := pdfv.Check(f, size)
	if err != nil {
		rep.Errors = append(rep.Errors, noteOf(finding.Of(err, finding.PDFUnreadable)))
		rep.Touki = toukiLine(touki.Result{Reasons: []touki.Reason{touki.Unreadable}})
		return
	}
	if changesHook != nil {
		for _, s := range sigs {
			changesHook(s)
		}
	}
	renderings := compareRenderings(f, size, sigs, opt)
	rep.Touki = toukiLine(touki.FromSignatures(sigs))
	for i, s := range sigs {
		r := SigReport{
			Index:           i + 1,
			Type:            "signature",
			Format:          s.SubFilter,
			Object:          s.Object,
			Intact:          s.Intact,
			CoversWholeFile: s.Whole,
			SignedBytes:     s.SignedEnd,
			ChangesAfter:    s.Changes.Verdict,
			DocMDP:          s.Changes.DocMDP,
			Changes:         []ChangeItem{},
			Errors:          notesOf(s.Problems),
			Warnings:        []Note{},
			Rendering:       renderings[i],
		}
		if s.Timestamp {
			r.Type = "document_timestamp"
		}
		if r.ChangesAfter == "" {
			r.ChangesAfter = pdfv.ChangesUnknown
		}
		said := map[string]bool{}
		for _, c := range s.Changes.List {
			it := changeItem(c)
			if k := it.Text.EN + "|" + fmt.Sprint(it.Allowed); !said[k] {
				said[k] = true // one line per thing said (a field's value and appearance)
				r.Changes = append(r.Changes, it)
			}
		}
		if s.Name != "" || s.Reason != "" || s.Location != "" || s.ContactInfo != "" {
			r.Claims = &Claims{Name: s.Name, Reason: s.Reason, Location: s.Location, ContactInfo: s.ContactInfo}
		}
		if s.M != nil {
			r.SigningTime = &Claimed{Time: *s.M, Source: "/M"}
		}
		e := evaluation{opt: opt, r: &r, cms: s.CMS, res: s.Signer}
		e.format = !s.RangeOK || s.CMS == nil
		if s.Timestamp {
			e.documentTimestamp()
		} else {
			e.signature()
		}
		rep.Signatures = append(rep.Signatures, r)
	}
}

// maxPEM bounds a PEM-armoured CMS signature, read whole to decode it.
// DER and BER signatures are read from the file (cmsv.ParseFile): only
// their structure, up to cmsv.MaxStructure, is held in memory, and an
// embedded content is hashed from the file.
const maxPEM = 64 << 20

// readCMS reads a CMS signature (DER, BER or PEM) from f; emb is its
// embedded content, nil for a detached signature.
func readCMS(f io.ReaderAt, size int64) (signed *cmsv.Signed, emb *cmsv.Embedded, note *Note) {
	head := make([]byte, 1024)
	n, _ := f.ReadAt(head, 0)
	if !bytes.Contains(head[:n], []byte("-----BEGIN")) {
		signed, emb, err := cmsv.ParseFile(f, size)
		switch {
		case errors.Is(err, cmsv.ErrStructureTooLarge):
			x := newNote(finding.CMSTooLarge, cmsv.MaxStructure>>20)
			return nil, nil, &x
		case err != nil:
			x := noteOf(finding.Of(err, finding.NotSigned))
			return nil, nil, &x
		}
		return signed, emb, nil
	}
	if size > maxPEM {
		x := newNote(finding.CMSTooLarge, maxPEM>>20)
		return nil, nil, &x
	}
	raw, err := io.ReadAll(io.NewSectionReader(f, 0, size))
	if err != nil {
		x := noteOf(finding.Of(err, finding.FileReadError))
		return nil, nil, &x
	}
	if b, _ := pem.Decode(raw); b != nil {
		raw = b.Bytes
	}
	signed, err = cmsv.Parse(raw)
	if err != nil {
		x := noteOf(finding.Of(err, finding.NotSigned))
		return nil, nil, &x
	}
	if signed.EContent != nil {
		emb = cmsv.EmbeddedBytes(signed.EContent)
	}
	return signed, emb, nil
}

func verifyCMS(rep *FileReport, f io.ReaderAt, size int64, path string, opt Options) {
	signed, emb, bad := readCMS(f, size)
	if bad != nil {
		rep.Errors = append(rep.Errors, *bad)
		return
	}
	var content cmsv.ContentHash
	format := "cms-enveloping"
	data := opt.Data
	if data == "" {
		for _, ext := range []string{".p7s", ".sig", ".p7m"} {
			if strings.EqualFold(filepath.Ext(path), ext) {
				if _, err := os.Stat(strings.TrimSuffix(path, filepath.Ext(path))); err == nil {
					data = strings.TrimSuffix(path, filepath.Ext(path))
				}
			}
		}
	}
	// What was signed, said plainly: for an enveloping signature, the bytes
	// inside it. A file the user named (--data), or that sits next to the
	// signature under its name, is compared with them and never taken for
	// them: a mismatch fails (the file named is not what was signed).
	var mismatch *Note
	if emb != nil {
		content = emb.ContentHash()
		sum, err := content(crypto.SHA256)
		if err != nil {
			rep.Errors = append(rep.Errors, noteOf(finding.Of(err, finding.FileReadError)))
			return
		}
		rep.SignedContent = &SignedContent{Embedded: true, Size: emb.Size, SHA256: hex.EncodeToString(sum)}
		if data != "" {
			rep.Data = data
			d, err := fileHash(opt.ctx(), data)(crypto.SHA256)
			switch {
			case err != nil:
				n := noteOf(finding.New(finding.DataNoFile, filepath.Base(data)).With(err.Error()))
				mismatch = &n
			case !bytes.Equal(d, sum):
				n := newNote(finding.DataMismatch, filepath.Base(data), rep.SignedContent.SHA256, rep.SignedContent.Size)
				mismatch = &n
			default:
				rep.SignedContent.SameAsData = true
			}
		}
	}
	if emb == nil {
		format = "cms-detached"
		if data == "" {
			rep.Errors = append(rep.Errors, newNote(finding.DetachedNoData))
		} else {
			rep.Data = data
			content = fileHash(opt.ctx(), data)
		}
	}
	for i := 0; i < signed.Signers(); i++ {
		r := SigReport{Index: i + 1, Type: "signature", Format: format, Changes: []ChangeItem{}, Errors: []Note{}, Warnings: []Note{}, ChangesAfter: pdfv.ChangesNone,
			Revocation: Revocation{Status: trust.RevNotChecked}}
		var res cmsv.Result
		if content == nil {
			res.Err = finding.New(finding.DataNeeded)
		} else {
			res = signed.Verify(i, content)
		}
		r.Intact = res.Intact()
		r.CoversWholeFile = r.Intact
		if res.Err != nil {
			r.Errors = append(r.Errors, noteOf(finding.Of(res.Err, finding.CMSUnreadable)))
		}
		if res.SigningTime != nil {
			r.SigningTime = &Claimed{Time: *res.SigningTime, Source: "signingTime"}
		}
		e := evaluation{opt: opt, r: &r, cms: signed, res: res}
		if content == nil {
			e.set(Indeterminate, SignedDataNotFound)
		} else {
			e.signature()
		}
		switch {
		case mismatch != nil:
			r.Errors = append(r.Errors, *mismatch)
			e.set(Failed, HashFailure)
			r.Sentence = Text{JA: i18n.T(i18n.JA, "verify.cms.data_mismatch", filepath.Base(data)), EN: i18n.T(i18n.EN, "verify.cms.data_mismatch", filepath.Base(data))}
		case rep.SignedContent != nil:
			key := "verify.cms.embedded"
			if rep.SignedContent.SameAsData {
				key = "verify.cms.embedded_same"
			}
			r.Sentence.JA += i18n.T(i18n.JA, key, rep.SignedContent.Size, filepath.Base(data))
			r.Sentence.EN += " " + i18n.T(i18n.EN, key, rep.SignedContent.Size, filepath.Base(data))
		}
		rep.Signatures = append(rep.Signatures, r)
	}
}

// fileHash hashes a detached content file once per algorithm.
func fileHash(ctx context.Context, path string) cmsv.ContentHash {
	cache := map[crypto.Hash][]byte{}
	return func(h crypto.Hash) ([]byte, error) {
		if d, ok := cache[h]; ok {
			return d, nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("the signed data: %w", err)
		}
		defer f.Close()
		hh := h.New()
		if _, err := io.Copy(hh, ctxStream{ctx, f}); err != nil {
			return nil, fmt.Errorf("the signed data: %w", err)
		}
		cache[h] = hh.Sum(nil)
		return cache[h], nil
	}
}

func anchorOf(a *trust.Anchor) *Anchor {
	if a == nil {
		return nil
	}
	return &Anchor{Name: a.Name, Source: a.Source, Test: a.Test, SHA256: a.SHA256}
}

func signerOf(c *x509.Certificate, ch trust.Chain) *Signer {
	if c == nil {
		return nil
	}
	j := trust.Describe(c, ch)
	name := j.Holder
	if name == "" {
		name = c.Subject.CommonName
	}
	if name == "" {
		name = c.Subject.String()
	}
	return &Signer{Name: name, Subject: c.Subject.String(), Issuer: c.Issuer.String(), NotBefore: c.NotBefore, NotAfter: c.NotAfter, JPKI: j}
}

// ExtractRevision writes the exact bytes signature n (1-based, as in the
// report) covers, an earlier revision of the PDF, to out (atomically, never
// over an existing file). It refuses a signature whose ByteRange is not
// sane: then what was signed is not a revision.
func ExtractRevision(path string, n int, out string) (int64, error) {
	return ExtractRevisionContext(context.Background(), path, n, out)
}

// ExtractRevisionContext is ExtractRevision that ctx can stop: then
// nothing is written (ErrCancelled).
func ExtractRevisionContext(ctx context.Context, path string, n int, out string) (int64, error) {
	osf, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer osf.Close()
	f := ctxReader{ctx, osf}
	st, err := osf.Stat()
	if err != nil {
		return 0, err
	}
	sigs, err := checkPDF(f, st.Size())
	if err != nil {
		return 0, cancelled(ctx, err)
	}
	if n < 1 || n > len(sigs) {
		return 0, fmt.Errorf("%w: the file has %d signatures", ErrNoSuchSignature, len(sigs))
	}
	s := sigs[n-1]
	if !s.RangeOK {
		return 0, ErrNotARevision
	}
	if _, err := os.Lstat(out); err == nil {
		return 0, fmt.Errorf("%w: %s", os.ErrExist, out)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".shomei-extract-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, io.NewSectionReader(f, 0, s.SignedEnd)); err != nil {
		tmp.Close()
		return 0, cancelled(ctx, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	if ctx.Err() != nil {
		return 0, ErrCancelled
	}
	// Link, not rename: an output that appeared meanwhile is not replaced.
	if err := os.Link(tmp.Name(), out); err != nil {
		return 0, err
	}
	return s.SignedEnd, nil
}

// Errors of ExtractRevision.
var (
	ErrNoSuchSignature = errors.New("no such signature")
	ErrNotARevision    = errors.New("the signature's byte range is not sane: what it covers is not a revision of the file")
)
