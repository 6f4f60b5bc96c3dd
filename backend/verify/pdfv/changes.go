package pdfv

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
)

// Changes after a signature: the revisions that follow the signed one are
// compared object by object with the signed revision, and each difference
// is classified. Allowed (ISO 32000-2 §12.8.2.2, PAdES): later signatures and
// document timestamps, DSS/VRI validation data, XMP metadata and the
// document information, filling in signature fields, form filling when the
// DocMDP level (P=2 by default for an approval signature) permits it, and
// annotations only at P=3. Everything else is disallowed: pages added or
// removed, page content or resources, a rewritten signature dictionary, an
// appearance stream shared with other parts of the document, catalog entries,
// removed objects, and bytes that are not a PDF revision.

// Verdicts.
const (
	ChangesNone       = "none"
	ChangesAllowed    = "allowed"
	ChangesDisallowed = "disallowed"
	ChangesUnknown    = "unknown" // the revisions could not be read
)

// Change is one difference found after a signature.
type Change struct {
	Kind    string // see the Change* kinds below
	Object  int    // the object concerned, 0 when none
	Allowed bool
	Detail  string // English, for the details of a report
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
	KindFieldAdded       = "form_field_added"
	KindPages            = "pages_added_or_removed"
	KindPage             = "page_modified"
	KindSigRewritten     = "signature_dictionary_rewritten"
	KindAppearanceShared = "shared_appearance_replaced"
	KindCatalog          = "catalog_modified"
	KindObject           = "object_modified"
	KindDeleted          = "object_removed"
	KindTrailingBytes    = "bytes_appended"
	KindHistory          = "revision_history_rewritten"
	KindUnreadable       = "unreadable"
)

// Kinds lists every change kind, for translations.
var Kinds = []string{KindSignatureAdded, KindTimestampAdded, KindSignatureFilled, KindDSS, KindMetadata, KindInfo,
	KindFormFilled, KindAnnotation, KindFieldAdded, KindPages, KindPage, KindSigRewritten, KindAppearanceShared,
	KindCatalog, KindObject, KindDeleted, KindTrailingBytes, KindHistory, KindUnreadable}

// Changes is what happened after one signature's revision.
type Changes struct {
	Verdict   string
	Revisions int // later revisions
	DocMDP    int // the certification level in force (0: approval only)
	List      []Change
}

// analyser holds what one file's analysis shares between its signatures.
type analyser struct {
	d     *doc
	final *state
	last  []*section
	err   error
}

func newAnalyser(f io.ReaderAt, size int64) *analyser {
	a := &analyser{d: newDoc(f, size)}
	off, ok := a.d.startxrefBefore(size)
	if !ok {
		a.err = fmt.Errorf("no startxref at the end of the file")
		return a
	}
	a.last, a.err = a.d.chain(off)
	if a.err == nil {
		a.final = a.d.state(a.last)
	}
	return a
}

