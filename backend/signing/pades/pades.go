// Package pades signs PDFs with PAdES baseline signatures (B-B), approval
// or certification (DocMDP with the catalog /Perms entry), by writing an
// incremental update. The document is never held in memory: its bytes are
// copied and hashed in one streaming pass, the update (a few kilobytes) is
// built in memory with exact offsets, and the card signs once.
package pades

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/digitorus/pdf"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/internal/fwatch"
)

// DocMDP permissions for a certification signature.
type DocMDP int

const (
	Approval    DocMDP = 0 // an ordinary (approval) signature
	NoChanges   DocMDP = 1
	FormFilling DocMDP = 2
	Annotations DocMDP = 3
)

// Options describe the signature.
type Options struct {
	Name, Reason, Location, ContactInfo string
	Time                                time.Time
	Certify                             DocMDP
	// SubFilter is the signature's format: SubFilterPAdES (the default)
	// or SubFilterPKCS7 (Adobe's PKCS#7 detached, what 登記 filing takes).
	SubFilter string
	// Visible, when set, places a stamp on a page; nil signs invisibly.
	Visible *Stamp
	// Timestamp, when set, asks a TSA for a token over the signature value
	// (PAdES B-T); TimestampSpace is the room kept for it in /Contents.
	Timestamp      func(signature []byte) ([]byte, error)
	TimestampSpace int
}

// Stamp is a visible signature's place and look.
type Stamp struct {
	Page       int     // 1-based
	X, Y, W, H float64 // in PDF points, origin bottom left
	// Appearance renders the stamp; it returns the appearance stream's
	// objects (see appearance.go).
	Lines []string
}

// SubFilter values.
const (
	SubFilterPAdES = "ETSI.CAdES.detached"
	SubFilterPKCS7 = "adbe.pkcs7.detached"
)

// Error kinds a user can act on.
var (
	ErrEncrypted  = errors.New("the PDF is encrypted")
	ErrNotPDF     = errors.New("not a readable PDF")
	ErrCertified  = errors.New("the PDF is certified and does not allow more signatures")
	ErrCertifyNow = errors.New("only the first signature of a document can certify it")
	ErrTooLarge   = errors.New("the signature does not fit the space kept for it")
	ErrNoPage     = errors.New("the document has no such page")
)

// Doc is a PDF opened for signing.
type Doc struct {
	f        *os.File
	size     int64
	r        *pdf.Reader
	prevXref int64
	xrefStm  bool
	watch    *fwatch.Watch
}

// Open reads the structure of the PDF at path (not its content).
func Open(path string) (d *Doc, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// Writes from now on are noticed (the structure read below must be
	// the structure of what is copied).
	w := fwatch.New(path, f)
	defer func() {
		if p := recover(); p != nil {
			d, err = nil, fmt.Errorf("%w: %v", ErrNotPDF, p)
		}
		if err != nil {
			w.Close()
			f.Close()
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	r, err := pdf.NewReader(f, st.Size())
	if err != nil {
		if strings.Contains(err.Error(), "encrypt") {
			return nil, fmt.Errorf("%w: %v", ErrEncrypted, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
	}
	if !r.Trailer().Key("Encrypt").IsNull() {
		return nil, ErrEncrypted
	}
	if r.Trailer().Key("Root").Kind() != pdf.Dict {
		return nil, fmt.Errorf("%w: no document catalog", ErrNotPDF)
	}
	return &Doc{f: f, size: st.Size(), r: r, prevXref: r.XrefInformation.StartPos, xrefStm: r.XrefInformation.Type == "stream", watch: w}, nil
}

// Size is the size of the original file.
func (d *Doc) Size() int64 { return d.size }

// Close closes the file.
func (d *Doc) Close() error {
	d.watch.Close()
	return d.f.Close()
}

// unchanged returns ErrChanged when the file was written to since Open.
func (d *Doc) unchanged() error {
	if d.watch.Changed(d.f) {
		return ErrChanged
	}
	return nil
}

// Check refuses, before anything is signed, what Sign would refuse with
// opt: a PDF certified with no changes allowed, certifying a PDF already
// signed, a stamp on a page the PDF does not have.
func (d *Doc) Check(opt Options) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrNotPDF, p)
		}
	}()
	_, signed, certified := d.existing()
	if certified == NoChanges {
		return ErrCertified
	}
	if opt.Certify != Approval && signed > 0 {
		return ErrCertifyNow
	}
	if opt.Visible != nil {
		if n := d.r.NumPage(); opt.Visible.Page < 1 || opt.Visible.Page > n {
			return fmt.Errorf("%w: %d (of %d)", ErrNoPage, opt.Visible.Page, n)
		}
	}
	return nil
}

