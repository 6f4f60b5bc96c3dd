// Package application signs the data a municipal e-application system hands
// over (seed 002: the citizen's signature over application data goes back,
// with the signing certificate, to the service that asked for it): a JSON
// or XML document, any other file, or a set of files.
//
// The response is one file, an enveloping CMS SignedData (.p7m) signed with
// the card's signing certificate, whose content is a manifest in RFC 8785
// canonical JSON:
//
//	{"files":[{"media_type":"application/json","name":"申請/form.json",
//	           "sha256":"…","size":1234}, …],
//	 "format":"shomei-application-response/1","signed_at":"2025-04-01T01:02:03Z"}
//
// Files are listed by name (a file's base name; for a folder, the folder's
// name, a slash and the path inside it) in byte order of their UTF-8 names.
// The system checks the response with any CMS verifier (openssl cms
// -verify outputs the manifest) and then compares each file it handed over
// with the manifest's SHA-256 (sha256sum). Nothing of the person's data is
// in the manifest beyond names and hashes: the data itself stays with the
// system that already has it.
package application

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/shomei-app/shomei/backend/safetext"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/canonjson"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/internal/errs"
)

// Format is the manifest's format identifier.
const Format = "shomei-application-response/1"

// Limits.
const (
	MaxFiles   = 10000
	MaxPreview = 10 << 20 // JSON/XML files larger than this are checked and hashed but not summarised
)

// Entry is one file in the manifest.
type Entry struct {
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	MediaType string `json:"media_type"`
}

// Manifest is the signed content.
type Manifest struct {
	Format   string  `json:"format"`
	SignedAt string  `json:"signed_at"`
	Files    []Entry `json:"files"`
}

// File is one input: its manifest entry, where it is, and what a person is
// shown of it.
type File struct {
	Entry
	Path    string  `json:"path"`
	Preview []Field `json:"preview,omitempty"`
	More    bool    `json:"preview_more,omitempty"` // the document has more values than Preview shows
}

// Field is one value of a JSON or XML document, by its path.
type Field struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// Application is the set of files to sign.
type Application struct {
	Files []File `json:"files"`
}

// Errors of collecting.
var (
	ErrEmpty    = errors.New("application: no files")
	ErrTooMany  = fmt.Errorf("application: more than %d files", MaxFiles)
	ErrSymlink  = errors.New("application: symbolic links are not signed")
	ErrSpecial  = errors.New("application: only regular files are signed")
	ErrSameName = errors.New("application: two files with the same name")
	ErrJSON     = errors.New("application: not well-formed JSON")
	ErrXML      = errors.New("application: not well-formed XML")
	ErrChanged  = errors.New("application: a file changed after it was shown")
)

// Reason names the collecting error err as a stable code ("empty",
// "too_many", "symlink", "special", "same_name", "json", "xml", "changed",
// "missing", or "read" for any other), for messages and error codes.
func Reason(err error) string {
	for _, r := range []struct {
		err  error
		code string
	}{{ErrEmpty, "empty"}, {ErrTooMany, "too_many"}, {ErrSymlink, "symlink"}, {ErrSpecial, "special"},
		{ErrSameName, "same_name"}, {ErrJSON, "json"}, {ErrXML, "xml"}, {ErrChanged, "changed"}, {fs.ErrNotExist, "missing"}} {
		if errors.Is(err, r.err) {
			return r.code
		}
	}
	return "read"
}

// Code is the collecting error err's code in the one vocabulary:
// application_ and its Reason.
func Code(err error) errs.Code { return errs.Code("application_" + Reason(err)) }

// Message is the person's sentence, in lang, for a collecting error err.
// When err is about one file it begins with that file as shown(path) gives
// it: the CLI shows the path it was given, the UI service the file name only
// (in a browser any folder is the server's work folder). Said here once so
// that every shell words it the same.
func Message(lang i18n.Lang, err error, shown func(path string) string) string {
	msg := i18n.T(lang, "app.err."+Reason(err))
	var pe *PathError
	if errors.As(err, &pe) {
		msg = shown(pe.Path) + ": " + msg
	}
	return msg
}

// PathError says which file a collecting error is about.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// Errs places the error in the one vocabulary: application_ and its Reason.
func (e *PathError) Errs() *errs.Error {
	return errs.Wrap(e, Code(e.Err))
}

// maxFields is how many values of one document the summary shows.
const maxFields = 40

