// Package egov signs and verifies e-Gov 電子申請 packages: a folder with
// the 構成管理 file kousei.xml and the application files it names. The
// signature is a plain W3C XML Signature (not XAdES, not CMS) inside
// <署名情報>, right after <構成情報 ID="構成情報">: C14N 1.0, RSA-SHA256, one
// Reference to #構成情報 (percent-encoded) with a C14N 1.0 transform, one
// Reference per application file by its name over the raw bytes, and the
// certificate in KeyInfo/X509Data. Sources: kufu/kiji (lib/kiji/signer.rb,
// zipper.rb) and e-Gov's developer pages.
//
// XML is read with beevik/etree (encoding/xml underneath), bounded, with
// no DTD; canonicalized with goxmldsig's C14N 1.0 within the profile
// checkAttr keeps (see xml.go). goxmldsig's own signing and validation are
// not used: they take one enveloped Reference and resolve IDs without
// percent-decoding, while e-Gov needs several References, one of them a
// percent-encoded Japanese fragment, and file References.
package egov

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/safetext"
	"github.com/shomei-app/shomei/internal/errs"
)

// KouseiName is the 構成管理 file's name.
const KouseiName = "kousei.xml"

// Algorithm identifiers.
const (
	NSDSig     = "http://www.w3.org/2000/09/xmldsig#"
	AlgC14N    = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	AlgRSA256  = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgSHA256  = "http://www.w3.org/2001/04/xmlenc#sha256"
	maxFiles   = 200
	maxFile    = 256 << 20
	maxFields  = 60
	maxValue   = 120
	maxNameLen = 255
)

// Errors a caller shows: codes of internal/errs, sentences in backend/i18n.
var (
	ErrNoKousei      = errs.New(errs.EgovNoKousei)
	ErrFileName      = errs.New(errs.EgovFileName)
	ErrMissingFile   = errs.New(errs.EgovMissing)
	ErrNoFiles       = errs.New(errs.EgovNoFiles)
	ErrAlreadySigned = errs.New(errs.EgovSigned)
	ErrChanged       = errs.New(errs.EgovChanged)
	ErrExists        = errs.New(errs.EgovExists)
	ErrInPlace       = errs.New(errs.EgovInPlace)
)

// File is one application file named in kousei.xml.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Field is one value shown before signing: an element's name and its text.
type Field struct {
	Source string `json:"source"` // kousei.xml or the form's file name
	Name   string `json:"name"`
	Value  string `json:"value"`
}

// Package is an e-Gov folder read for signing.
type Package struct {
	Dir    string   `json:"dir"`
	Files  []File   `json:"files"`
	Fields []Field  `json:"fields"`
	Extra  []string `json:"extra"` // files in the folder kousei.xml does not name: not signed, not copied
	doc    *doc
}

// Load reads DIR/kousei.xml and the files it names; nothing is written.
func Load(dir string) (*Package, error) {
	raw, err := readSmall(filepath.Join(dir, KouseiName), MaxXML)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKousei
	}
	if err != nil {
		return nil, err
	}
	d, err := readXML(raw, true)
	if err != nil {
		return nil, err
	}
	if d.sigInfoHasElements || len(d.tree.FindElements("//Signature")) > 0 {
		return nil, ErrAlreadySigned
	}
	p := &Package{Dir: dir, doc: d, Files: []File{}, Fields: []Field{}, Extra: []string{}}
	names, err := fileNames(d.target)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, ErrNoFiles
	}
	for _, n := range names {
		f, err := hashFile(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("%w: %s", ErrMissingFile, n)
		}
		f.Name = n
		p.Files = append(p.Files, f)
	}
	p.Fields = fields(KouseiName, d.target, nil)
	// The form's own values: the first XML file named as the 申請書.
	for _, e := range d.target.FindElements(".//申請書ファイル名称") {
		n := strings.TrimSpace(e.Text())
		if !strings.EqualFold(filepath.Ext(n), ".xml") {
			continue
		}
		if raw, err := readSmall(filepath.Join(dir, n), MaxXML); err == nil {
			if fd, err := readXML(raw, false); err == nil {
				p.Fields = fields(n, fd.tree.Root(), p.Fields)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != KouseiName && !slices.Contains(names, e.Name()) {
			p.Extra = append(p.Extra, e.Name())
		}
	}
	return p, nil
}

// fileNames lists the application files kousei.xml names: the text of
// every element under 構成情報 whose name ends in ファイル名称 (申請書,
// 添付書類, 委任登録票…), each once, each a plain name in the folder.
func fileNames(target *etree.Element) ([]string, error) {
	var names []string
	var walk func(e *etree.Element)
	var bad error
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			if strings.HasSuffix(c.Tag, "ファイル名称") {
				if n := strings.TrimSpace(c.Text()); n != "" && !slices.Contains(names, n) {
					if !plainName(n) {
						bad = fmt.Errorf("%w: %q", ErrFileName, Printable(n))
					}
					names = append(names, n)
				}
			}
			walk(c)
		}
	}
	walk(target)
	if bad != nil {
		return nil, bad
	}
	if len(names) > maxFiles {
		return nil, fmt.Errorf("%w: more than %d files", ErrFileName, maxFiles)
	}
	return names, nil
}

// plainName accepts a file name in the folder itself: no separator, no
// dot names, no control characters, not kousei.xml.
func plainName(n string) bool {
	if n == "." || n == ".." || len(n) > maxNameLen || !utf8.ValidString(n) || strings.EqualFold(n, KouseiName) {
		return false
	}
	for _, r := range n {
		if r == '/' || r == '\\' || r == ':' || safetext.Unsafe(r) {
			return false
		}
	}
	return true
}

