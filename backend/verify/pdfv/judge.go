package pdfv

import (
	"fmt"
	"slices"
)

// The judgements of the structural objects: catalog, form, pages, their
// arrays of fields and annotations, fields, annotations and appearances.

// catalog compares the document catalog; only a few entries may change.
func (c *classifier) catalog(n int, od, nd pdict) {
	if od == nil || nd == nil {
		c.add(Change{Kind: KindUnreadable, Object: n, Why: WhyUnreadable, Detail: "the document catalog cannot be read"})
		return
	}
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		switch k {
		case "DSS":
			ok := c.dssShape(nd[k], 0)
			if ok {
				c.accept(nd[k])
			}
			c.add(Change{Kind: KindDSS, Object: n, Allowed: ok, Why: pick(ok, WhyValidation, WhyNotPermitted), Detail: "validation data (DSS) was added"})
		case "Version":
			c.add(Change{Kind: KindCatalog, Object: n, Allowed: true, Why: WhyDescriptive, Detail: "the PDF version declaration was updated"})
		case "Extensions":
			if r, ok := nd[k].(pref); ok && r == od[k] {
				continue // judged on its own
			}
			c.extensions(n, nd[k])
		case "Metadata":
			_, ok := c.new.resolve(nd[k]).(*pstream)
			ok = ok && c.ro.of[refNum(nd[k])]&^roleMetadata == 0
			if ok {
				c.accept(nd[k])
			}
			c.add(Change{Kind: KindMetadata, Object: n, Allowed: ok, Why: pick(ok, WhyDescriptive, WhyNotPermitted), Detail: "the XMP metadata was replaced"})
		case "AcroForm":
			or, _ := od[k].(pref)
			nr, _ := nd[k].(pref)
			if or.num != 0 && or == nr {
				continue // the form object itself is judged on its own
			}
			c.explained[nr.num] = true
			c.acroForm(n, c.old.dict(od[k]), c.new.dict(nd[k]))
		case "Pages":
			c.add(Change{Kind: KindPages, Object: n, Why: WhyShown, Detail: "the catalog points at another page tree"})
		default:
			c.add(Change{Kind: KindCatalog, Object: n, Why: WhyNotPermitted, Detail: fmt.Sprintf("the catalog entry /%s changed", k)})
		}
	}
}

