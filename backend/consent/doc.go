// Package consent handles consent documents for the provision of a
// person's latest "basic 4 information" (name, address, birth date, sex)
// from J-LIS to a business, as the government's guidance on the consent
// screen describes it (seed 004, summarised in docs/seeds.md): a document
// format the business supplies (JSON), its validation against each rule of
// the guidance, a canonical form (RFC 8785) that is what gets signed, a
// render model (the consent screen and its details), and signing: on
// agreement a CMS SignedData with the card's signing certificate over the
// document, the decision and the time; refusal signs nothing; a withdrawal
// is a signed document that names the consent by hash.
//
// The document format, "shomei-consent/1":
//
//	{
//	  "format": "shomei-consent/1",
//	  "ref": "the business's own reference (optional)",
//	  "service":           {"name": "…", "id": "… (optional)"},
//	  "business":          {"name": "…", "id": "… (optional)"},
//	  "platform_operator": {"name": "…", "id": "… (optional)"},
//	  "title":    "the consent screen's title",
//	  "summary":  ["the screen's summary, one string per paragraph"],
//	  "items":    ["name", "address", "birth_date", "sex", "cert_issue_number"],
//	  "purposes": ["each purpose of use"],
//	  "details":  [{"kind": "provision", "heading": "(optional)", "text": ["paragraph", …]}, …],
//	  "contact":  {"name": "…", "address": "…", "phone": "…", "url": "…", "email": "…"}
//	}
//
// Detail kinds, numbered as in the guidance's example (seed 004, II):
// provision (1, required), onward_provision (2), purposes (3; the list comes
// from "purposes", a section adds prose), disclosure (4, required), records
// (5, required), method (6, required), bundled (7), validity (8, required),
// voluntary (9, required), withdrawal_effect (10, required), service_stop
// (11), inquiry_withdrawal (12, required), client_software (13, required),
// reconsent (14), contact (15; from "contact", a section adds prose).
// Unknown members and kinds are refused, so a typo cannot drop a section.
package consent

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shomei-app/shomei/backend/canonjson"
	"github.com/shomei-app/shomei/backend/i18n"
)

// Format is the format identifier of a consent document.
const Format = "shomei-consent/1"

// MaxSize bounds a consent document.
const MaxSize = 1 << 20

// Document is a consent document as the business supplies it.
type Document struct {
	Format           string    `json:"format"`
	Ref              string    `json:"ref,omitempty"`
	Service          Party     `json:"service"`
	Business         Party     `json:"business"`
	PlatformOperator Party     `json:"platform_operator"`
	Title            string    `json:"title"`
	Summary          []string  `json:"summary"`
	Items            []string  `json:"items"`
	Purposes         []string  `json:"purposes"`
	Details          []Section `json:"details"`
	Contact          Contact   `json:"contact"`
}

// Party names a service, a business or the platform operator.
type Party struct {
	Name string `json:"name"`
	ID   string `json:"id,omitempty"`
}

// Section is one part of the details.
type Section struct {
	Kind    string   `json:"kind"`
	Heading string   `json:"heading,omitempty"`
	Text    []string `json:"text"`
}

// Contact is where the person asks about the provision (seed 004, II-15).
type Contact struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	Phone   string `json:"phone,omitempty"`
	URL     string `json:"url,omitempty"`
	Email   string `json:"email,omitempty"`
}

// Items that may be provided: the basic 4 information and the signing
// certificate's issue number (seed 004, I and II-1).
var Items = []string{"name", "address", "birth_date", "sex", "cert_issue_number"}

// kind describes a detail section of the guidance (seed 004, II).
type kind struct {
	Name     string
	Number   int  // the item number in the guidance's example
	Required bool // 【必須】 in the guidance
	Built    bool // filled from structured fields (purposes, contact): a section only adds prose
}

// Kinds are the detail sections in the guidance's order.
var Kinds = []kind{
	{"provision", 1, true, false},
	{"onward_provision", 2, false, false},
	{"purposes", 3, true, true},
	{"disclosure", 4, true, false},
	{"records", 5, true, false},
	{"method", 6, true, false},
	{"bundled", 7, false, false},
	{"validity", 8, true, false},
	{"voluntary", 9, true, false},
	{"withdrawal_effect", 10, true, false},
	{"service_stop", 11, false, false},
	{"inquiry_withdrawal", 12, true, false},
	{"client_software", 13, true, false},
	{"reconsent", 14, false, false},
	{"contact", 15, true, true},
}

func kindOf(name string) (kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return kind{}, false
}

