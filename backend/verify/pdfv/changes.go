package pdfv

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
)

// Changes after a signature: the final revision is compared object by
// object with the signed one, and each difference is judged by the role the
// object plays in the SIGNED revision's graph (roles.go), never by what the
// new revision says it is. Allowed (ISO 32000-2 §12.8.2.2, PAdES, and
// Shomei's comment policy): later signatures and document timestamps that
// verify, DSS validation data, XMP metadata and the document information,
// an empty signature field that shows nothing, form filling where DocMDP
// permits it (P=2, and approval signatures), and a sticky-note comment (a
// /Text annotation and its /Popup) after an approval signature or under
// P=3, with a warning. Everything that can change what a page shows is
// not: page content and resources, pages, other annotations (FreeText,
// shapes, stamps, ink, redactions, links or widgets with an appearance), an
// appearance changed while its field's value did not, a signature field
// that shows something without a signature that verifies, catalog entries,
// removed objects, bytes that are not a PDF revision, and a structure
// viewers may read in more than one way.

// Verdicts.
const (
	ChangesNone       = "none"
	ChangesAllowed    = "allowed"
	ChangesDisallowed = "disallowed"
	ChangesUnknown    = "unknown" // the revisions could not be read
)

// Change is one difference found after a signature.
type Change struct {
	Kind    string // see the Kind* constants
	Object  int    // the object concerned, 0 when none
	Page    int    // the page concerned (1-based), 0 when none
	Allowed bool
	Why     string // why allowed or not (see the Why* constants)
	Warn    string // a warning to show even when allowed (see the Warn* constants)
	Detail  string // English, technical, for the details of a report
}

// Change kinds (stable: reports translate them).
const (
	KindSignatureAdded   = "signature_added"
	KindTimestampAdded   = "timestamp_added"
	KindSignatureFilled  = "signature_field_signed"
	KindDSS              = "validation_data"
	KindMetadata         = "metadata"
	KindInfo             = "document_info"
	KindFormFilled       = "form_filled"
	KindAnnotation       = "annotation"
	KindComment          = "comment_added"
	KindLink             = "link_added"
	KindFieldAdded       = "form_field_added"
	KindEmptySigField    = "empty_signature_field_added"
	KindUnsignedField    = "unsigned_signature_field"
	KindUnverifiedSig    = "unverified_signature"
	KindAppearanceOnly   = "appearance_changed_value_unchanged"
	KindFormSettings     = "form_settings"
	KindFieldLocked      = "field_locked"
	KindPages            = "pages_added_or_removed"
	KindPage             = "page_modified"
	KindSigRewritten     = "signature_dictionary_rewritten"
	KindAppearanceShared = "shared_appearance_replaced"
	KindCatalog          = "catalog_modified"
	KindObject           = "object_modified"
	KindDeleted          = "object_removed"
	KindTrailingBytes    = "bytes_appended"
	KindHistory          = "revision_history_rewritten"
	KindAmbiguous        = "ambiguous_structure"
	KindUnreadable       = "unreadable"
)

// Kinds lists every change kind, for translations.
var Kinds = []string{KindSignatureAdded, KindTimestampAdded, KindSignatureFilled, KindDSS, KindMetadata, KindInfo,
	KindFormFilled, KindAnnotation, KindComment, KindLink, KindFieldAdded, KindEmptySigField, KindUnsignedField,
	KindUnverifiedSig, KindAppearanceOnly, KindFormSettings, KindFieldLocked, KindPages, KindPage, KindSigRewritten,
	KindAppearanceShared, KindCatalog, KindObject, KindDeleted, KindTrailingBytes, KindHistory, KindAmbiguous,
	KindUnreadable}

// Reasons a change is allowed or not (stable: reports translate them).
const (
	WhySignature     = "later_signature"     // later signatures are permitted
	WhyValidation    = "validation_data"     // validation data is not content
	WhyDescriptive   = "descriptive"         // metadata: not shown on any page
	WhyFormFilling   = "form_filling"        // the signature permits filling in the form
	WhyEmptyField    = "empty_field"         // an empty signature field shows nothing
	WhyCommentPolicy = "comment_policy"      // a note is not part of what was signed
	WhyNoChanges     = "certified_no_change" // a certification that permits no change
	WhyNoAnnotations = "no_annotations"      // the certification does not permit annotations
	WhyShown         = "changes_display"     // it changes what the document shows
	WhyNotShown      = "not_shown"           // it changes nothing shown
	WhyUnverified    = "not_verified"        // no signature that verifies
	WhyAmbiguous     = "ambiguous"           // viewers may read it differently
	WhyCovers        = "covers_content"      // a filled field covers much of its page
	WhyUnreadable    = "unreadable"          // it cannot be analysed
	WhyNotPermitted  = "not_permitted"       // not among the changes permitted after a signature
)

