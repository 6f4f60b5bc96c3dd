package pdfv

import "fmt"

// Changes to fields, widgets, annotations and appearances that existed
// when the document was signed.

// field judges a modified form field or widget.
func (c *classifier) field(n, page int, od, nd pdict) {
	sig := c.old.isSigField(od)
	signing := false // this update gives the field a signature that verifies
	if sig && od["V"] == nil && nd["V"] != nil && c.verified[refNum(nd["V"])] {
		signing = c.fillOK() || c.isTimestamp(nd["V"])
	}
	filled := !sig && c.valueChanged(od, nd)
	for _, k := range unionKeys(od, nd) {
		if equalObj(od[k], nd[k]) {
			continue
		}
		switch {
		case sig && k == "V":
			switch {
			case od["V"] != nil:
				c.add(Change{Kind: KindSigRewritten, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("the value of signature field %d was replaced", n)})
			case !c.verified[refNum(nd["V"])]:
				c.add(Change{Kind: KindUnverifiedSig, Object: n, Page: page, Why: WhyUnverified, Detail: fmt.Sprintf("signature field %d was given a value that is not a signature that verifies", n)})
			default:
				kind := KindSignatureFilled
				if c.isTimestamp(nd["V"]) {
					kind = KindTimestampAdded
				}
				c.add(Change{Kind: kind, Object: n, Page: page, Allowed: signing, Why: c.why(signing, WhySignature), Detail: fmt.Sprintf("signature field %d was signed", n)})
				if signing {
					c.filled[n] = true
					c.accept(nd["V"])
				}
			}
		case sig && (k == "AP" || k == "AS" || k == "F" || k == "MK" || k == "DA" || k == "Lock" || k == "SV" || k == "P"):
			switch {
			case signing:
				c.accept(nd[k]) // the appearance and flags of a signature being applied
			case od["V"] == nil:
				c.add(Change{Kind: KindUnsignedField, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("signature field %d, still without a signature, changed /%s", n, k)})
			default:
				c.add(Change{Kind: KindAppearanceOnly, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("the signed field %d changed /%s", n, k)})
			}
		case !sig && k == "V":
			ok := c.fillOK()
			ch := Change{Kind: KindFormFilled, Object: n, Page: page, Allowed: ok, Why: c.why(ok, WhyFormFilling), Detail: fmt.Sprintf("form field %d was filled in", n)}
			if ok {
				c.filled[n] = true
				c.accept(nd[k])
				if c.covers(nd, page) {
					ch.Allowed, ch.Why = false, WhyCovers
				}
			}
			c.add(ch)
		case !sig && (k == "AP" || k == "AS" || k == "MK"):
			if filled && c.fillOK() {
				c.filled[n] = true
				c.accept(nd[k])
				ch := Change{Kind: KindFormFilled, Object: n, Page: page, Allowed: true, Why: WhyFormFilling, Detail: fmt.Sprintf("the appearance of form field %d follows its new value", n)}
				if c.covers(nd, page) {
					ch.Allowed, ch.Why = false, WhyCovers
				}
				c.add(ch)
				continue
			}
			why := WhyShown
			if c.p == 1 {
				why = WhyNoChanges
			}
			c.add(Change{Kind: KindAppearanceOnly, Object: n, Page: page, Why: why, Detail: fmt.Sprintf("form field %d changed /%s while its value did not change", n, k)})
		case k == "Ff" && locked(od[k], nd[k]):
			c.add(Change{Kind: KindFieldLocked, Object: n, Page: page, Allowed: true, Why: WhyNotShown, Detail: fmt.Sprintf("form field %d was made read-only", n)})
		case k == "Kids":
			c.additions(n, page, "form fields", c.old.resolve(od[k]), c.new.resolve(nd[k]))
		default:
			c.add(Change{Kind: KindObject, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("form field %d: /%s changed", n, k)})
		}
	}
}

// valueChanged reports whether the value of the field (or of the field a
// widget belongs to) changed in this update.
func (c *classifier) valueChanged(od, nd pdict) bool {
	for i := 0; od != nil && nd != nil && i < 16; i++ {
		if !equalObj(od["V"], nd["V"]) {
			return true
		}
		od, nd = c.old.dict(od["Parent"]), c.new.dict(nd["Parent"])
	}
	return false
}

// covers reports whether a filled widget covers a large part of its page
// (an eighth or more): what it shows may hide the content that was signed
// (the shadow attacks' "hide"), which no analysis of objects can rule out.
func (c *classifier) covers(d pdict, page int) bool {
	r, ok := c.new.rectOf(d["Rect"])
	if !ok || page < 1 || page > len(c.ro.pages) {
		return false
	}
	pg := c.old.dict(pref{c.ro.pages[page-1], 0})
	mb, ok := c.old.rectOf(pg["MediaBox"])
	if !ok {
		mb = [4]float64{0, 0, 612, 792}
	}
	return (r[2]-r[0])*(r[3]-r[1])*8 >= (mb[2]-mb[0])*(mb[3]-mb[1])
}

// annotation judges an annotation (not a widget) that existed when signed.
func (c *classifier) annotation(n, page int, od, nd pdict) {
	osub, _ := od["Subtype"].(pname)
	nsub, _ := nd["Subtype"].(pname)
	if (osub == "Text" || osub == "Popup") && osub == nsub {
		c.comment(n, page, nd, "modified")
		return
	}
	c.add(Change{Kind: KindAnnotation, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("annotation %d was modified%s", n, keysDiff(od, nd))})
}

// appearance allows a changed appearance object only with the field or
// widget it belongs to being filled or signed in this update, and only
// when nothing else used it when signed.
func (c *classifier) appearance(n, page int) {
	owner := c.ro.owner[n]
	shared := c.ro.of[n]&^(roleAppearance) != 0
	if c.filled[owner] && !shared {
		nv, _ := c.new.get(n)
		c.accept(nv)
		c.add(Change{Kind: KindFormFilled, Object: n, Page: page, Allowed: true, Why: WhyFormFilling, Detail: fmt.Sprintf("the appearance stream %d of field %d, filled in, was replaced", n, owner)})
		return
	}
	ch := Change{Kind: KindAppearanceShared, Object: n, Page: page, Why: WhyShown, Detail: fmt.Sprintf("the appearance object %d was replaced", n)}
	if !shared {
		ch.Kind = KindAppearanceOnly
		ch.Detail = fmt.Sprintf("the appearance object %d of annotation %d was replaced while its value did not change", n, owner)
	}
	c.add(ch)
}

// locked: the field flags gained ReadOnly (bit 1) and nothing else.
func locked(o, n any) bool {
	of, _ := o.(int64)
	nf, ok := n.(int64)
	return ok && nf == of|1 && nf != of
}