// Screen limits: the consent screen (title, summary, items, buttons) must be
// shown whole (seed 004, I). Shomei holds the business to a size that fits
// one screen without scrolling; these numbers are Shomei's choice.
const (
	MaxTitle      = 80  // characters
	MaxSummary    = 400 // characters, all paragraphs together
	MaxParagraphs = 4
)

// Rule names one rule a consent document must follow. Messages for each
// live in i18n ("consent.rule.<rule>").
type Rule string

const (
	RuleJSON           Rule = "json"              // well-formed, known members, right types
	RuleFormat         Rule = "format"            // "format": "shomei-consent/1"
	RuleTitle          Rule = "title"             // seed 004, I: a title
	RuleSummary        Rule = "summary"           // seed 004, I: a summary
	RuleScreenSize     Rule = "screen_size"       // seed 004, I: the screen is shown whole
	RuleService        Rule = "service"           // seed 004, II-6: consent is per service
	RuleBusiness       Rule = "business"          // who receives the information
	RuleOperator       Rule = "platform_operator" // seed 004, II-1: the platform operator is named
	RuleItems          Rule = "items"             // seed 004, I: what is provided, per service
	RulePurposes       Rule = "purposes"          // seed 004, II-3
	RuleSectionMissing Rule = "section_missing"   // seed 004, II: every 【必須】 section
	RuleSectionUnknown Rule = "section_unknown"
	RuleSectionTwice   Rule = "section_twice"
	RuleSectionEmpty   Rule = "section_empty"
	RuleOperatorInText Rule = "operator_in_provision" // seed 004, II-1 names the operator in the text
	RuleContact        Rule = "contact"               // seed 004, II-15: a contact point
	RuleText           Rule = "text"                  // no control or bidi-override characters
)

// Problem is one rule a document breaks.
type Problem struct {
	Rule  Rule   `json:"rule"`
	Field string `json:"field"`
	Value string `json:"value,omitempty"` // the offending value when it helps (an unknown kind)
}

// Invalid lists every problem of a document.
type Invalid struct{ Problems []Problem }

func (e *Invalid) Error() string {
	var parts []string
	for _, p := range e.Problems {
		parts = append(parts, string(p.Rule)+" at "+p.Field)
	}
	return "consent document: " + strings.Join(parts, "; ")
}

// Parsed is a valid document with its canonical bytes.
type Parsed struct {
	Doc       Document
	Canonical []byte // RFC 8785 form of the document as supplied
	SHA256    string // hex SHA-256 of Canonical
}

// Parse reads and validates a consent document. Any problem gives an
// *Invalid listing all of them (a JSON error alone when the JSON itself is
// unusable).
func Parse(raw []byte) (*Parsed, error) {
	if len(raw) > MaxSize {
		return nil, &Invalid{[]Problem{{Rule: RuleJSON, Field: "", Value: fmt.Sprintf("larger than %d bytes", MaxSize)}}}
	}
	v, err := canonjson.Parse(raw)
	if err != nil {
		return nil, &Invalid{[]Problem{{Rule: RuleJSON, Value: err.Error()}}}
	}
	canon, err := canonjson.Encode(v)
	if err != nil {
		return nil, &Invalid{[]Problem{{Rule: RuleJSON, Value: err.Error()}}}
	}
	var d Document
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, &Invalid{[]Problem{{Rule: RuleJSON, Value: err.Error()}}}
	}
	if ps := Validate(&d); len(ps) > 0 {
		return nil, &Invalid{ps}
	}
	sum := sha256.Sum256(canon)
	return &Parsed{Doc: d, Canonical: canon, SHA256: hex.EncodeToString(sum[:])}, nil
}