// changesAfter classifies what follows the revision ending at end.
func (a *analyser) changesAfter(end int64) (out Changes) {
	defer func() {
		out.Verdict = verdictOf(out)
	}()
	if end == a.d.size {
		return out
	}
	add := func(c Change) { out.List = append(out.List, c) }
	if end < 0 || end > a.d.size {
		add(Change{Kind: KindUnreadable, Detail: "the signed revision does not end inside the file"})
		return out
	}
	if a.err != nil {
		add(Change{Kind: KindUnreadable, Detail: "the file's revisions cannot be read: " + a.err.Error()})
		return out
	}
	off, ok := a.d.startxrefBefore(end)
	if !ok {
		add(Change{Kind: KindUnreadable, Detail: "the signed revision has no startxref"})
		return out
	}
	signed, err := a.d.chain(off)
	if err != nil {
		add(Change{Kind: KindUnreadable, Detail: "the signed revision's cross-reference cannot be read: " + err.Error()})
		return out
	}
	// The final chain must be the signed one plus sections after it.
	k := len(a.last) - len(signed)
	if k < 0 || a.last[k].off != signed[0].off {
		add(Change{Kind: KindHistory, Detail: "the signed revision is no longer part of the file's revision history"})
		return out
	}
	updates := a.last[:k]
	out.Revisions = len(updates)
	if len(updates) == 0 {
		tail := a.d.read(end, int(min(a.d.size-end, 1<<20)))
		if len(bytes.TrimLeft(tail, " \r\n\t\f\x00")) > 0 || a.d.size-end > 1<<20 {
			add(Change{Kind: KindTrailingBytes, Detail: fmt.Sprintf("%d bytes after the signed revision are not a PDF revision", a.d.size-end)})
		}
		return out
	}
	for _, u := range updates {
		if u.off < end {
			add(Change{Kind: KindHistory, Detail: fmt.Sprintf("a later cross-reference section (at %d) lies inside the signed bytes", u.off)})
			return out
		}
	}
	old := a.d.state(signed)
	seen := map[Change]bool{}
	c := &classifier{old: old, new: a.final, p: docMDP(old), add: func(x Change) {
		if !seen[x] {
			seen[x] = true
			add(x)
		}
	}}
	out.DocMDP = c.p
	c.run(updates)
	return out
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
		if x.Kind == KindUnreadable {
			return ChangesUnknown
		}
		if !x.Allowed {
			v = ChangesDisallowed
		}
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

type classifier struct {
	old, new *state
	add      func(Change)
	p        int // DocMDP level, 0 = none (approval signatures allow P=2 changes)

	changed  map[int]bool // object numbers redefined by later sections
	newSigs  map[int]bool // new signature / timestamp dictionaries
	dss      map[int]bool // objects of the DSS (validation data)
	signedAt map[int]bool // fields whose /V became a new signature
}

func (c *classifier) level() int {
	if c.p == 0 {
		return 2
	}
	return c.p
}

func (c *classifier) run(updates []*section) {
	c.changed = map[int]bool{}
	for _, u := range updates {
		for n := range u.entries {
			c.changed[n] = true
		}
	}
	nums := make([]int, 0, len(c.changed))
	for n := range c.changed {
		nums = append(nums, n)
	}
	sort.Ints(nums)

	// New signatures and timestamps.
	c.newSigs = map[int]bool{}
	for _, n := range nums {
		if e, ok := c.old.entries[n]; ok && e.kind != 0 {
			continue
		}
		v, err := c.new.get(n)
		if err != nil {
			continue
		}
		if d, ok := v.(pdict); ok && d["ByteRange"] != nil && d["Contents"] != nil {
			c.newSigs[n] = true
			if d["Type"] == pname("DocTimeStamp") || d["SubFilter"] == pname("ETSI.RFC3161") {
				c.add(Change{Kind: KindTimestampAdded, Object: n, Allowed: true, Detail: "a document timestamp was added"})
			} else {
				c.add(Change{Kind: KindSignatureAdded, Object: n, Allowed: c.p != 1, Detail: "another signature was added"})
			}
		}
	}
	c.dss = map[int]bool{}
	for _, s := range []*state{c.old, c.new} {
		collectRefs(s, s.root()["DSS"], c.dss, 0)
	}
	c.signedAt = map[int]bool{}
	for _, n := range nums {
		if nd := c.new.dict(pref{n, 0}); nd != nil {
			if r, ok := nd["V"].(pref); ok && c.newSigs[r.num] {
				c.signedAt[n] = true
			}
		}
	}

	// Pages added or removed.
	op, err1 := c.old.pageCount()
	np, err2 := c.new.pageCount()
	switch {
	case err1 != nil || err2 != nil:
		c.add(Change{Kind: KindUnreadable, Detail: "the page tree cannot be read"})
	case op != np:
		c.add(Change{Kind: KindPages, Detail: fmt.Sprintf("the document had %d pages when signed and has %d now", op, np)})
	}

	// The catalog, even when the trailer points at a new one.
	oldRoot, _ := c.old.trailer["Root"].(pref)
	newRoot, _ := c.new.trailer["Root"].(pref)
	if oldRoot != newRoot || c.changed[oldRoot.num] {
		c.catalog(oldRoot.num, c.old.root(), c.new.root())
	}
	if !equalObj(c.old.trailer["Encrypt"], c.new.trailer["Encrypt"]) {
		c.add(Change{Kind: KindObject, Detail: "the encryption dictionary changed"})
	}
	oldInfo, _ := c.old.trailer["Info"].(pref)

	for _, n := range nums {
		if n == oldRoot.num {
			continue
		}
		e, existed := c.old.entries[n]
		if !existed || e.kind == 0 {
			continue // new objects act only through the old ones that point at them
		}
		ov, err1 := c.old.get(n)
		nv, err2 := c.new.get(n)
		if err1 != nil || err2 != nil {
			c.add(Change{Kind: KindUnreadable, Object: n, Detail: fmt.Sprintf("object %d cannot be read", n)})
			continue
		}
		if nv == nil && ov != nil {
			c.add(Change{Kind: KindDeleted, Object: n, Detail: fmt.Sprintf("object %d was removed", n)})
			continue
		}
		if c.same(ov, nv) {
			continue
		}
		c.object(n, ov, nv, n == oldInfo.num)
	}
}

// same compares two versions of an object, stream data included.
func (c *classifier) same(a, b any) bool {
	if !equalObj(a, b) {
		return false
	}
	sa, ok1 := a.(*pstream)
	sb, ok2 := b.(*pstream)
	if ok1 && ok2 {
		da, err1 := c.old.d.raw(sa, c.old)
		db, err2 := c.new.d.raw(sb, c.new)
		return err1 == nil && err2 == nil && bytes.Equal(da, db)
	}
	return true
}

func (c *classifier) object(n int, ov, nv any, isInfo bool) {
	od, nd := asDict(ov), asDict(nv)
	typ, _ := od["Type"].(pname)
	sub, _ := od["Subtype"].(pname)
	_, isStream := ov.(*pstream)
	switch {
	case od != nil && od["ByteRange"] != nil:
		c.add(Change{Kind: KindSigRewritten, Object: n, Detail: fmt.Sprintf("the signature dictionary %d was rewritten%s", n, keysDiff(od, nd))})
	case c.dss[n] || typ == "DSS" || typ == "VRI":
		c.add(Change{Kind: KindDSS, Object: n, Allowed: true, Detail: "validation data (DSS) was updated"})
	case typ == "Metadata":
		c.add(Change{Kind: KindMetadata, Object: n, Allowed: true, Detail: "the XMP metadata was updated"})
	case isInfo:
		c.add(Change{Kind: KindInfo, Object: n, Allowed: true, Detail: "the document information (title, dates, producer) was updated"})
	case typ == "ObjStm" || typ == "XRef":
		// containers: their objects are compared one by one
	case c.isAcroForm(n):
		c.acroForm(n, od, nd)
	case typ == "Page":
		c.page(n, od, nd)
	case typ == "Pages":
		if !equalObj(od["Kids"], nd["Kids"]) || !equalObj(od["Count"], nd["Count"]) {
			c.add(Change{Kind: KindPages, Object: n, Detail: fmt.Sprintf("the page tree node %d changed", n)})
		} else {
			c.add(Change{Kind: KindPage, Object: n, Detail: fmt.Sprintf("inherited page attributes in %d changed%s", n, keysDiff(od, nd))})
		}
	case od != nil && (od["FT"] != nil || sub == "Widget" || (od["Parent"] != nil && od["T"] != nil)):
		c.field(n, od, nd)
	case od != nil && typ == "Annot":
		c.add(Change{Kind: KindAnnotation, Object: n, Allowed: c.level() == 3, Detail: fmt.Sprintf("annotation %d was modified", n)})
	case isStream && sub == "Form":
		c.appearance(n)
	case isArray(ov):
		c.array(n, ov.(parray), asArray(nv))
	default:
		what := "object"
		if typ != "" {
			what = "/" + string(typ) + " object"
		} else if isStream {
			what = "stream"
		}
		c.add(Change{Kind: KindObject, Object: n, Detail: fmt.Sprintf("%s %d was modified", what, n)})
	}
}

func (c *classifier) isAcroForm(n int) bool {
	r, ok := c.old.root()["AcroForm"].(pref)
	return ok && r.num == n
}

// catalog compares the document catalog; only a few entries may change.
func (c *classifier) catalog(n int, od, nd pdict) {
	if od == nil || nd == nil {
		c.add(Change{Kind: KindUnreadable, Object: n, Detail: "the document catalog cannot be read"})
		return
	}
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		switch k {
		case "DSS":
			c.add(Change{Kind: KindDSS, Object: n, Allowed: true, Detail: "validation data (DSS) was added"})
		case "Extensions", "Version":
			c.add(Change{Kind: KindCatalog, Object: n, Allowed: true, Detail: "the PDF version or extension declarations were updated"})
		case "Metadata":
			c.add(Change{Kind: KindMetadata, Object: n, Allowed: true, Detail: "the XMP metadata was replaced"})
		case "AcroForm":
			or, _ := od[k].(pref)
			nr, _ := nd[k].(pref)
			if or.num != 0 && or == nr {
				continue // the form object itself is compared on its own
			}
			c.acroForm(n, c.old.dict(od[k]), c.new.dict(nd[k]))
		default:
			c.add(Change{Kind: KindCatalog, Object: n, Detail: fmt.Sprintf("the catalog entry /%s changed", k)})
		}
	}
}

