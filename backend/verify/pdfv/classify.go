package pdfv

import (
	"fmt"
	"sort"
)

// The classifier judges each object that differs between the signed
// revision (old) and the final one (new) by its roles in the old graph;
// objects new to the graph are judged where an old object starts pointing
// at them, and whatever the final revision shows that nothing judged is a
// change too.
type classifier struct {
	old, new *state
	add      func(Change)
	p        int          // DocMDP level, 0 = none (approval signatures allow form filling)
	verified map[int]bool // signature dictionaries whose integrity verifies

	ro        *roles
	changed   map[int]bool
	explained map[int]bool // new objects an allowed change brought in
	filled    map[int]bool // widgets filled in or signed in this update
	refused   bool         // a change was found not allowed
}

// rolePriority: an object with several roles is judged by the strictest.
var rolePriority = []role{roleContent, roleSigValue, rolePageTree, rolePage, roleAnnots, roleFields, roleCatalog,
	roleForm, roleFormRes, roleWidget, roleAnnot, roleAppearance, roleOther, roleExtensions, roleDSS, roleMetadata, roleInfo}

func (c *classifier) annotsOK() bool { return c.p == 0 || c.p == 3 }
func (c *classifier) fillOK() bool   { return c.p != 1 }

func (c *classifier) why(allowed bool, ok string) string {
	if allowed {
		return ok
	}
	if c.p == 1 {
		return WhyNoChanges
	}
	return WhyNotPermitted
}

func (c *classifier) run(updates []*section) {
	add := c.add
	c.add = func(x Change) {
		if !x.Allowed {
			c.refused = true
		}
		add(x)
	}
	c.ro = rolesOf(c.old)
	c.changed = map[int]bool{}
	c.explained = map[int]bool{}
	c.filled = map[int]bool{}
	var cands []int
	if c.old.repaired || c.new.repaired || updates == nil {
		for n, e := range c.new.entries {
			if o, ok := c.old.entries[n]; !ok || o != e {
				cands = append(cands, n)
			}
		}
		for n, e := range c.old.entries {
			if _, ok := c.new.entries[n]; !ok && e.kind != 0 {
				cands = append(cands, n)
			}
		}
	} else {
		for _, u := range updates {
			for n := range u.entries {
				cands = append(cands, n)
			}
		}
	}
	sort.Ints(cands)
	var nums []int
	for i, n := range cands {
		if i > 0 && cands[i-1] == n {
			continue
		}
		ov, err1 := c.old.get(n)
		nv, err2 := c.new.get(n)
		if err1 == nil && err2 == nil && c.same(ov, nv) {
			continue
		}
		c.changed[n] = true
		nums = append(nums, n)
	}

	// Pages added or removed.
	op, err1 := c.old.pageCount()
	np, err2 := c.new.pageCount()
	switch {
	case err1 != nil || err2 != nil:
		c.add(Change{Kind: KindUnreadable, Why: WhyUnreadable, Detail: "the page tree cannot be read"})
	case op != np:
		c.add(Change{Kind: KindPages, Why: WhyShown, Detail: fmt.Sprintf("the document had %d pages when signed and has %d now", op, np)})
	}
	// The trailer: a new catalog, information dictionary or encryption.
	oldRoot, _ := c.old.trailer["Root"].(pref)
	newRoot, _ := c.new.trailer["Root"].(pref)
	if oldRoot.num != newRoot.num {
		c.explained[newRoot.num] = true
		c.catalog(oldRoot.num, c.old.root(), c.new.root())
	}
	if !equalObj(c.old.trailer["Encrypt"], c.new.trailer["Encrypt"]) {
		c.add(Change{Kind: KindObject, Why: WhyShown, Detail: "the encryption dictionary changed"})
	}
	if oi, ni := c.old.trailer["Info"], c.new.trailer["Info"]; !equalObj(oi, ni) && ni != nil {
		c.info(refNum(ni), c.new.resolve(ni))
	}

	// Appearances last: they are allowed with the widget that uses them.
	var later []int
	for _, n := range nums {
		ro := c.ro.of[n]
		if ro == 0 {
			continue // new to the graph: judged where something points at it
		}
		if c.strongest(ro) == roleAppearance {
			later = append(later, n)
			continue
		}
		c.object(n, ro)
	}
	for _, n := range later {
		c.object(n, c.ro.of[n])
	}
	c.unexplained()
}

func (c *classifier) strongest(ro role) role {
	for _, r := range rolePriority {
		if ro&r != 0 {
			return r
		}
	}
	return 0
}

// same compares two versions of an object, stream data included.
func (c *classifier) same(a, b any) bool {
	if !equalObj(a, b) {
		return false
	}
	sa, ok1 := a.(*pstream)
	sb, ok2 := b.(*pstream)
	if ok1 && ok2 {
		if sa.start == sb.start {
			return true
		}
		da, err1 := c.old.d.raw(sa, c.old)
		db, err2 := c.new.d.raw(sb, c.new)
		return err1 == nil && err2 == nil && string(da) == string(db)
	}
	return true
}

