package pdfv

// Roles: what each object number does in the SIGNED revision's object
// graph, found by walking it from the trailer. A change is judged by these
// roles, never by what the new revision says an object is (its /Type, an
// /FT, a /DSS listing, the trailer's /Info): an object that a page's content
// reached when signed is content whatever it claims to be now. A number
// referenced when signed but free then (an array slot pointing nowhere)
// carries the role of the place that refers to it.

type role uint32

const (
	roleContent    role = 1 << iota // page content, resources, and all they reach
	roleSigValue                    // a signature dictionary (a field's /V, /Perms)
	rolePageTree                    // an intermediate /Pages node
	rolePage                        // a page dictionary
	roleAnnots                      // a page's /Annots array
	roleFields                      // the form's /Fields or a field's /Kids array
	roleCatalog                     // the document catalog
	roleForm                        // the /AcroForm dictionary
	roleFormRes                     // the form's default resources (/DR) and what they reach
	roleWidget                      // a form field or widget annotation
	roleAnnot                       // another annotation
	roleAppearance                  // an annotation's appearance (/AP) and what it reaches
	roleOther                       // anything else the catalog reaches
	roleExtensions                  // the catalog's developer extensions (/Extensions)
	roleDSS                         // validation data
	roleMetadata                    // the catalog's XMP metadata stream
	roleInfo                        // the trailer's document information dictionary
)

// roles of one revision.
type roles struct {
	s     *state
	of    map[int]role
	page  map[int]int // object -> the first page (1-based) it was met on
	owner map[int]int // appearance object -> its annotation
	pages []int       // page objects in page-tree order
	seen  map[[2]int]bool
}

// maxRoleVisits bounds the walk (an attacker chooses the graph's size).
const maxRoleVisits = 4 * maxObjects

func rolesOf(s *state) *roles {
	r := &roles{s: s, of: map[int]role{}, page: map[int]int{}, owner: map[int]int{}, seen: map[[2]int]bool{}}
	tr := s.trailer
	r.mark(tr["Root"], roleCatalog, 0, 0)
	if info, ok := tr["Info"].(pref); ok {
		r.of[info.num] |= roleInfo
		// The information dictionary's own values: anything it points at
		// is something else.
		for _, v := range asDict(s.resolve(info)) {
			r.mark(v, roleOther, 0, 0)
		}
	}
	r.mark(tr["Encrypt"], roleOther, 0, 0)
	return r
}

// mark gives v (and what it reaches, by the rules of role ro) the role ro.
// page is the page met on the way, owner the annotation.
func (r *roles) mark(v any, ro role, page, owner int) {
	if len(r.seen) > maxRoleVisits {
		return
	}
	if ref, ok := v.(pref); ok {
		r.of[ref.num] |= ro
		if page > 0 && r.page[ref.num] == 0 {
			r.page[ref.num] = page
		}
		if ro == roleAppearance && owner > 0 && r.owner[ref.num] == 0 {
			r.owner[ref.num] = owner
		}
		k := [2]int{ref.num, int(ro)}
		if r.seen[k] {
			return
		}
		r.seen[k] = true
		if ro == rolePage && page == 0 {
			r.pages = append(r.pages, ref.num)
			page = len(r.pages)
			r.page[ref.num] = page
		}
		if ro == roleAnnot || ro == roleWidget {
			owner = ref.num
		}
		v = r.s.resolve(ref)
	}
	switch ro {
	case roleCatalog:
		r.catalog(asDict(v))
	case rolePageTree:
		d := asDict(v)
		if d == nil {
			return
		}
		if d["Type"] == pname("Page") || d["Kids"] == nil {
			r.page1(d, page)
			return
		}
		for k, x := range d {
			switch k {
			case "Kids":
				kids := r.s.resolve(x)
				r.markRef(x, rolePageTree, 0, 0)
				for _, kid := range asArray(kids) {
					if kr, ok := kid.(pref); ok {
						if kd := r.s.dict(kr); kd != nil && (kd["Type"] == pname("Page") || kd["Kids"] == nil) {
							r.mark(kr, rolePage, 0, 0)
							continue
						}
					}
					r.mark(kid, rolePageTree, 0, 0)
				}
			case "Parent":
			default: // inherited attributes: resources and the like
				r.mark(x, roleContent, page, 0)
			}
		}
	case rolePage:
		r.page1(asDict(v), page)
	case roleAnnot, roleWidget:
		r.annot(asDict(v), ro, page, owner)
	case roleForm:
		r.form(asDict(v))
	case roleFields:
		for _, x := range asArray(v) {
			r.mark(x, roleWidget, 0, 0)
		}
	case roleSigValue:
		// The signature dictionary and its own values; its references'
		// /Data point back at the catalog, not into the signature.
		for k, x := range asDict(v) {
			if k == "ByteRange" || k == "Contents" {
				r.markRef(x, roleSigValue, page, 0)
			}
		}
	default:
		r.walk(v, ro, page, owner)
	}
}