// Collect reads the inputs: files, or folders whose regular files are all
// taken. Every file is hashed; JSON and XML files must be well formed and
// get a preview of their values.
func Collect(inputs []string) (*Application, error) {
	a := &Application{}
	names := map[string]bool{}
	add := func(p, name string) error {
		if len(a.Files) >= MaxFiles {
			return ErrTooMany
		}
		if names[name] {
			return &PathError{p, ErrSameName}
		}
		names[name] = true
		f, err := readFile(p, name)
		if err != nil {
			return &PathError{p, err}
		}
		a.Files = append(a.Files, *f)
		return nil
	}
	for _, in := range inputs {
		st, err := os.Lstat(in)
		if err != nil {
			return nil, &PathError{in, err}
		}
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			return nil, &PathError{in, ErrSymlink}
		case st.Mode().IsRegular():
			if err := add(in, filepath.Base(in)); err != nil {
				return nil, err
			}
		case st.IsDir():
			base := filepath.Base(filepath.Clean(in))
			err := filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				switch {
				case d.IsDir():
					return nil
				case d.Type()&fs.ModeSymlink != 0:
					return &PathError{p, ErrSymlink}
				case !d.Type().IsRegular():
					return &PathError{p, ErrSpecial}
				}
				rel, err := filepath.Rel(in, p)
				if err != nil {
					return err
				}
				return add(p, path.Join(base, filepath.ToSlash(rel)))
			})
			if err != nil {
				return nil, err
			}
		default:
			return nil, &PathError{in, ErrSpecial}
		}
	}
	if len(a.Files) == 0 {
		return nil, ErrEmpty
	}
	sort.Slice(a.Files, func(i, j int) bool { return a.Files[i].Name < a.Files[j].Name })
	return a, nil
}

// mediaTypes by extension: a fixed table, so the manifest does not depend
// on the machine's MIME database.
var mediaTypes = map[string]string{
	".json": "application/json",
	".xml":  "application/xml",
	".pdf":  "application/pdf",
	".txt":  "text/plain",
	".csv":  "text/csv",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
}

func mediaType(name string) string {
	if t, ok := mediaTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	d, n, err := cms.Digest(f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(d), n, nil
}

func readFile(p, name string) (*File, error) {
	sum, n, err := hashFile(p)
	if err != nil {
		return nil, err
	}
	f := &File{Entry: Entry{Name: name, Size: n, SHA256: sum, MediaType: mediaType(name)}, Path: p}
	if f.MediaType != "application/json" && f.MediaType != "application/xml" {
		return f, nil
	}
	var data []byte
	if n <= MaxPreview {
		if data, err = os.ReadFile(p); err != nil {
			return nil, err
		}
	} else {
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		r := io.Reader(fh)
		if f.MediaType == "application/json" {
			if err := jsonFields(r, nil); err != nil {
				return nil, err
			}
		} else if err := xmlFields(r, nil); err != nil {
			return nil, err
		}
		return f, nil
	}
	// The preview stops at maxFields values; whether there are more is all
	// it says after that.
	keep := func(fl Field) bool {
		if len(f.Preview) < maxFields {
			f.Preview = append(f.Preview, fl)
			return true
		}
		f.More = true
		return false
	}
	if f.MediaType == "application/json" {
		if !json.Valid(data) { // fast check of the whole file; the preview walk may stop early
			return nil, ErrJSON
		}
		err = jsonFields(bytes.NewReader(data), keep)
	} else {
		err = xmlFields(bytes.NewReader(data), keep)
	}
	if err != nil && err != errEnough {
		return nil, err
	}
	return f, nil
}

// maxNesting bounds the depth of a JSON or XML document: each level costs
// a path (a.b[0].c, a/b) built from the levels above it, so a deeply
// nested file would cost the square of its size (1.8 MB of brackets took
// 6 GB).
const maxNesting = 256

// errEnough stops a preview walk that has all the values it shows.
var errEnough = errors.New("enough values")

// jsonFields checks that r holds one JSON value and reports its scalar
// values by path (a.b[0].c), in document order, until keep says stop
// (errEnough).
func jsonFields(r io.Reader, keep func(Field) bool) error {
	d := json.NewDecoder(r)
	d.UseNumber()
	var walk func(p string, depth int) error
	walk = func(p string, depth int) error {
		if depth > maxNesting {
			return ErrJSON
		}
		t, err := d.Token()
		if err != nil {
			return ErrJSON
		}
		switch t := t.(type) {
		case json.Delim:
			switch t {
			case '{':
				for d.More() {
					k, err := d.Token()
					if err != nil {
						return ErrJSON
					}
					child := k.(string)
					if p != "" {
						child = p + "." + child
					}
					if err := walk(child, depth+1); err != nil {
						return err
					}
				}
			case '[':
				for i := 0; d.More(); i++ {
					if err := walk(fmt.Sprintf("%s[%d]", p, i), depth+1); err != nil {
						return err
					}
				}
			}
			if _, err := d.Token(); err != nil {
				return ErrJSON
			}
		default:
			if keep != nil && !keep(Field{Path: p, Value: fmt.Sprint(t)}) {
				return errEnough
			}
		}
		return nil
	}
	if err := walk("", 0); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return ErrJSON
	}
	return nil
}