// Whys lists every reason, for translations.
var Whys = []string{WhySignature, WhyValidation, WhyDescriptive, WhyFormFilling, WhyEmptyField, WhyCommentPolicy,
	WhyNoChanges, WhyNoAnnotations, WhyShown, WhyNotShown, WhyUnverified, WhyAmbiguous, WhyCovers, WhyUnreadable, WhyNotPermitted}

// Warnings shown even when a change is allowed (stable: reports translate them).
const (
	WarnComment = "comment" // a comment is not covered by the signature
	WarnLink    = "link"    // a clickable area is not covered by the signature
	// WarnCovers: an allowed change lies over the signed page's text or
	// images (found by the rendering comparison, backend/verify/render).
	WarnCovers = "covers_signed"
)

// Warns lists every warning, for translations.
var Warns = []string{WarnComment, WarnLink, WarnCovers}

// Changes is what happened after one signature's revision.
type Changes struct {
	Verdict   string
	Revisions int // later revisions
	DocMDP    int // the certification level in force (0: approval only)
	List      []Change
	// Pages lists the pages (1-based) on which a change was found, allowed
	// or not, for a rendering comparison; Explained is true when every
	// change was judged allowed (Verdict none or allowed).
	Pages     []int
	Explained bool
}

// analyser holds what one file's analysis shares between its signatures.
type analyser struct {
	d             *doc
	final         *state // the final revision through its cross-reference
	last          []*section
	err           error  // the cross-reference chain cannot be read
	repairedFinal *state // the final revision rebuilt from its object headers
	views         map[int]*state
	verified      map[int]bool // signature dictionaries that verify
}

func newAnalyser(f io.ReaderAt, size int64) *analyser {
	a := &analyser{d: newDoc(f, size)}
	off, ok := a.d.startxrefBefore(size)
	if !ok {
		a.err = fmt.Errorf("no startxref at the end of the file")
	} else {
		a.last, a.err = a.d.chain(off)
	}
	if a.err == nil {
		a.final = a.d.state(a.last)
		if a.final.root() == nil {
			a.err = fmt.Errorf("the cross-reference names no document catalog")
			a.final = nil
		}
	}
	if a.err != nil {
		// Viewers rebuild the table from the object headers and show that.
		a.repairedFinal, _ = a.d.repair(size)
	}
	return a
}

// revision reads the revision ending at end: its cross-reference chain,
// or, when viewers would rebuild it, the rebuilt table.
func (a *analyser) revision(end int64) (*state, []*section, error) {
	off, ok := a.d.startxrefBefore(end)
	if ok {
		if chain, err := a.d.chain(off); err == nil {
			if s := a.d.state(chain); s.root() != nil {
				return s, chain, nil
			}
		}
	}
	s, err := a.d.repair(end)
	return s, nil, err
}