func (c *classifier) acroForm(n int, od, nd pdict) {
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		switch k {
		case "Fields":
			c.additions(n, "form fields", c.old.resolve(od[k]), c.new.resolve(nd[k]))
		case "SigFlags", "DR", "DA", "NeedAppearances":
			// set when a signature is added or a form filled in
		default:
			c.add(Change{Kind: KindCatalog, Object: n, Detail: fmt.Sprintf("the form's /%s changed", k)})
		}
	}
}

func (c *classifier) page(n int, od, nd pdict) {
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		if k == "Annots" {
			c.additions(n, "annotations", c.old.resolve(od[k]), c.new.resolve(nd[k]))
			continue
		}
		c.add(Change{Kind: KindPage, Object: n, Detail: fmt.Sprintf("page object %d: /%s changed", n, k)})
	}
}

// additions checks an array (form fields, a page's annotations) that may
// only grow, by signature fields (or annotations at P=3).
func (c *classifier) additions(n int, what string, ov, nv any) {
	oa, na := asArray(ov), asArray(nv)
	had := map[pref]bool{}
	for _, x := range oa {
		if r, ok := x.(pref); ok {
			had[r] = true
		}
	}
	has := map[pref]bool{}
	for _, x := range na {
		r, ok := x.(pref)
		if !ok {
			if !slices.ContainsFunc(oa, func(y any) bool { return equalObj(x, y) }) {
				c.add(Change{Kind: KindAnnotation, Object: n, Allowed: c.level() == 3, Detail: fmt.Sprintf("a direct entry was added to the %s of %d", what, n)})
			}
			continue
		}
		has[r] = true
		if had[r] {
			continue
		}
		c.added(n, r.num, what)
	}
	for r := range had {
		if !has[r] {
			c.add(Change{Kind: KindAnnotation, Object: r.num, Detail: fmt.Sprintf("object %d was removed from the %s of %d", r.num, what, n)})
		}
	}
}