// Validate checks a document against every rule and returns all problems.
func Validate(d *Document) []Problem {
	var ps []Problem
	add := func(r Rule, field, value string) { ps = append(ps, Problem{Rule: r, Field: field, Value: value}) }
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }

	if d.Format != Format {
		add(RuleFormat, "format", d.Format)
	}
	if blank(d.Title) {
		add(RuleTitle, "title", "")
	}
	paragraphs := 0
	for _, s := range d.Summary {
		if !blank(s) {
			paragraphs++
		}
	}
	if paragraphs == 0 {
		add(RuleSummary, "summary", "")
	}
	summaryLen := 0
	for _, s := range d.Summary {
		summaryLen += utf8.RuneCountInString(s)
	}
	if utf8.RuneCountInString(d.Title) > MaxTitle || summaryLen > MaxSummary || len(d.Summary) > MaxParagraphs {
		add(RuleScreenSize, "summary", "")
	}
	if blank(d.Service.Name) {
		add(RuleService, "service.name", "")
	}
	if blank(d.Business.Name) {
		add(RuleBusiness, "business.name", "")
	}
	if blank(d.PlatformOperator.Name) {
		add(RuleOperator, "platform_operator.name", "")
	}
	if len(d.Items) == 0 {
		add(RuleItems, "items", "")
	}
	seenItem := map[string]bool{}
	for i, it := range d.Items {
		known := false
		for _, k := range Items {
			known = known || k == it
		}
		if !known || seenItem[it] {
			add(RuleItems, fmt.Sprintf("items[%d]", i), it)
		}
		seenItem[it] = true
	}
	n := 0
	for i, p := range d.Purposes {
		if blank(p) {
			add(RulePurposes, fmt.Sprintf("purposes[%d]", i), "")
		} else {
			n++
		}
	}
	if n == 0 && len(d.Purposes) == 0 {
		add(RulePurposes, "purposes", "")
	}

	present := map[string]bool{}
	for i, s := range d.Details {
		field := fmt.Sprintf("details[%d]", i)
		k, ok := kindOf(s.Kind)
		switch {
		case !ok:
			add(RuleSectionUnknown, field+".kind", s.Kind)
			continue
		case present[s.Kind]:
			add(RuleSectionTwice, field+".kind", s.Kind)
		}
		present[s.Kind] = true
		empty := true
		for _, t := range s.Text {
			empty = empty && blank(t)
		}
		if empty && !k.Built {
			add(RuleSectionEmpty, field+".text", s.Kind)
		}
		if s.Kind == "provision" && !empty && !blank(d.PlatformOperator.Name) && !strings.Contains(strings.Join(s.Text, "\n"), d.PlatformOperator.Name) {
			add(RuleOperatorInText, field+".text", d.PlatformOperator.Name)
		}
	}
	for _, k := range Kinds {
		if k.Required && !k.Built && !present[k.Name] {
			add(RuleSectionMissing, "details", k.Name)
		}
	}
	c := d.Contact
	if blank(c.Name) || (blank(c.Address) && blank(c.Phone) && blank(c.URL) && blank(c.Email)) {
		add(RuleContact, "contact", "")
	}
	forEachText(d, func(field, s string) {
		if r, bad := unsafeRune(s); bad {
			add(RuleText, field, fmt.Sprintf("U+%04X", r))
		}
	})
	return ps
}

// forEachText visits every string a person will read.
func forEachText(d *Document, f func(field, s string)) {
	f("ref", d.Ref)
	for _, p := range []struct {
		n string
		v Party
	}{{"service", d.Service}, {"business", d.Business}, {"platform_operator", d.PlatformOperator}} {
		f(p.n+".name", p.v.Name)
		f(p.n+".id", p.v.ID)
	}
	f("title", d.Title)
	for i, s := range d.Summary {
		f(fmt.Sprintf("summary[%d]", i), s)
	}
	for i, s := range d.Purposes {
		f(fmt.Sprintf("purposes[%d]", i), s)
	}
	for i, s := range d.Details {
		f(fmt.Sprintf("details[%d].heading", i), s.Heading)
		for j, t := range s.Text {
			f(fmt.Sprintf("details[%d].text[%d]", i, j), t)
		}
	}
	c := d.Contact
	for _, x := range []struct{ n, v string }{{"name", c.Name}, {"address", c.Address}, {"phone", c.Phone}, {"url", c.URL}, {"email", c.Email}} {
		f("contact."+x.n, x.v)
	}
}

// unsafeRune finds a character that could change how text is shown: control
// characters (terminal escapes included) and bidirectional overrides, which
// can make a screen say something other than the signed bytes.
func unsafeRune(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n':
		case unicode.IsControl(r):
			return r, true
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
			return r, true
		}
	}
	return 0, false
}

// Message explains the problem in lang, naming the field.
func (p Problem) Message(lang i18n.Lang) string {
	key := "consent.rule." + string(p.Rule)
	var msg string
	switch p.Rule {
	case RuleJSON, RuleFormat, RuleItems, RuleSectionMissing, RuleSectionUnknown, RuleSectionTwice, RuleSectionEmpty, RuleOperatorInText, RuleText:
		msg = i18n.T(lang, key, p.Value)
	default:
		msg = i18n.T(lang, key)
	}
	if p.Field != "" {
		msg += " [" + p.Field + "]"
	}
	return msg
}