// Printable makes a value from a document safe to show (backend/safetext:
// control and reordering characters as visible escapes; tabs and line
// breaks of a form's value as spaces) and cuts a long one.
func Printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxValue {
		s = string([]rune(s)[:maxValue]) + "…"
	}
	return safetext.Show(s)
}

// fields lists the leaves with text under e, in document order.
func fields(source string, e *etree.Element, out []Field) []Field {
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		kids := e.ChildElements()
		if len(kids) == 0 {
			if v := strings.TrimSpace(e.Text()); v != "" && len(out) < maxFields {
				out = append(out, Field{Source: source, Name: Printable(e.Tag), Value: Printable(v)})
			}
			return
		}
		for _, c := range kids {
			walk(c)
		}
	}
	walk(e)
	return out
}

func readSmall(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > limit {
		return nil, ErrTooLarge
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

func hashFile(path string) (File, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return File{}, err
	}
	if !st.Mode().IsRegular() {
		return File{}, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > maxFile {
		return File{}, fmt.Errorf("%s: larger than %d MB", path, maxFile>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, err
	}
	return File{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Signer is a card key with its certificate (jpki.Signer is one).
type Signer interface {
	crypto.Signer
	Certificate() *x509.Certificate
}

// fragment is the Reference URI of the 構成情報 element: '#' and the ID
// percent-encoded as UTF-8 (what e-Gov's own samples write).
func fragment() string {
	return "#" + strings.ToUpper(url.PathEscape(TargetID))
}

// SignOptions change a signature's form; the zero value is e-Gov's.
type SignOptions struct {
	// PlainFragment writes the Reference to 構成情報 as "#構成情報",
	// unencoded: for checkers that cannot resolve the percent-encoded form
	// (xmlsec1). e-Gov's own form is percent-encoded.
	PlainFragment bool
	Now           func() time.Time
}

// Sign signs the package: one card operation over SignedInfo. It returns
// the signed kousei.xml; the files are not read again (Write copies them
// and checks they did not change).
func (p *Package) Sign(g Signer, o SignOptions) ([]byte, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	d := p.doc
	c14n, err := Canonical(d.target)
	if err != nil {
		return nil, err
	}
	td := sha256.Sum256(c14n)
	uri := fragment()
	if o.PlainFragment {
		uri = "#" + TargetID
	}
	const placeholder = "SHOMEI-SIGNATURE-VALUE"
	var b strings.Builder
	fmt.Fprintf(&b, `<Signature xmlns="%s" Id="Shomei-%s">`, NSDSig, o.Now().UTC().Format("20060102150405"))
	fmt.Fprintf(&b, `<SignedInfo><CanonicalizationMethod Algorithm="%s"></CanonicalizationMethod><SignatureMethod Algorithm="%s"></SignatureMethod>`, AlgC14N, AlgRSA256)
	fmt.Fprintf(&b, `<Reference URI="%s"><Transforms><Transform Algorithm="%s"></Transform></Transforms><DigestMethod Algorithm="%s"></DigestMethod><DigestValue>%s</DigestValue></Reference>`,
		escapeAttr(uri), AlgC14N, AlgSHA256, base64.StdEncoding.EncodeToString(td[:]))
	for _, f := range p.Files {
		sum, _ := hex.DecodeString(f.SHA256)
		fmt.Fprintf(&b, `<Reference URI="%s"><DigestMethod Algorithm="%s"></DigestMethod><DigestValue>%s</DigestValue></Reference>`,
			escapeAttr(fileURI(f.Name)), AlgSHA256, base64.StdEncoding.EncodeToString(sum))
	}
	fmt.Fprintf(&b, `</SignedInfo><SignatureValue>%s</SignatureValue><KeyInfo><X509Data><X509Certificate>%s</X509Certificate></X509Data></KeyInfo></Signature>`,
		placeholder, base64.StdEncoding.EncodeToString(g.Certificate().Raw))
	sigXML := "<署名情報>" + b.String() + "</署名情報>"

	raw := d.raw
	var out []byte
	if d.sigInfoStart >= 0 && !d.sigInfoHasElements {
		out = append(append(append(out, raw[:d.sigInfoStart]...), sigXML...), raw[d.sigInfoEnd:]...)
	} else {
		out = append(append(append(out, raw[:d.targetEnd]...), sigXML...), raw[d.targetEnd:]...)
	}
	// SignedInfo is canonicalized where it sits, with the namespaces in
	// scope there.
	nd, err := readXML(out, true)
	if err != nil {
		return nil, err
	}
	si := nd.tree.FindElement("//署名情報/Signature/SignedInfo")
	if si == nil {
		return nil, errors.New("egov: SignedInfo not found after insertion")
	}
	sic, err := Canonical(si)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(sic)
	value, err := g.Sign(nil, h[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	i := strings.Index(string(out), placeholder)
	if i < 0 || strings.Count(string(out), placeholder) != 1 {
		return nil, errors.New("egov: the signature value's place is not unique")
	}
	signed := append(append(append([]byte{}, out[:i]...), base64.StdEncoding.EncodeToString(value)...), out[i+len(placeholder):]...)
	return signed, nil
}

// fileURI writes a file name as a relative URI reference: ASCII letters,
// digits and the unreserved marks stay, everything else is
// percent-encoded (kiji encodes non-ASCII the same way).
func fileURI(name string) string {
	return strings.ReplaceAll(url.PathEscape(name), "+", "%2B")
}

func escapeAttr(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;")
	return r.Replace(s)
}

// Holder is the name the package will be signed in (for the summary).
func Holder(c *x509.Certificate) string { return jpkicert.HolderName(c) }