func (r *roles) markRef(v any, ro role, page, owner int) {
	if ref, ok := v.(pref); ok {
		r.of[ref.num] |= ro
		if page > 0 && r.page[ref.num] == 0 {
			r.page[ref.num] = page
		}
	}
}

// walk gives every reference inside v the role ro.
func (r *roles) walk(v any, ro role, page, owner int) {
	var rec func(v any, depth int)
	rec = func(v any, depth int) {
		if depth > maxDepth {
			return
		}
		switch x := v.(type) {
		case pref:
			r.mark(x, ro, page, owner)
		case pdict:
			for k, w := range x {
				if k != "P" && k != "Parent" { // back-pointers
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
	if ref, ok := v.(pref); ok {
		v = r.s.resolve(ref)
	}
	rec(v, 0)
}

func (r *roles) catalog(d pdict) {
	for k, x := range d {
		switch k {
		case "Pages":
			r.mark(x, rolePageTree, 0, 0)
		case "AcroForm":
			r.mark(x, roleForm, 0, 0)
		case "DSS":
			r.mark(x, roleDSS, 0, 0)
		case "Metadata":
			if ref, ok := x.(pref); ok {
				r.of[ref.num] |= roleMetadata
			}
		case "Perms":
			r.markRef(x, roleOther, 0, 0)
			for _, y := range asDict(r.s.resolve(x)) {
				r.mark(y, roleSigValue, 0, 0)
			}
		case "Extensions":
			r.mark(x, roleExtensions, 0, 0)
		case "OCProperties":
			// Optional content decides what a page shows.
			r.mark(x, roleContent, 0, 0)
		default:
			r.mark(x, roleOther, 0, 0)
		}
	}
}

func (r *roles) page1(d pdict, page int) {
	for k, x := range d {
		switch k {
		case "Parent":
		case "Annots":
			r.markRef(x, roleAnnots, page, 0)
			for _, a := range asArray(r.s.resolve(x)) {
				ro := roleAnnot
				if ad := r.s.dict(a); ad != nil && ad["Subtype"] == pname("Widget") {
					ro = roleWidget
				}
				r.mark(a, ro, page, 0)
			}
		default: // contents, resources, and everything else a page holds
			r.mark(x, roleContent, page, 0)
		}
	}
}

func (r *roles) annot(d pdict, ro role, page, owner int) {
	if p, ok := d["P"].(pref); ok && page == 0 {
		if n := r.page[p.num]; n > 0 {
			page = n
		}
	}
	for k, x := range d {
		switch k {
		case "P":
		case "Parent":
			r.mark(x, roleWidget, page, 0)
		case "Kids":
			r.markRef(x, roleFields, page, 0)
			for _, kid := range asArray(r.s.resolve(x)) {
				r.mark(kid, roleWidget, page, 0)
			}
		case "AP":
			r.mark(x, roleAppearance, page, owner)
		case "Popup", "IRT":
			r.mark(x, roleAnnot, page, 0)
		case "V":
			if r.s.isSigField(d) {
				r.mark(x, roleSigValue, page, 0)
			} else {
				r.mark(x, ro, page, owner)
			}
		case "DR":
			r.mark(x, roleFormRes, page, 0)
		default:
			r.mark(x, ro, page, owner)
		}
	}
}

func (r *roles) form(d pdict) {
	for k, x := range d {
		switch k {
		case "Fields":
			r.mark(x, roleFields, 0, 0)
		case "DR":
			r.mark(x, roleFormRes, 0, 0)
		case "XFA":
			r.mark(x, roleContent, 0, 0) // an XFA form is drawn instead of the pages
		default:
			r.mark(x, roleOther, 0, 0)
		}
	}
}

// inherited is a field's key, from the field or the nearest parent.
func (s *state) inherited(d pdict, k string) any {
	for i := 0; d != nil && i < 16; i++ {
		if v, ok := d[k]; ok {
			return v
		}
		d = s.dict(d["Parent"])
	}
	return nil
}

// isSigField reports whether field d (or its parents) has /FT /Sig.
func (s *state) isSigField(d pdict) bool {
	for i := 0; d != nil && i < 16; i++ {
		if ft, ok := d["FT"].(pname); ok {
			return ft == "Sig"
		}
		d = s.dict(d["Parent"])
	}
	return false
}
