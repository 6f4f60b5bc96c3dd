package consent

import (
	"strings"

	"github.com/shomei-app/shomei/backend/i18n"
)

// The render model follows the guidance on the consent screen (seed 004, I):
// a screen of its own made of a title, a summary and the agree and disagree
// buttons, shown whole; right under it a link, worded as the details and
// supplementary explanation of the consent, that opens the full details
// (seed 004, II). The business's own text is shown as supplied; Shomei's
// labels follow the interface language.

// Button is one of the screen's two answers.
type Button struct {
	Action string `json:"action"` // "agree" or "disagree"
	Label  string `json:"label"`
}

// ItemView is one item of information to be provided, with the guidance's
// notes on what it includes.
type ItemView struct {
	Key   string   `json:"key"`
	Label string   `json:"label"`
	Notes []string `json:"notes,omitempty"`
}

// Screen is the consent screen, in display order: who and what, the title,
// the summary, the items, the two buttons, then the details link.
type Screen struct {
	Service     string     `json:"service"`
	Business    string     `json:"business"`
	Title       string     `json:"title"`
	Summary     []string   `json:"summary"`
	Items       []ItemView `json:"items"`
	Buttons     [2]Button  `json:"buttons"` // agree first, then disagree
	DetailsLink string     `json:"details_link"`
}

// SectionView is one numbered section of the details.
type SectionView struct {
	Number   int      `json:"number"`
	Kind     string   `json:"kind"`
	Required bool     `json:"required"`
	Heading  string   `json:"heading"`
	Text     []string `json:"text,omitempty"`
	List     []string `json:"list,omitempty"` // purposes, contact lines
}

// Details is the full text behind the link.
type Details struct {
	Heading  string        `json:"heading"`
	Sections []SectionView `json:"sections"`
}

// View is what a screen or the CLI shows for a document.
type View struct {
	Lang           i18n.Lang `json:"lang"`
	DocumentSHA256 string    `json:"document_sha256"`
	Screen         Screen    `json:"screen"`
	Details        Details   `json:"details"`
}

// Render builds the view of a valid document in lang. Sections come in the
// guidance's order whatever the document's order, numbered from 1.
func Render(p *Parsed, lang i18n.Lang) View {
	d := p.Doc
	v := View{Lang: lang, DocumentSHA256: p.SHA256}
	v.Screen = Screen{
		Service:  d.Service.Name,
		Business: d.Business.Name,
		Title:    d.Title,
		Summary:  nonBlank(d.Summary),
		Buttons: [2]Button{
			{Action: string(Agree), Label: i18n.T(lang, "consent.button.agree")},
			{Action: string(Disagree), Label: i18n.T(lang, "consent.button.disagree")},
		},
		DetailsLink: i18n.T(lang, "consent.details.link"),
	}
	for _, it := range d.Items {
		iv := ItemView{Key: it, Label: i18n.T(lang, "consent.item."+it)}
		// What the items include (seed 004, I, notes ※1 and ※2).
		switch it {
		case "name":
			iv.Notes = []string{i18n.T(lang, "consent.item.name.former"), i18n.T(lang, "consent.item.name.kana")}
		case "address":
			iv.Notes = []string{i18n.T(lang, "consent.item.address.abroad")}
		}
		v.Screen.Items = append(v.Screen.Items, iv)
	}

	given := map[string]Section{}
	for _, s := range d.Details {
		given[s.Kind] = s
	}
	v.Details.Heading = i18n.T(lang, "consent.details.link")
	n := 0
	for _, k := range Kinds {
		s, ok := given[k.Name]
		if !ok && !k.Built {
			continue
		}
		n++
		sv := SectionView{Number: n, Kind: k.Name, Required: k.Required, Heading: s.Heading, Text: nonBlank(s.Text)}
		if sv.Heading == "" {
			sv.Heading = i18n.T(lang, "consent.section."+k.Name)
		}
		switch k.Name {
		case "purposes":
			sv.List = nonBlank(d.Purposes)
		case "contact":
			c := d.Contact
			sv.List = nonBlank([]string{c.Name, c.Address, c.Phone, c.URL, c.Email})
		}
		v.Details.Sections = append(v.Details.Sections, sv)
	}
	return v
}

func nonBlank(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
