package egov

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/beevik/etree"
)

// Reference is one Reference of a signature and whether its digest holds.
type Reference struct {
	URI     string `json:"uri"`
	Target  string `json:"target"` // the element's ID or the file's name
	Kind    string `json:"kind"`   // element | file
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
}

// SigResult is one <Signature> of kousei.xml.
type SigResult struct {
	Cert        *x509.Certificate   // the certificate whose key verifies SignatureValue (else the first)
	Certs       []*x509.Certificate // every certificate in KeyInfo
	References  []Reference
	DigestOK    bool // every Reference's digest matches
	SignatureOK bool // SignatureValue verifies over C14N(SignedInfo)
	Covered     bool // 構成情報 and every file it names are referenced
	FormatOK    bool // algorithms and structure are the ones e-Gov uses
	Problems    []string
}

// Intact reports integrity: structure, every digest, the signature value,
// and coverage of what a person is shown.
func (s SigResult) Intact() bool { return s.FormatOK && s.DigestOK && s.SignatureOK && s.Covered }

// Result is the verification of a kousei.xml.
type Result struct {
	Path       string      // the kousei.xml read
	Files      []string    // the application files it names
	Signatures []SigResult // in document order
}

// maxSignatures bounds the signatures examined in one file.
const maxSignatures = 16

// IsKousei tells whether path is an e-Gov package (a folder holding
// kousei.xml) or a kousei.xml itself (by its name, or an XML file holding
// a 構成情報 element).
func IsKousei(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	if st.IsDir() {
		_, err := os.Stat(filepath.Join(path, KouseiName))
		return err == nil
	}
	if strings.EqualFold(filepath.Base(path), KouseiName) {
		return true
	}
	if !strings.EqualFold(filepath.Ext(path), ".xml") {
		return false
	}
	head := make([]byte, 64<<10)
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	n, _ := f.Read(head)
	return bytes.Contains(head[:n], []byte("<"+TargetID))
}

// Verify checks every signature of the kousei.xml at path (or in the
// folder path): each Reference (構成情報 through C14N 1.0, the files over
// their raw bytes, read from the same folder), SignatureValue over the
// canonical SignedInfo, and that 構成情報 and every file it names are
// covered. The certificate's chain is for the caller (package verify).
func Verify(path string) (*Result, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, KouseiName)
	}
	raw, err := readSmall(path, MaxXML)
	if err != nil {
		return nil, err
	}
	d, err := readXML(raw, true)
	if err != nil {
		return nil, err
	}
	names, err := fileNames(d.target)
	if err != nil {
		return nil, err
	}
	res := &Result{Path: path, Files: names}
	dir := filepath.Dir(path)
	for _, sig := range signatures(d.tree.Root()) {
		if len(res.Signatures) == maxSignatures {
			break
		}
		res.Signatures = append(res.Signatures, verifyOne(d, sig, dir, names))
	}
	return res, nil
}

// signatures finds <Signature> elements in the XML Signature namespace.
func signatures(root *etree.Element) []*etree.Element {
	var out []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			if c.Tag == "Signature" && c.NamespaceURI() == NSDSig {
				out = append(out, c)
				continue
			}
			walk(c)
		}
	}
	walk(root)
	return out
}

// child returns the only child element named tag in the dsig namespace.
func child(e *etree.Element, tag string) (*etree.Element, error) {
	var found *etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == NSDSig {
			if found != nil {
				return nil, fmt.Errorf("more than one %s in %s", tag, e.Tag)
			}
			found = c
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no %s in %s", tag, e.Tag)
	}
	return found, nil
}

func algorithm(e *etree.Element, tag string) string {
	c, err := child(e, tag)
	if err != nil {
		return ""
	}
	return c.SelectAttrValue("Algorithm", "")
}

// b64 decodes base64 text with the line breaks XML signatures carry.
func b64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}