func (c *classifier) object(n int, ro role) {
	ov, err1 := c.old.get(n)
	nv, err2 := c.new.get(n)
	page := c.ro.page[n]
	if err1 != nil || err2 != nil {
		c.add(Change{Kind: KindUnreadable, Object: n, Page: page, Why: WhyUnreadable, Detail: fmt.Sprintf("object %d cannot be read", n)})
		return
	}
	if nv == nil && ov != nil {
		c.add(Change{Kind: KindDeleted, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("object %d was removed", n)})
		return
	}
	od, nd := asDict(ov), asDict(nv)
	switch c.strongest(ro) {
	case roleContent:
		c.add(Change{Kind: KindPage, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("object %d, part of a page's content or resources when signed, was modified", n)})
	case roleSigValue:
		c.add(Change{Kind: KindSigRewritten, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("the signature dictionary %d was rewritten%s", n, keysDiff(od, nd))})
	case rolePageTree:
		if !equalObj(od["Kids"], nd["Kids"]) || !equalObj(od["Count"], nd["Count"]) {
			c.add(Change{Kind: KindPages, Object: n, Why: WhyShown, Detail: fmt.Sprintf("the page tree node %d changed", n)})
		} else {
			c.add(Change{Kind: KindPage, Object: n, Why: WhyShown, Detail: fmt.Sprintf("inherited page attributes in %d changed%s", n, keysDiff(od, nd))})
		}
	case rolePage:
		c.page(n, page, od, nd)
	case roleAnnots:
		c.additions(n, page, "annotations", ov, nv)
	case roleFields:
		c.additions(n, page, "form fields", ov, nv)
	case roleCatalog:
		c.catalog(n, od, nd)
	case roleForm:
		c.acroForm(n, od, nd)
	case roleFormRes:
		c.resources(n, ov, nv)
	case roleWidget:
		c.field(n, page, od, nd)
	case roleAnnot:
		c.annotation(n, page, od, nd)
	case roleAppearance:
		c.appearance(n, page)
	case roleDSS:
		ok := nd != nil || isArray(nv)
		if ok {
			c.accept(nv)
		}
		c.add(Change{Kind: KindDSS, Object: n, Allowed: ok, Why: pick(ok, WhyValidation, WhyNotPermitted), Detail: "validation data (DSS) was updated"})
	case roleMetadata:
		_, ok := nv.(*pstream)
		c.add(Change{Kind: KindMetadata, Object: n, Allowed: ok, Why: pick(ok, WhyDescriptive, WhyNotPermitted), Detail: "the XMP metadata was updated"})
	case roleInfo:
		c.info(n, nv)
	case roleExtensions:
		c.extensions(n, nv)
	default:
		c.add(Change{Kind: KindObject, Object: n, Page: page, Why: WhyNotPermitted, Detail: fmt.Sprintf("object %d was modified%s", n, keysDiff(od, nd))})
	}
}

func pick(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

// info allows a document information dictionary of plain values.
func (c *classifier) info(n int, v any) {
	d, ok := v.(pdict)
	for _, x := range d {
		switch x.(type) {
		case pref, pdict, parray:
			ok = false
		}
	}
	if ok && c.ro.of[n]&^roleInfo == 0 {
		c.explained[n] = true
	} else {
		ok = false
	}
	c.add(Change{Kind: KindInfo, Object: n, Allowed: ok, Why: pick(ok, WhyDescriptive, WhyNotPermitted), Detail: "the document information (title, dates, producer) was updated"})
}

// extensions allows developer-extension declarations: dictionaries of
// plain values (ISO 32000-2 §7.12), which change nothing shown.
func (c *classifier) extensions(n int, v any) {
	ok := c.plainDecl(v, 0)
	if ok {
		c.accept(v)
	}
	c.add(Change{Kind: KindCatalog, Object: n, Allowed: ok, Why: pick(ok, WhyDescriptive, WhyNotPermitted), Detail: "the PDF version or extension declarations were updated"})
}

// plainDecl: dictionaries and arrays of names, numbers and strings, or
// references to new objects of the same.
func (c *classifier) plainDecl(v any, depth int) bool {
	if depth > 4 {
		return false
	}
	switch x := v.(type) {
	case pref:
		if c.ro.of[x.num]&^roleExtensions != 0 {
			return false
		}
		return c.plainDecl(c.new.resolve(x), depth+1)
	case pdict:
		for _, w := range x {
			if !c.plainDecl(w, depth+1) {
				return false
			}
		}
	case parray:
		for _, w := range x {
			if !c.plainDecl(w, depth+1) {
				return false
			}
		}
	case *pstream:
		return false
	}
	return true
}

// unexplained names what the final revision shows that is new and that no
// allowed change brought in (only when nothing else is wrong: it would
// repeat a disallowed change).
func (c *classifier) unexplained() {
	if c.refused {
		return
	}
	nr := rolesOf(c.new)
	var miss []int
	for n := range nr.of {
		if c.changed[n] && c.ro.of[n] == 0 && !c.explained[n] {
			miss = append(miss, n)
		}
	}
	sort.Ints(miss)
	for _, n := range miss {
		c.add(Change{Kind: KindObject, Object: n, Page: nr.page[n], Why: WhyNotPermitted, Detail: fmt.Sprintf("object %d is part of the document now and no permitted change explains it", n)})
	}
}

// accept marks the new objects v reaches as brought in by an allowed change.
func (c *classifier) accept(v any) {
	var rec func(v any, depth int)
	rec = func(v any, depth int) {
		if depth > maxDepth || len(c.explained) > maxObjects {
			return
		}
		switch x := v.(type) {
		case pref:
			if c.explained[x.num] || c.ro.of[x.num] != 0 {
				return // already seen, or judged by its own role
			}
			c.explained[x.num] = true
			rec(c.new.resolve(x), depth+1)
		case pdict:
			for k, w := range x {
				if k != "P" && k != "Parent" {
					rec(w, depth+1)
				}
			}
		case parray:
			for _, w := range x {
				rec(w, depth+1)
			}
		case *pstream:
			rec(x.dict, depth+1)
		}
	}
	rec(v, 0)
}

// explain marks a new object (a new array of annotations or fields, a new
// resources dictionary) whose contents are judged on their own.
func (c *classifier) explain(v any) {
	if r, ok := v.(pref); ok && c.ro.of[r.num] == 0 {
		c.explained[r.num] = true
	}
}

// keysDiff names the keys whose values differ.
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