// changesAfter classifies what follows the revision ending at end.
func (a *analyser) changesAfter(end int64) (out Changes) {
	defer func() {
		out.Verdict = verdictOf(out)
		out.Explained = out.Verdict == ChangesNone || out.Verdict == ChangesAllowed
		pages := map[int]bool{}
		for _, c := range out.List {
			if c.Page > 0 && !pages[c.Page] {
				pages[c.Page] = true
				out.Pages = append(out.Pages, c.Page)
			}
		}
		sort.Ints(out.Pages)
	}()
	if end == a.d.size {
		return out
	}
	add := func(c Change) { out.List = append(out.List, c) }
	if end < 0 || end > a.d.size {
		add(Change{Kind: KindUnreadable, Why: WhyUnreadable, Detail: "the signed revision does not end inside the file"})
		return out
	}
	old, signed, err := a.revision(end)
	if err != nil {
		add(Change{Kind: KindUnreadable, Why: WhyUnreadable, Detail: "the signed revision cannot be read: " + err.Error()})
		return out
	}
	var updates []*section
	var news []*state
	switch {
	case a.err == nil && signed == nil:
		add(Change{Kind: KindHistory, Why: WhyShown, Detail: "the signed bytes are not a revision of the file's history"})
		return out
	case a.err == nil:
		// The final chain must be the signed one plus sections after it.
		k := len(a.last) - len(signed)
		if k < 0 || a.last[k].off != signed[0].off {
			add(Change{Kind: KindHistory, Why: WhyShown, Detail: "the signed revision is no longer part of the file's revision history"})
			return out
		}
		updates = a.last[:k]
		out.Revisions = len(updates)
		for _, u := range updates {
			if u.off < end {
				add(Change{Kind: KindHistory, Why: WhyShown, Detail: fmt.Sprintf("a later cross-reference section (at %d) lies inside the signed bytes", u.off)})
				return out
			}
			for _, x := range u.anomalies {
				add(Change{Kind: KindAmbiguous, Why: WhyAmbiguous, Detail: x})
			}
		}
		if len(updates) == 0 {
			tail := a.d.read(end, int(min(a.d.size-end, 1<<20)))
			if len(bytes.TrimLeft(tail, " \r\n\t\f\x00")) > 0 || a.d.size-end > 1<<20 {
				add(Change{Kind: KindTrailingBytes, Why: WhyShown, Detail: fmt.Sprintf("%d bytes after the signed revision are not a PDF revision", a.d.size-end)})
			}
			return out
		}
		news = append(news, a.final)
	case a.repairedFinal != nil:
		out.Revisions = 1
		add(Change{Kind: KindAmbiguous, Why: WhyAmbiguous, Detail: "the file's cross-reference cannot be read (" + errString(a.err) + "); viewers rebuild it from the object headers, and that reading is judged"})
		news = append(news, a.repairedFinal)
	default:
		add(Change{Kind: KindUnreadable, Why: WhyUnreadable, Detail: "the file's revisions cannot be read: " + errString(a.err)})
		return out
	}
	seen := map[string]bool{}
	dedup := func(x Change) {
		k := fmt.Sprintf("%s|%d|%v|%s", x.Kind, x.Object, x.Allowed, x.Detail)
		if !seen[k] {
			seen[k] = true
			add(x)
		}
	}
	defer func() {
		if len(news) < 2 && !news[0].repaired {
			return
		}
		// The rebuilt reading was judged: what the table could not read is
		// said by the ambiguity.
		kept := out.List[:0]
		for _, x := range out.List {
			if x.Kind != KindUnreadable || x.Object == 0 {
				kept = append(kept, x)
			}
		}
		out.List = kept
	}()
	olds := []*state{old}
	for i := 0; i < len(news); i++ {
		for j := 0; j < len(olds); j++ {
			c := &classifier{old: olds[j], new: news[i], verified: a.verified, add: dedup}
			c.p = docMDP(olds[j])
			out.DocMDP = c.p
			c.run(updates)
			if len(olds[j].problems) > 0 && !olds[j].repaired && len(olds) == 1 {
				if r, err := a.d.repair(end); err == nil {
					olds = append(olds, r)
				}
			}
		}
		if n := news[i]; !n.repaired && len(news) == 1 {
			// Problems the signed revision already had were signed as
			// they are; new ones make viewers rebuild the table.
			var fresh []string
			for _, p := range n.problems {
				if !slices.Contains(old.problems, p) {
					fresh = append(fresh, p)
				}
			}
			for _, p := range fresh {
				dedup(Change{Kind: KindAmbiguous, Why: WhyAmbiguous, Detail: p + "; viewers rebuild the cross-reference, and both readings are judged"})
			}
			if len(fresh) > 0 {
				if r, err := a.d.repair(a.d.size); err == nil {
					news = append(news, r)
				}
			}
		}
	}
	return out
}

// uncertain changes make a document impossible to confirm without showing
// that it was changed: what cannot be read, a structure viewers may read
// differently, a filled field that may hide what was signed.
func uncertain(x Change) bool {
	return x.Kind == KindUnreadable || x.Why == WhyAmbiguous || x.Why == WhyCovers
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func verdictOf(c Changes) string {
	if len(c.List) == 0 {
		if c.Revisions == 0 {
			return ChangesNone
		}
		return ChangesAllowed
	}
	v := ChangesAllowed
	for _, x := range c.List {
		if !x.Allowed {
			v = ChangesDisallowed
		}
	}
	if v == ChangesDisallowed && !slices.ContainsFunc(c.List, func(x Change) bool { return !x.Allowed && !uncertain(x) }) {
		// Nothing shown to be wrong, but nothing can be confirmed either.
		return ChangesUnknown
	}
	return v
}

// docMDP is the P value of a certification signature in force in s (0 when
// the document is not certified).
func docMDP(s *state) int {
	perms := s.dict(s.root()["Perms"])
	sig := s.dict(perms["DocMDP"])
	if sig == nil {
		return 0
	}
	refs, _ := s.resolve(sig["Reference"]).(parray)
	for _, r := range refs {
		d := s.dict(r)
		if d["TransformMethod"] != pname("DocMDP") {
			continue
		}
		if p, ok := s.resolve(s.dict(d["TransformParams"])["P"]).(int64); ok && p >= 1 && p <= 3 {
			return int(p)
		}
		return 2
	}
	return 2
}