func verifyOne(d *doc, sig *etree.Element, dir string, names []string) SigResult {
	r := SigResult{FormatOK: true, DigestOK: true}
	bad := func(format string, a ...any) {
		r.FormatOK = false
		r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
	}
	si, err := child(sig, "SignedInfo")
	if err != nil {
		bad("%v", err)
		r.DigestOK = false
		return r
	}
	if a := algorithm(si, "CanonicalizationMethod"); a != AlgC14N {
		bad("canonicalization %q is not C14N 1.0", a)
	}
	if a := algorithm(si, "SignatureMethod"); a != AlgRSA256 {
		bad("signature method %q is not RSA-SHA256", a)
	}
	// KeyInfo: the certificates.
	if ki, err := child(sig, "KeyInfo"); err == nil {
		for _, xd := range ki.ChildElements() {
			if xd.Tag != "X509Data" || xd.NamespaceURI() != NSDSig {
				continue
			}
			for _, xc := range xd.ChildElements() {
				if xc.Tag != "X509Certificate" || xc.NamespaceURI() != NSDSig {
					continue
				}
				der, err := b64(xc.Text())
				if err != nil {
					r.Problems = append(r.Problems, "a certificate in KeyInfo is not base64")
					continue
				}
				c, err := x509.ParseCertificate(der)
				if err != nil {
					r.Problems = append(r.Problems, "a certificate in KeyInfo cannot be parsed: "+err.Error())
					continue
				}
				r.Certs = append(r.Certs, c)
			}
		}
	}
	// References.
	coveredTarget := false
	covered := map[string]bool{}
	refs := 0
	for _, ref := range si.ChildElements() {
		if ref.Tag != "Reference" || ref.NamespaceURI() != NSDSig {
			continue
		}
		refs++
		rr := checkReference(d, ref, dir)
		if !rr.OK {
			r.DigestOK = false
		}
		if rr.Problem == problemFormat {
			r.FormatOK = false
		}
		// Covered means referenced in a checkable form; whether the digest
		// holds is DigestOK's business.
		if rr.OK || rr.Problem == problemDigest {
			if rr.Kind == "element" && rr.Target == TargetID {
				coveredTarget = true
			}
			if rr.Kind == "file" {
				covered[rr.Target] = true
			}
		}
		r.References = append(r.References, rr)
	}
	if refs == 0 {
		bad("SignedInfo has no Reference")
		r.DigestOK = false
	}
	r.Covered = coveredTarget
	if !coveredTarget {
		r.Problems = append(r.Problems, "構成情報 is not covered by the signature")
	}
	for _, n := range names {
		if !covered[n] {
			r.Covered = false
			r.Problems = append(r.Problems, fmt.Sprintf("the file %s named in 構成情報 is not covered by the signature", Printable(n)))
		}
	}
	// SignatureValue over the canonical SignedInfo.
	svEl, err := child(sig, "SignatureValue")
	if err != nil {
		bad("%v", err)
		return r
	}
	sv, err := b64(svEl.Text())
	if err != nil {
		bad("SignatureValue is not base64")
		return r
	}
	c14n, err := Canonical(si)
	if err != nil {
		bad("SignedInfo cannot be canonicalized: %v", err)
		return r
	}
	h := sha256.Sum256(c14n)
	for _, c := range r.Certs {
		pub, ok := c.PublicKey.(*rsa.PublicKey)
		if ok && rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sv) == nil {
			r.Cert, r.SignatureOK = c, true
			break
		}
	}
	if r.Cert == nil && len(r.Certs) > 0 {
		r.Cert = r.Certs[0]
		r.Problems = append(r.Problems, "the signature value does not verify with the certificate's key")
	}
	if len(r.Certs) == 0 {
		r.Problems = append(r.Problems, "no certificate in KeyInfo/X509Data")
	}
	return r
}

const (
	problemFormat = "unsupported reference form"
	problemDigest = "digest mismatch"
)

func checkReference(d *doc, ref *etree.Element, dir string) Reference {
	uri := ref.SelectAttrValue("URI", "")
	rr := Reference{URI: Printable(uri)}
	fail := func(p string) Reference { rr.Problem = p; return rr }
	var transforms []string
	if ts := ref.SelectElements("Transforms"); len(ts) > 1 {
		return fail(problemFormat)
	} else if len(ts) == 1 {
		for _, t := range ts[0].ChildElements() {
			transforms = append(transforms, t.SelectAttrValue("Algorithm", ""))
		}
	}
	if algorithm(ref, "DigestMethod") != AlgSHA256 {
		return fail(problemFormat)
	}
	dvEl, err := child(ref, "DigestValue")
	if err != nil {
		return fail(problemFormat)
	}
	want, err := b64(dvEl.Text())
	if err != nil || len(want) != sha256.Size {
		return fail(problemFormat)
	}
	var got [32]byte
	switch {
	case strings.HasPrefix(uri, "#"):
		rr.Kind = "element"
		id, err := url.PathUnescape(uri[1:])
		if err != nil || id == "" {
			return fail(problemFormat)
		}
		rr.Target = Printable(id)
		if len(transforms) > 1 || (len(transforms) == 1 && transforms[0] != AlgC14N) {
			return fail(problemFormat)
		}
		el, err := byID(d, id)
		if err != nil {
			return fail(err.Error())
		}
		c14n, err := Canonical(el)
		if err != nil {
			return fail(err.Error())
		}
		got = sha256.Sum256(c14n)
	case uri == "":
		return fail(problemFormat)
	default:
		rr.Kind = "file"
		name, err := url.PathUnescape(uri)
		if err != nil || !plainName(name) || len(transforms) > 0 {
			return fail(problemFormat)
		}
		rr.Target = Printable(name)
		f, err := hashFile(filepath.Join(dir, name))
		if err != nil {
			// A missing file cannot match: reported as a changed one.
			rr.Problem = problemDigest
			return rr
		}
		sum, _ := hex.DecodeString(f.SHA256)
		copy(got[:], sum)
	}
	if !bytes.Equal(got[:], want) {
		return fail(problemDigest)
	}
	rr.OK = true
	return rr
}

// byID finds the one element whose ID, Id or id attribute is id; several
// are refused (a signature could then be moved onto another element).
func byID(d *doc, id string) (*etree.Element, error) {
	var found []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if a.Space == "" && strings.EqualFold(a.Key, "id") && a.Value == id {
				found = append(found, e)
				break
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(d.tree.Root())
	switch len(found) {
	case 0:
		return nil, errors.New("the referenced element does not exist")
	case 1:
		return found[0], nil
	}
	return nil, errors.New("several elements carry the referenced ID")
}