// added classifies a field or annotation that appeared.
func (c *classifier) added(parent, n int, what string) {
	d := c.new.dict(pref{n, 0})
	if d == nil {
		c.add(Change{Kind: KindObject, Object: n, Detail: fmt.Sprintf("a missing object %d was added to the %s of %d", n, what, parent)})
		return
	}
	if c.isSigField(c.new, d) {
		if v := d["V"]; v == nil || c.newSigs[refNum(v)] {
			c.add(Change{Kind: KindSignatureFilled, Object: n, Allowed: c.p != 1, Detail: fmt.Sprintf("signature field %d was added", n)})
			return
		}
		c.add(Change{Kind: KindFieldAdded, Object: n, Detail: fmt.Sprintf("signature field %d was added with an existing value", n)})
		return
	}
	if d["Subtype"] == pname("Widget") || d["FT"] != nil {
		c.add(Change{Kind: KindFieldAdded, Object: n, Detail: fmt.Sprintf("form field %d was added", n)})
		return
	}
	sub, _ := d["Subtype"].(pname)
	c.add(Change{Kind: KindAnnotation, Object: n, Allowed: c.level() == 3, Detail: fmt.Sprintf("a /%s annotation (%d) was added", sub, n)})
}

func (c *classifier) isSigField(s *state, d pdict) bool {
	for i := 0; d != nil && i < 16; i++ {
		if ft, ok := d["FT"].(pname); ok {
			return ft == "Sig"
		}
		d = s.dict(d["Parent"])
	}
	return false
}