// dssShape: a DSS holds only arrays of certificate, CRL and OCSP streams,
// and VRI dictionaries of the same (ETSI EN 319 142-1 §5.4); a stream it
// names must be new, or validation data already when signed.
func (c *classifier) dssShape(v any, depth int) bool {
	if depth > 4 {
		return false
	}
	if r, ok := v.(pref); ok && c.ro.of[r.num]&^roleDSS != 0 {
		return false
	}
	d, ok := c.new.resolve(v).(pdict)
	if !ok {
		return false
	}
	for k, x := range d {
		switch k {
		case "Type", "TU":
		case "Certs", "CRLs", "OCSPs", "Cert", "CRL", "OCSP":
			if r, ok := x.(pref); ok && c.ro.of[r.num]&^roleDSS != 0 {
				return false
			}
			for _, e := range asArray(c.new.resolve(x)) {
				r, ok := e.(pref)
				if !ok || c.ro.of[r.num]&^roleDSS != 0 {
					return false
				}
				if _, ok := c.new.resolve(r).(*pstream); !ok {
					return false
				}
			}
		case "TS":
			r, ok := x.(pref)
			if !ok || c.ro.of[r.num]&^roleDSS != 0 {
				return false
			}
		case "VRI":
			if r, ok := x.(pref); ok && c.ro.of[r.num]&^roleDSS != 0 {
				return false
			}
			vri, ok := c.new.resolve(x).(pdict)
			if !ok {
				return false
			}
			for _, e := range vri {
				if !c.dssShape(e, depth+1) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

func (c *classifier) acroForm(n int, od, nd pdict) {
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		switch k {
		case "Fields":
			if r, ok := nd[k].(pref); ok && r == od[k] {
				continue // the array object is judged on its own
			}
			c.explain(nd[k])
			c.additions(n, 0, "form fields", c.old.resolve(od[k]), c.new.resolve(nd[k]))
		case "SigFlags":
			c.add(Change{Kind: KindFormSettings, Object: n, Allowed: true, Why: WhySignature, Detail: "the form's signature flags were set"})
		case "NeedAppearances":
			// True makes viewers redraw every field from its value instead
			// of the appearance that was signed.
			on, _ := c.new.resolve(nd[k]).(bool)
			ok := !on && c.fillOK()
			c.add(Change{Kind: KindFormSettings, Object: n, Allowed: ok, Why: pick(ok, WhyFormFilling, WhyShown), Detail: fmt.Sprintf("the form's /NeedAppearances became %v", on)})
		case "DR":
			ok := c.additive(c.old.resolve(od[k]), c.new.resolve(nd[k]), 0)
			if ok {
				c.explain(nd[k])
			}
			c.add(Change{Kind: KindFormSettings, Object: n, Allowed: ok, Why: pick(ok, WhyFormFilling, WhyShown), Detail: "the form's default resources (/DR) changed"})
		case "DA":
			ok := c.fillOK()
			c.add(Change{Kind: KindFormSettings, Object: n, Allowed: ok, Why: c.why(ok, WhyFormFilling), Detail: "the form's default appearance (/DA) changed"})
		default:
			c.add(Change{Kind: KindCatalog, Object: n, Why: WhyNotPermitted, Detail: fmt.Sprintf("the form's /%s changed", k)})
		}
	}
}

// resources judges a changed default-resources object: entries may be
// added (a font for a new appearance), never changed or removed.
func (c *classifier) resources(n int, ov, nv any) {
	ok := c.additive(ov, nv, 0)
	c.add(Change{Kind: KindFormSettings, Object: n, Allowed: ok, Why: pick(ok, WhyFormFilling, WhyShown), Detail: fmt.Sprintf("the form's default resources (object %d) changed", n)})
}

func (c *classifier) additive(ov, nv any, depth int) bool {
	if depth > 3 {
		return false
	}
	od, nd := asDict(ov), asDict(nv)
	if nd == nil {
		return ov == nil && nv == nil
	}
	for k, x := range nd {
		y, had := od[k]
		switch {
		case !had:
			c.accept(x)
		case equalObj(x, y):
		case depth < 2:
			if !c.additive(c.old.resolve(y), c.new.resolve(x), depth+1) {
				return false
			}
			c.explain(x)
		default:
			return false
		}
	}
	for k := range od {
		if _, ok := nd[k]; !ok {
			return false
		}
	}
	return true
}

func (c *classifier) page(n, page int, od, nd pdict) {
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		if k == "Annots" {
			c.explain(nd[k])
			c.additions(n, page, "annotations", c.old.resolve(od[k]), c.new.resolve(nd[k]))
			continue
		}
		c.add(Change{Kind: KindPage, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("page object %d: /%s changed", n, k)})
	}
}

// additions checks an array (form fields, a page's annotations) that may
// only grow, by what is allowed to be added.
func (c *classifier) additions(n, page int, what string, ov, nv any) {
	oa, na := asArray(ov), asArray(nv)
	if nv != nil && na == nil {
		c.add(Change{Kind: KindObject, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("the %s of %d are no longer an array", what, n)})
		return
	}
	had := map[pref]bool{}
	for _, x := range oa {
		if r, ok := x.(pref); ok {
			had[r] = true
		}
	}
	has := map[pref]bool{}
	for _, x := range na {
		r, ok := x.(pref)
		if ok {
			has[r] = true
			if had[r] {
				continue
			}
		} else if slices.ContainsFunc(oa, func(y any) bool { return equalObj(x, y) }) {
			continue
		}
		c.added(n, page, x, what)
	}
	for r := range had {
		if !has[r] {
			c.add(Change{Kind: KindDeleted, Object: r.num, Page: page, Why: WhyShown, Detail: fmt.Sprintf("object %d was removed from the %s of %d", r.num, what, n)})
		}
	}
}

// added judges a field or annotation that appeared (v: a reference or a
// direct dictionary).
func (c *classifier) added(parent, page int, v any, what string) {
	num := refNum(v)
	d := c.new.dict(v)
	if d == nil {
		c.add(Change{Kind: KindObject, Object: num, Page: page, Why: WhyNotPermitted, Detail: fmt.Sprintf("a missing or invalid object was added to the %s of %d", what, parent)})
		return
	}
	if num != 0 && c.ro.of[num] != 0 {
		c.add(Change{Kind: KindAnnotation, Object: num, Page: page, Why: WhyShown, Detail: fmt.Sprintf("object %d, already part of the document, was added to the %s of %d", num, what, parent)})
		return
	}
	if p := c.ro.page[refNum(d["P"])]; p > 0 && page == 0 {
		page = p
	}
	sub, _ := d["Subtype"].(pname)
	field := d
	if sub == "Widget" && d["Parent"] == nil && d["FT"] == nil {
		// A widget that names no parent, listed as a kid of a field.
		if p := c.parentField(num); p != nil {
			field = p
		}
	}
	switch {
	case c.new.isSigField(field):
		c.sigFieldAdded(num, page, d, c.new.inherited(field, "V"))
	case sub == "Widget" || d["FT"] != nil || d["Kids"] != nil:
		c.add(Change{Kind: KindFieldAdded, Object: num, Page: page, Why: WhyShown, Detail: fmt.Sprintf("form field %d was added", num)})
	case sub == "Text" || sub == "Popup":
		c.comment(num, page, d, "added")
	case sub == "Link" && d["AP"] == nil:
		ok := c.annotsOK()
		if ok {
			c.explained[num] = true
		}
		c.add(Change{Kind: KindLink, Object: num, Page: page, Allowed: ok, Why: pick(ok, WhyCommentPolicy, WhyNoAnnotations), Warn: WarnLink, Detail: fmt.Sprintf("a link (%d) without an appearance was added", num)})
	default:
		c.add(Change{Kind: KindAnnotation, Object: num, Page: page, Why: WhyShown, Detail: fmt.Sprintf("a /%s annotation (%d) was added", sub, num)})
	}
}

// comment judges a sticky note (/Text) or its pop-up: allowed after an
// approval signature or under P=3, with a warning, when it cannot paint
// over the page (a note's icon is small; a pop-up has no appearance).
func (c *classifier) comment(num, page int, d pdict, how string) {
	sub, _ := d["Subtype"].(pname)
	small := true
	if sub == "Popup" {
		small = d["AP"] == nil
	} else if r, ok := c.new.rectOf(d["Rect"]); !ok || r[2]-r[0] > 40 || r[3]-r[1] > 40 {
		small = false
	}
	if p, ok := d["Popup"]; ok {
		pd := c.new.dict(p)
		if pd == nil || pd["Subtype"] != pname("Popup") || pd["AP"] != nil || (refNum(p) != 0 && c.ro.of[refNum(p)] != 0) {
			small = false
		}
	}
	ok := small && c.annotsOK()
	why := WhyCommentPolicy
	switch {
	case !small:
		why = WhyShown
	case !ok:
		why = pick(c.p == 1, WhyNoChanges, WhyNoAnnotations)
	}
	if ok && num != 0 {
		c.explained[num] = true
		c.accept(d)
	}
	c.add(Change{Kind: KindComment, Object: num, Page: page, Allowed: ok, Why: why, Warn: WarnComment, Detail: fmt.Sprintf("a /%s annotation (%d) was %s", sub, num, how)})
}

// sigFieldAdded: a new signature field is allowed when it holds a
// signature that verifies, or when it is empty and shows nothing.
func (c *classifier) sigFieldAdded(num, page int, d pdict, v any) {
	switch {
	case v != nil && c.verified[refNum(v)]:
		ts := c.isTimestamp(v)
		ok := c.fillOK() || ts
		if ok {
			c.explained[num] = true
			c.accept(d)
			c.filled[num] = true
		}
		kind := KindSignatureAdded
		if ts {
			kind = KindTimestampAdded
		}
		c.add(Change{Kind: kind, Object: num, Page: page, Allowed: ok, Why: c.why(ok, WhySignature), Detail: fmt.Sprintf("signature field %d was added with signature %d", num, refNum(v))})
	case v != nil:
		c.add(Change{Kind: KindUnverifiedSig, Object: num, Page: page, Why: WhyUnverified, Detail: fmt.Sprintf("signature field %d was added with a value that is not a signature that verifies", num)})
	case c.shows(d):
		c.add(Change{Kind: KindUnsignedField, Object: num, Page: page, Why: WhyShown, Detail: fmt.Sprintf("signature field %d was added without a signature but with an appearance", num)})
	default:
		ok := c.fillOK()
		if ok {
			c.explained[num] = true
			c.accept(d)
		}
		c.add(Change{Kind: KindEmptySigField, Object: num, Page: page, Allowed: ok, Why: c.why(ok, WhyEmptyField), Detail: fmt.Sprintf("an empty signature field (%d) was added", num)})
	}
}

func (c *classifier) isTimestamp(v any) bool {
	d := c.new.dict(v)
	return d != nil && (d["Type"] == pname("DocTimeStamp") || d["SubFilter"] == pname("ETSI.RFC3161"))
}

// shows reports whether a widget (or any of a field's widgets) can paint:
// an appearance, a rectangle with an area, and not hidden.
func (c *classifier) shows(d pdict) bool {
	widgets := []pdict{d}
	for _, k := range asArray(c.new.resolve(d["Kids"])) {
		widgets = append(widgets, c.new.dict(k))
	}
	for _, w := range widgets {
		if w == nil || w["AP"] == nil {
			continue
		}
		if f, _ := c.new.resolve(w["F"]).(int64); f&2 != 0 {
			continue // hidden
		}
		if r, ok := c.new.rectOf(w["Rect"]); ok && r[2]-r[0] < 0.01 && r[3]-r[1] < 0.01 {
			continue
		}
		return true
	}
	return false
}

// rectOf reads a rectangle, normalised (llx, lly, urx, ury).
func (s *state) rectOf(v any) ([4]float64, bool) {
	var out [4]float64
	a := asArray(s.resolve(v))
	if len(a) != 4 {
		return out, false
	}
	for i, x := range a {
		switch n := s.resolve(x).(type) {
		case int64:
			out[i] = float64(n)
		case float64:
			out[i] = n
		default:
			return out, false
		}
	}
	if out[0] > out[2] {
		out[0], out[2] = out[2], out[0]
	}
	if out[1] > out[3] {
		out[1], out[3] = out[3], out[1]
	}
	return out, true
}

// parentField finds, in the final form's field tree, the field listing
// widget n among its kids (bounded).
func (c *classifier) parentField(n int) pdict {
	var found pdict
	seen := map[int]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if found != nil || depth > 16 || len(seen) > 10000 {
			return
		}
		if r, ok := v.(pref); ok {
			if seen[r.num] {
				return
			}
			seen[r.num] = true
		}
		d := c.new.dict(v)
		for _, k := range asArray(c.new.resolve(d["Kids"])) {
			if refNum(k) == n {
				found = d
				return
			}
			walk(k, depth+1)
		}
	}
	for _, f := range asArray(c.new.resolve(c.new.dict(c.new.root()["AcroForm"])["Fields"])) {
		walk(f, 0)
	}
	return found
}