// xmlFields checks that r holds one well-formed XML document (all of it)
// and reports attribute values and element text by path (a/b/@c, a/b), in
// order, while keep wants them.
func xmlFields(r io.Reader, keep func(Field) bool) error {
	d := xml.NewDecoder(r)
	var stack []string
	var text strings.Builder
	roots := 0
	for {
		t, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ErrXML
		}
		switch t := t.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				roots++
			}
			stack = append(stack, t.Name.Local)
			if len(stack) > maxNesting {
				return ErrXML
			}
			text.Reset()
			for _, a := range t.Attr {
				if keep != nil && a.Name.Space != "xmlns" && a.Name.Local != "xmlns" && !keep(Field{Path: strings.Join(stack, "/") + "/@" + a.Name.Local, Value: a.Value}) {
					keep = nil
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if s := strings.TrimSpace(text.String()); s != "" && keep != nil && !keep(Field{Path: strings.Join(stack, "/"), Value: s}) {
				keep = nil
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		}
	}
	if roots != 1 {
		return ErrXML
	}
	return nil
}

// Shown makes a value safe and short for a screen: control and
// direction-override characters become visible escapes, and more than 80
// characters are cut.
func Shown(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == 80 {
			b.WriteString("…")
			break
		}
		b.WriteString(safetext.Show(string(r)))
		n++
	}
	return b.String()
}

// Signer is the card's signing key with its certificate (jpki.Signer).
type Signer interface {
	crypto.Signer
	Certificate() *x509.Certificate
}

// Response is a signed response.
type Response struct {
	File     []byte // the .p7m
	Manifest []byte // the signed manifest bytes
	SHA256   string // of File
}

// ManifestBytes returns the canonical manifest for a at time at.
func (a *Application) ManifestBytes(at time.Time) ([]byte, error) {
	m := Manifest{Format: Format, SignedAt: at.UTC().Truncate(time.Second).Format(time.RFC3339), Files: make([]Entry, len(a.Files))}
	for i, f := range a.Files {
		m.Files[i] = f.Entry
	}
	return canonjson.Marshal(m)
}

// Sign hashes every file again (a file changed since it was shown is
// refused before the card is used), then signs the manifest: one card
// operation.
func Sign(g Signer, a *Application, at time.Time) (*Response, error) {
	for _, f := range a.Files {
		sum, n, err := hashFile(f.Path)
		if err != nil {
			return nil, &PathError{f.Path, err}
		}
		if sum != f.SHA256 || n != f.Size {
			return nil, &PathError{f.Path, ErrChanged}
		}
	}
	content, err := a.ManifestBytes(at)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(content)
	sig, err := cms.SignDigest(cms.Request{Signer: g, Cert: g.Certificate(), SigningTime: &at}, digest[:])
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := sig.WriteEnveloping(&b, bytes.NewReader(content), int64(len(content))); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b.Bytes())
	return &Response{File: b.Bytes(), Manifest: content, SHA256: hex.EncodeToString(sum[:])}, nil
}

// Check is what the receiving system does: the response's signature holds
// (integrity; trusting the certificate is the caller's business), its
// content is a manifest, and every file named there, opened through open,
// has the listed size and SHA-256. It returns the manifest and the signer's
// certificate.
func Check(response []byte, open func(name string) (io.ReadCloser, error)) (*Manifest, *x509.Certificate, error) {
	s, err := cmsv.Parse(response)
	if err != nil {
		return nil, nil, fmt.Errorf("response: %w", err)
	}
	if s.EContent == nil || s.Signers() != 1 {
		return nil, nil, errors.New("response: not an enveloping signature with one signer")
	}
	r := s.Verify(0, nil)
	if !r.Intact() {
		return nil, nil, errors.New("response: the signature does not hold")
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(s.EContent))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || m.Format != Format {
		return nil, nil, errors.New("response: the content is not an application manifest")
	}
	for _, e := range m.Files {
		f, err := open(e.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("response: %s: %w", e.Name, err)
		}
		d, n, err := cms.Digest(f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("response: %s: %w", e.Name, err)
		}
		if hex.EncodeToString(d) != e.SHA256 || n != e.Size {
			return nil, nil, fmt.Errorf("response: %s differs from what was signed", e.Name)
		}
	}
	return &m, r.Cert, nil
}

// Lines is the readable summary a person sees before signing: the number
// of files, then each file with its size and the start of its SHA-256, and
// for JSON and XML documents their values by path.
func (a *Application) Lines(lang i18n.Lang) []string {
	out := []string{i18n.T(lang, "app.count", len(a.Files))}
	for _, f := range a.Files {
		out = append(out, i18n.T(lang, "app.file", Shown(f.Name), f.Size, f.SHA256[:16]))
		for _, fl := range f.Preview {
			p := fl.Path
			if p == "" {
				p = "(value)"
			}
			out = append(out, "    "+Shown(p)+": "+Shown(fl.Value))
		}
		switch {
		case f.More:
			out = append(out, "    "+i18n.T(lang, "app.more"))
		case f.Preview == nil && (f.MediaType == "application/json" || f.MediaType == "application/xml") && f.Size > MaxPreview:
			out = append(out, "    "+i18n.T(lang, "app.nopreview"))
		}
	}
	return out
}
