package egov

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/shomei-app/shomei/internal/errs"
)

// Limits on an XML document (kousei.xml, a form): real ones are a few
// kilobytes and a few levels deep.
const (
	MaxXML      = 8 << 20
	MaxDepth    = 64
	MaxElements = 200000
)

// Errors of reading XML.
var (
	ErrXML      = errs.New(errs.EgovXML)      // not well-formed, or no 構成情報
	ErrDTD      = errs.New(errs.EgovDTD)      // a document type declaration (DTD, entities): refused
	ErrTooLarge = errs.New(errs.EgovTooLarge) // too large or too deeply nested
	// ErrProfile marks XML that Shomei cannot canonicalize exactly (see
	// checkAttr): such a document is neither signed nor confirmed.
	ErrProfile = errs.New(errs.EgovProfile)
)

// TargetID is the ID of the element the signature covers.
const TargetID = "構成情報"

// doc is an XML document read the way it is canonicalized and shown.
type doc struct {
	raw    []byte
	tree   *etree.Document
	target *etree.Element // <構成情報 ID="構成情報">, a child of the root
	// Byte offsets in raw: right after </構成情報>, and the 署名情報 element
	// that follows it (-1 when none).
	targetEnd          int64
	sigInfoStart       int64
	sigInfoEnd         int64
	sigInfoHasElements bool
}

// checkAttr keeps documents to the forms where the canonicalizer used
// (goxmldsig's C14N 1.0 over etree) is exact, as measured against libxml2
// on random documents (c14n_test.go): attribute values with a tab, line
// feed or carriage return (which XML parsers normalize to spaces unless
// written as character references, a difference encoding/xml does not
// keep) and namespace-qualified attributes (xml:lang, p:a — sorted by
// prefix instead of namespace URI) are refused. kousei.xml uses neither.
func checkAttr(a xml.Attr) error {
	if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
		return nil
	}
	if a.Name.Space != "" {
		return fmt.Errorf("%w: the attribute %s:%s has a namespace", ErrProfile, a.Name.Space, a.Name.Local)
	}
	if strings.ContainsAny(a.Value, "\t\n\r") {
		return fmt.Errorf("%w: the attribute %s holds a tab or a line break", ErrProfile, a.Name.Local)
	}
	return nil
}

// readXML reads raw: bounded, no DTD, every attribute within the exact
// profile. It finds the target element when wantTarget is set.
func readXML(raw []byte, wantTarget bool) (*doc, error) {
	if len(raw) > MaxXML {
		return nil, ErrTooLarge
	}
	d := &doc{raw: raw, targetEnd: -1, sigInfoStart: -1, sigInfoEnd: -1}
	dec := xml.NewDecoder(bytes.NewReader(raw))
	dec.Strict = true
	depth, elements, ids := 0, 0, 0
	inTarget, afterTarget, inSigInfo := false, false, false
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrXML, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, ErrDTD
		case xml.StartElement:
			depth++
			elements++
			if depth > MaxDepth || elements > MaxElements {
				return nil, ErrTooLarge
			}
			for _, a := range t.Attr {
				if err := checkAttr(a); err != nil {
					return nil, err
				}
				if strings.EqualFold(a.Name.Local, "id") && a.Value == TargetID {
					ids++
				}
			}
			switch {
			case depth == 2 && t.Name.Local == TargetID && t.Name.Space == "" && attr(t, "ID") == TargetID:
				inTarget = true
			case depth == 2 && afterTarget && t.Name.Local == "署名情報" && d.sigInfoStart < 0:
				d.sigInfoStart, inSigInfo = before, true
			case depth == 3 && inSigInfo:
				d.sigInfoHasElements = true
			case depth == 2:
				afterTarget = false
			}
		case xml.EndElement:
			depth--
			if depth == 1 && inTarget {
				inTarget, afterTarget = false, true
				d.targetEnd = dec.InputOffset()
			}
			if depth == 1 && inSigInfo {
				inSigInfo = false
				d.sigInfoEnd = dec.InputOffset()
			}
		case xml.CharData:
			if depth == 1 && len(bytes.TrimSpace(t)) > 0 {
				afterTarget = false
			}
		}
	}
	if wantTarget && (d.targetEnd < 0 || ids != 1) {
		if ids > 1 {
			return nil, fmt.Errorf("%w: more than one element has the ID %s", ErrXML, TargetID)
		}
		return nil, fmt.Errorf("%w: no <%s ID=\"%s\"> under the root", ErrXML, TargetID, TargetID)
	}
	tree := etree.NewDocument()
	tree.ReadSettings = etree.ReadSettings{}
	if err := tree.ReadFromBytes(raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrXML, err)
	}
	if tree.Root() == nil {
		return nil, fmt.Errorf("%w: no root element", ErrXML)
	}
	d.tree = tree
	if wantTarget {
		for _, e := range tree.Root().ChildElements() {
			if e.Space == "" && e.Tag == TargetID && e.SelectAttrValue("ID", "") == TargetID {
				d.target = e
				break
			}
		}
		if d.target == nil {
			return nil, fmt.Errorf("%w: no <%s> element", ErrXML, TargetID)
		}
	}
	return d, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// Canonical is the C14N 1.0 form (without comments) of e as a document
// subset: e, its descendants, and the namespace declarations in scope.
func Canonical(e *etree.Element) ([]byte, error) {
	return dsig.MakeC14N10RecCanonicalizer().Canonicalize(e)
}

// CanonicalTarget reads raw (the whole kousei.xml) and returns the C14N
// form of its 構成情報 element (for the tests' differential check).
func CanonicalTarget(raw []byte) ([]byte, error) {
	d, err := readXML(raw, true)
	if err != nil {
		return nil, err
	}
	return Canonical(d.target)
}