// existing looks at the signature fields already there.
func (d *Doc) existing() (names map[string]bool, signed int, certified DocMDP) {
	names = map[string]bool{}
	root := d.r.Trailer().Key("Root")
	fields := root.Key("AcroForm").Key("Fields")
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		if depth > 32 {
			return
		}
		if t := v.Key("T"); t.Kind() == pdf.String && depth == 0 {
			names[t.Text()] = true
		}
		if v.Key("FT").Name() == "Sig" && v.Key("V").Kind() == pdf.Dict {
			signed++
		}
		kids := v.Key("Kids")
		for i := 0; i < kids.Len(); i++ {
			walk(kids.Index(i), depth+1)
		}
	}
	for i := 0; i < fields.Len(); i++ {
		walk(fields.Index(i), 0)
	}
	if p := root.Key("Perms").Key("DocMDP"); p.Kind() == pdf.Dict {
		certified = NoChanges // the default when /P is absent
		refs := p.Key("Reference")
		for i := 0; i < refs.Len(); i++ {
			if tp := refs.Index(i).Key("TransformParams"); tp.Key("P").Kind() == pdf.Integer {
				certified = DocMDP(tp.Key("P").Int64())
			}
		}
	}
	return names, signed, certified
}

// contentsSize is the room kept in /Contents for the CMS object, in bytes.
func contentsSize(certLen, tsSpace int) int {
	return 4096 + certLen + tsSpace
}

// prepared is a document's update laid out, waiting for the signature.
type prepared struct {
	u          *update
	contentsAt int // offset of '<' in the update buffer
	contentsN  int // hex digits between < and >
}

// Sign writes the signed PDF to w: the original bytes, streamed and hashed
// in one pass, then the update with the CMS signature from sign. sign is
// called exactly once, with the document digest.
// An empty *os.File with no original writers takes the fast path of
// SignFile.
func (d *Doc) Sign(w io.Writer, opt Options, certLen int, sign func(digest []byte) ([]byte, error), original ...io.Writer) error {
	if f, ok := w.(*os.File); ok && len(original) == 0 {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
			if pos, err := f.Seek(0, io.SeekCurrent); err == nil && pos == 0 {
				_, err := d.SignFile(f, opt, certLen, sign)
				if err == nil {
					_, err = f.Seek(0, io.SeekEnd)
				}
				return err
			}
		}
	}
	p, err := d.prepare(opt, certLen)
	if err != nil {
		return err
	}
	h := sha256.New()
	buf := make([]byte, 1<<20)
	if _, err := d.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// One pass over the original: copied out, hashed for the signature, and
	// hashed for whoever wants the input's digest.
	n, err := io.CopyBuffer(io.MultiWriter(append([]io.Writer{w, h}, original...)...), io.LimitReader(d.f, d.size), buf)
	if err != nil {
		return err
	}
	if n != d.size {
		return fmt.Errorf("the PDF changed size while it was being signed")
	}
	ub := p.u.buf.Bytes()
	h.Write(ub[:p.contentsAt])
	h.Write(ub[p.contentsAt+p.contentsN+2:])
	sig, err := sign(h.Sum(nil))
	if err != nil {
		return err
	}
	if 2*len(sig) > p.contentsN {
		return fmt.Errorf("%w (%d bytes, room for %d)", ErrTooLarge, len(sig), p.contentsN/2)
	}
	hexsig := fmt.Sprintf("%X", sig)
	copy(ub[p.contentsAt+1:], hexsig)
	_, err = w.Write(ub)
	return err
}