// field classifies a modified form field or widget.
func (c *classifier) field(n int, od, nd pdict) {
	sig := c.isSigField(c.old, od)
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		switch {
		case sig && k == "V":
			if od["V"] != nil {
				c.add(Change{Kind: KindSigRewritten, Object: n, Detail: fmt.Sprintf("the value of signature field %d was replaced", n)})
			} else {
				c.add(Change{Kind: KindSignatureFilled, Object: n, Allowed: c.p != 1 || c.newSigIsTimestamp(nd), Detail: fmt.Sprintf("signature field %d was signed", n)})
			}
		case sig && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA" || k == "Lock" || k == "SV" || k == "P"):
			// the appearance and flags of a signature being applied
			if od["V"] != nil && k == "AP" {
				c.add(Change{Kind: KindAnnotation, Object: n, Allowed: c.level() == 3, Detail: fmt.Sprintf("the appearance of the signed field %d changed", n)})
			}
		case !sig && (k == "V" || k == "AP" || k == "AS" || k == "MK"):
			c.add(Change{Kind: KindFormFilled, Object: n, Allowed: c.level() >= 2, Detail: fmt.Sprintf("form field %d was filled in (/%s)", n, k)})
		default:
			c.add(Change{Kind: KindObject, Object: n, Detail: fmt.Sprintf("form field %d: /%s changed", n, k)})
		}
	}
}

func (c *classifier) newSigIsTimestamp(nd pdict) bool {
	d := c.new.dict(nd["V"])
	return d != nil && (d["Type"] == pname("DocTimeStamp") || d["SubFilter"] == pname("ETSI.RFC3161"))
}

// appearance allows a replaced form XObject only when, in the signed
// revision, nothing but widgets of fields changed in this update used it.
func (c *classifier) appearance(n int) {
	users := referrers(c.old, n)
	ok := len(users) > 0
	for _, u := range users {
		d := c.old.dict(pref{u, 0})
		if d == nil || d["Subtype"] != pname("Widget") || !c.changed[u] {
			ok = false
		}
	}
	if ok {
		c.add(Change{Kind: KindSignatureFilled, Object: n, Allowed: true, Detail: fmt.Sprintf("the appearance stream %d of a field being filled was replaced", n)})
		return
	}
	c.add(Change{Kind: KindAppearanceShared, Object: n, Detail: fmt.Sprintf("the form XObject %d, used elsewhere in the document, was replaced", n)})
}

func (c *classifier) array(n int, oa, na parray) {
	if c.dss[n] {
		c.add(Change{Kind: KindDSS, Object: n, Allowed: true, Detail: "validation data (DSS) was updated"})
		return
	}
	c.additions(n, "array", oa, na)
}

// referrers lists the objects of s that refer to object n.
func referrers(s *state, n int) []int {
	var out []int
	for m, e := range s.entries {
		if e.kind == 0 || m == n {
			continue
		}
		v, err := s.get(m)
		if err != nil {
			continue
		}
		if refersTo(v, n, 0) {
			out = append(out, m)
		}
	}
	sort.Ints(out)
	return out
}

func refersTo(v any, n, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch x := v.(type) {
	case pref:
		return x.num == n
	case pdict:
		for _, w := range x {
			if refersTo(w, n, depth+1) {
				return true
			}
		}
	case parray:
		for _, w := range x {
			if refersTo(w, n, depth+1) {
				return true
			}
		}
	case *pstream:
		return refersTo(x.dict, n, depth+1)
	}
	return false
}

// collectRefs gathers the objects reachable from v (the DSS), a few levels
// deep.
func collectRefs(s *state, v any, into map[int]bool, depth int) {
	if depth > 4 {
		return
	}
	switch x := v.(type) {
	case pref:
		if into[x.num] {
			return
		}
		into[x.num] = true
		w, _ := s.get(x.num)
		if _, ok := w.(*pstream); ok {
			return // certificates, CRLs, OCSP responses
		}
		collectRefs(s, w, into, depth+1)
	case pdict:
		for _, w := range x {
			collectRefs(s, w, into, depth+1)
		}
	case parray:
		for _, w := range x {
			collectRefs(s, w, into, depth+1)
		}
	}
}

func asDict(v any) pdict {
	switch x := v.(type) {
	case pdict:
		return x
	case *pstream:
		return x.dict
	}
	return nil
}

func isArray(v any) bool { _, ok := v.(parray); return ok }

func asArray(v any) parray { a, _ := v.(parray); return a }

func refNum(v any) int { r, _ := v.(pref); return r.num }

func unionKeys(a, b pdict) []string {
	var ks []string
	for k := range a {
		ks = append(ks, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

func keysDiff(a, b pdict) string {
	var ks []string
	for _, k := range unionKeys(a, b) {
		if !equalObj(a[k], b[k]) {
			ks = append(ks, "/"+k)
		}
	}
	if len(ks) == 0 {
		return ""
	}
	return fmt.Sprintf(" (%v)", ks)
}