// prepare lays out the whole update with a zero-filled /Contents and the
// final /ByteRange.
func (d *Doc) prepare(opt Options, certLen int) (*prepared, error) {
	r := d.r
	trailer := r.Trailer()
	root := trailer.Key("Root")
	rootRef := refOf(root)
	names, signed, certified := d.existing()
	if certified == NoChanges {
		return nil, ErrCertified
	}
	if opt.Certify != Approval && signed > 0 {
		return nil, ErrCertifyNow
	}
	u, err := d.newUpdate(trailer)
	if err != nil {
		return nil, err
	}
	pageNo := 1
	if opt.Visible != nil {
		pageNo = opt.Visible.Page
	}
	if pageNo < 1 || pageNo > r.NumPage() {
		return nil, fmt.Errorf("%w: %d (of %d)", ErrNoPage, pageNo, r.NumPage())
	}
	page := r.Page(pageNo).V
	pageRef := refOf(page)
	if pageRef.id == 0 {
		return nil, fmt.Errorf("%w: page %d is not an indirect object", ErrNotPDF, pageNo)
	}

	sigID := u.alloc()
	fieldID := u.alloc()
	// 1. The signature dictionary, /Contents zero-filled for now.
	sd, err := u.writeSigDict(sigID, opt, certLen)
	if err != nil {
		return nil, err
	}
	// 2. The signature field, merged with its widget annotation.
	fieldRef, err := u.writeField(fieldID, sigID, freeFieldName(names), pageRef, opt.Visible)
	if err != nil {
		return nil, err
	}
	// 3. The page gets the widget in /Annots (or its /Annots array object does).
	if err := u.addToPage(page, pageRef, fieldRef); err != nil {
		return nil, err
	}
	// 4. The form: /Fields gets the field, /SigFlags 3.
	catalogExtra, err := u.addToForm(root, rootRef, fieldRef)
	if err != nil {
		return nil, err
	}
	// 5. The catalog, when it changes: a direct form, or certification.
	if opt.Certify != Approval {
		catalogExtra["Perms"] = fmt.Sprintf("<< /DocMDP %d 0 R >>", sigID)
	}
	if len(catalogExtra) > 0 {
		u.begin(rootRef.id, rootRef.gen)
		if err := writeDict(&u.buf, root, rootRef, 0, catalogExtra); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		u.end()
	}
	// 6. Cross-reference section and trailer, in the form the file uses.
	if err := u.writeXref(trailer, rootRef, d.prevXref, d.xrefStm); err != nil {
		return nil, err
	}

	// ByteRange: everything but the /Contents hex string, delimiters included.
	total := u.base + int64(u.buf.Len())
	start := u.base + int64(sd.contentsAt)
	end := start + int64(sd.contentsN) + 2
	br := fmt.Sprintf("[0 %010d %010d %010d]", start, end, total-end)
	if len(br) != len(byteRangePlaceholder) {
		return nil, errors.New("document too large for the byte range layout")
	}
	copy(u.buf.Bytes()[sd.byteRangeAt:], br)
	return &prepared{u: u, contentsAt: sd.contentsAt, contentsN: sd.contentsN}, nil
}

func num(f float64) string { return fmt.Sprintf("%.2f", f) }

// pdfDate formats t as a PDF date with its zone offset.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("(D:%s%c%02d'%02d')", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// CMSRequest builds the CMS for a PAdES signature: no signingTime (the time
// is /M), SHA-256, the card's certificate.
func CMSRequest(base cms.Request) cms.Request {
	base.SigningTime = nil
	return base
}
