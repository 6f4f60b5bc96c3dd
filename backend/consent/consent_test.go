package consent_test

import (
	"bytes"
	"crypto"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func example(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// edit decodes the example, lets f change it, and encodes it again.
func edit(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(example(t), &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func details(m map[string]any) []any { return m["details"].([]any) }

func dropSection(m map[string]any, kind string) {
	var keep []any
	for _, s := range details(m) {
		if s.(map[string]any)["kind"] != kind {
			keep = append(keep, s)
		}
	}
	m["details"] = keep
}

// The example document is valid, and its canonical form does not depend on
// member order or spacing.
func TestExampleAndCanonical(t *testing.T) {
	p, err := consent.Parse(example(t))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(example(t), &m)
	pretty, _ := json.MarshalIndent(m, "", "      ") // other order (sorted by Go), other spacing, HTML escapes
	q, err := consent.Parse(pretty)
	if err != nil {
		t.Fatal(err)
	}
	if p.SHA256 != q.SHA256 || !bytes.Equal(p.Canonical, q.Canonical) {
		t.Error("canonical form depends on layout")
	}
	changed := edit(t, func(m map[string]any) { m["title"] = m["title"].(string) + "。" })
	r, err := consent.Parse(changed)
	if err != nil {
		t.Fatal(err)
	}
	if r.SHA256 == p.SHA256 {
		t.Error("a changed title keeps the hash")
	}
}

// Each rule of the guidance (seed 004), broken on its own, is reported by
// its rule code, and nothing else is.
func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rule   consent.Rule
		source string
		raw    func(t *testing.T) []byte
	}{
		{"unknown member", consent.RuleJSON, "format", func(t *testing.T) []byte { return edit(t, func(m map[string]any) { m["titel"] = "x" }) }},
		{"duplicate member", consent.RuleJSON, "format", func(t *testing.T) []byte {
			return bytes.Replace(example(t), []byte(`"format"`), []byte(`"title": "x", "format"`), 1)
		}},
		{"wrong format", consent.RuleFormat, "format", func(t *testing.T) []byte { return edit(t, func(m map[string]any) { m["format"] = "shomei-consent/2" }) }},
		{"no title", consent.RuleTitle, "004 I", func(t *testing.T) []byte { return edit(t, func(m map[string]any) { m["title"] = " " }) }},
		{"no summary", consent.RuleSummary, "004 I", func(t *testing.T) []byte { return edit(t, func(m map[string]any) { m["summary"] = []string{""} }) }},
		{"screen too long", consent.RuleScreenSize, "004 I (shown whole)", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["summary"] = []string{strings.Repeat("長", consent.MaxSummary+1)} })
		}},
		{"too many paragraphs", consent.RuleScreenSize, "004 I (shown whole)", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["summary"] = []string{"a", "b", "c", "d", "e"} })
		}},
		{"no service", consent.RuleService, "004 II-6", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["service"] = map[string]any{"name": ""} })
		}},
		{"no business", consent.RuleBusiness, "004 I", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["business"] = map[string]any{"name": ""} })
		}},
		{"no platform operator", consent.RuleOperator, "004 II-1", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { delete(m, "platform_operator") })
		}},
		{"no items", consent.RuleItems, "004 I", func(t *testing.T) []byte { return edit(t, func(m map[string]any) { m["items"] = []string{} }) }},
		{"unknown item", consent.RuleItems, "004 I", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["items"] = []string{"name", "my_number"} })
		}},
		{"item twice", consent.RuleItems, "004 I", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["items"] = []string{"name", "name"} })
		}},
		{"no purposes", consent.RulePurposes, "004 II-3", func(t *testing.T) []byte { return edit(t, func(m map[string]any) { delete(m, "purposes") }) }},
		{"unknown section", consent.RuleSectionUnknown, "004 II", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) {
				m["details"] = append(details(m), map[string]any{"kind": "extras", "text": []string{"x"}})
			})
		}},
		{"section twice", consent.RuleSectionTwice, "004 II", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["details"] = append(details(m), details(m)[3]) })
		}},
		{"empty section", consent.RuleSectionEmpty, "004 II", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { details(m)[4].(map[string]any)["text"] = []string{" "} })
		}},
		{"operator not named in provision", consent.RuleOperatorInText, "004 II-1", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) {
				details(m)[0].(map[string]any)["text"] = []string{"機構は情報を渡します。"}
			})
		}},
		{"contact without a way to reach", consent.RuleContact, "004 II-15", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["contact"] = map[string]any{"name": "窓口"} })
		}},
		{"terminal escape in text", consent.RuleText, "display safety", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["title"] = "同意\x1b[2J" })
		}},
		{"bidi override in text", consent.RuleText, "display safety", func(t *testing.T) []byte {
			return edit(t, func(m map[string]any) { m["purposes"] = []string{"目的\u202e"} })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := consent.Parse(tc.raw(t))
			inv, ok := err.(*consent.Invalid)
			if !ok {
				t.Fatalf("%s: got %v, want an *Invalid", tc.source, err)
			}
			for _, p := range inv.Problems {
				if p.Rule != tc.rule {
					t.Errorf("%s: unexpected problem %+v", tc.source, p)
				}
				for _, lang := range []i18n.Lang{i18n.JA, i18n.EN} {
					if m := p.Message(lang); strings.HasPrefix(m, "consent.") || strings.Contains(m, "%!") {
						t.Errorf("message %q", m)
					}
				}
			}
			if len(inv.Problems) == 0 {
				t.Error("no problem reported")
			}
		})
	}
}

// Every required section of the guidance is required: dropping any one of
// them is reported by name; dropping an optional one is fine.
func TestRequiredSections(t *testing.T) {
	for _, k := range consent.Kinds {
		raw := edit(t, func(m map[string]any) { dropSection(m, k.Name) })
		_, err := consent.Parse(raw)
		switch {
		case k.Required && !k.Built:
			inv, ok := err.(*consent.Invalid)
			if !ok || len(inv.Problems) != 1 || inv.Problems[0].Rule != consent.RuleSectionMissing || inv.Problems[0].Value != k.Name {
				t.Errorf("%s (guidance item %d) dropped: %v", k.Name, k.Number, err)
			}
		case err != nil:
			t.Errorf("optional or built section %s dropped: %v", k.Name, err)
		}
	}
	// The required ones are exactly the guidance's 【必須】 items.
	var req []int
	for _, k := range consent.Kinds {
		if k.Required {
			req = append(req, k.Number)
		}
	}
	if want := []int{1, 3, 4, 5, 6, 8, 9, 10, 12, 13, 15}; !slices.Equal(req, want) {
		t.Errorf("required items %v, want %v", req, want)
	}
}

// The render model follows the guidance: a screen of its own with title,
// summary, the items, agree then disagree buttons and, right under them,
// the details link with the guidance's wording; details in the guidance's
// order whatever the document's order, purposes and contact built from
// their fields; the notes on what name and address include.
func TestRender(t *testing.T) {
	shuffled := edit(t, func(m map[string]any) { slices.Reverse(details(m)) })
	p, err := consent.Parse(shuffled)
	if err != nil {
		t.Fatal(err)
	}
	v := consent.Render(p, i18n.JA)
	s := v.Screen
	if s.Title != "ご住所などの変更手続きを省くために" || len(s.Summary) != 2 || s.Service != "みらい損保 ご住所自動更新" {
		t.Errorf("screen: %+v", s)
	}
	if s.Buttons[0].Action != "agree" || s.Buttons[0].Label != "同意する" || s.Buttons[1].Action != "disagree" || s.Buttons[1].Label != "同意しない" {
		t.Errorf("buttons: %+v", s.Buttons)
	}
	if s.DetailsLink != "同意事項の詳細・補足説明" {
		t.Errorf("link: %q", s.DetailsLink)
	}
	if len(s.Items) != 5 || s.Items[0].Label != "氏名" || len(s.Items[0].Notes) != 2 || !strings.Contains(s.Items[0].Notes[1], "2026年5月26日") || len(s.Items[1].Notes) != 1 || !strings.Contains(s.Items[1].Notes[0], "国外") {
		t.Errorf("items: %+v", s.Items)
	}
	var kinds []string
	for i, sec := range v.Details.Sections {
		kinds = append(kinds, sec.Kind)
		if sec.Number != i+1 || sec.Heading == "" {
			t.Errorf("section %d: %+v", i, sec)
		}
	}
	want := []string{"provision", "onward_provision", "purposes", "disclosure", "records", "method", "validity", "voluntary", "withdrawal_effect", "inquiry_withdrawal", "client_software", "contact"}
	if !slices.Equal(kinds, want) {
		t.Errorf("order %v", kinds)
	}
	pur, con := v.Details.Sections[2], v.Details.Sections[11]
	if len(pur.List) != 2 || len(pur.Text) != 1 || !pur.Required {
		t.Errorf("purposes: %+v", pur)
	}
	if len(con.List) != 3 || con.List[2] != "0120-000-000" {
		t.Errorf("contact: %+v", con)
	}
	if v.Details.Sections[1].Required {
		t.Error("onward provision (guidance item 2) is optional")
	}
	en := consent.Render(p, i18n.EN)
	if en.Screen.Buttons[0].Label != "I agree" || en.Screen.Title != s.Title || en.Details.Sections[0].Heading == v.Details.Sections[0].Heading {
		t.Errorf("en: %+v", en.Screen)
	}
	if v.DocumentSHA256 != p.SHA256 {
		t.Error("view without the document hash")
	}
}

// Ten years counted from the day after the consent day (seed 004, II-8):
// the last day is the day before the tenth anniversary of the first day.
func TestValidity(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	for _, tc := range []struct {
		day               time.Time
		consent, from, to string
	}{
		{time.Date(2025, 4, 1, 10, 0, 0, 0, jst), "2025-04-01", "2025-04-02", "2035-04-01"},
		{time.Date(2025, 3, 31, 16, 0, 0, 0, time.UTC), "2025-04-01", "2025-04-02", "2035-04-01"}, // already 1 April in Japan
		{time.Date(2027, 2, 28, 12, 0, 0, 0, jst), "2027-02-28", "2027-03-01", "2037-02-28"},
		{time.Date(2028, 2, 28, 12, 0, 0, 0, jst), "2028-02-28", "2028-02-29", "2038-02-27"}, // first day 29 Feb; no 29 Feb in 2038
		{time.Date(2025, 12, 31, 12, 0, 0, 0, jst), "2025-12-31", "2026-01-01", "2035-12-31"},
	} {
		v := consent.ValidityFrom(tc.day, true)
		if v.ConsentDay != tc.consent || v.From != tc.from || v.Until != tc.to || !v.Estimated {
			t.Errorf("%v: %+v", tc.day, v)
		}
	}
}

// countingSigner counts card operations.
type countingSigner struct {
	consent.Signer
	n int
}

func (c *countingSigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	c.n++
	return c.Signer.Sign(r, d, o)
}

func opensslVerify(t *testing.T, file, root []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed (make setup installs it)")
	}
	dir := t.TempDir()
	in, ca, out := filepath.Join(dir, "in.p7m"), filepath.Join(dir, "root.pem"), filepath.Join(dir, "out")
	os.WriteFile(in, file, 0o644)
	os.WriteFile(ca, root, 0o644)
	o, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", in, "-CAfile", ca, "-purpose", "any", "-out", out).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl cms -verify: %v\n%s", err, o)
	}
	got, _ := os.ReadFile(out)
	return got
}

// Agreeing signs one CMS with the card: openssl verifies it against the
// virtual card's root and returns the statement, which holds the decision,
// the time and the canonical document with its hash. Refusing signs
// nothing. A withdrawal names the consent file by hash and verifies too.
// A tampered consent is not accepted for withdrawal.
func TestSignAndWithdraw(t *testing.T) {
	g, card := vcardtest.Signer(t)
	cs := &countingSigner{Signer: g}
	p, err := consent.Parse(example(t))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Truncate(time.Second)

	if _, err := consent.Sign(cs, p, consent.Disagree, at); err != consent.ErrNotAgreed || cs.n != 0 {
		t.Fatalf("refusal: %v, %d card operations", err, cs.n)
	}
	s, err := consent.Sign(cs, p, consent.Agree, at)
	if err != nil {
		t.Fatal(err)
	}
	if cs.n != 1 {
		t.Errorf("%d card operations for one consent", cs.n)
	}
	root := card.State().RootPEM()
	content := opensslVerify(t, s.File, root)
	if !bytes.Equal(content, s.Content) {
		t.Fatal("openssl's content differs from the statement")
	}
	var st consent.Statement
	if err := json.Unmarshal(content, &st); err != nil {
		t.Fatal(err)
	}
	if st.Decision != consent.Agree || st.DecidedAt != at.UTC().Format(time.RFC3339) || st.DocumentSHA256 != p.SHA256 || !bytes.Equal(st.Document, p.Canonical) {
		t.Errorf("statement: %+v", st)
	}
	if v := consent.ValidityFrom(at, true); s.Validity != v {
		t.Errorf("validity %+v, want %+v", s.Validity, v)
	}

	c, err := consent.ReadSigned(s.File)
	if err != nil {
		t.Fatal(err)
	}
	if c.FileSHA256 != s.FileSHA256 || c.Parsed.SHA256 != p.SHA256 {
		t.Errorf("read back: %s %s", c.FileSHA256, c.Parsed.SHA256)
	}
	later := at.Add(48 * time.Hour)
	w, err := consent.SignWithdrawal(cs, c, later)
	if err != nil {
		t.Fatal(err)
	}
	var wd consent.Withdrawal
	if err := json.Unmarshal(opensslVerify(t, w.File, root), &wd); err != nil {
		t.Fatal(err)
	}
	if wd.Format != consent.WithdrawalFormat || wd.ConsentSHA256 != s.FileSHA256 || wd.DocumentSHA256 != p.SHA256 || wd.Service.Name != "みらい損保 ご住所自動更新" || wd.ConsentDecidedAt != st.DecidedAt {
		t.Errorf("withdrawal: %+v", wd)
	}
	// A withdrawal is not a consent.
	if _, err := consent.ReadSigned(w.File); err == nil {
		t.Error("a withdrawal read as a consent")
	}
	// One changed byte in the statement breaks the signature.
	bad := bytes.Replace(s.File, []byte(`"decision":"agree"`), []byte(`"decision":"agrea"`), 1)
	if bytes.Equal(bad, s.File) {
		t.Fatal("statement not found in the file")
	}
	if _, err := consent.ReadSigned(bad); err == nil {
		t.Error("a tampered consent was accepted")
	}
}

// The certificate must be valid at the signing time; nothing reaches the
// card otherwise.
func TestExpiredCertificate(t *testing.T) {
	g, _ := vcardtest.Signer(t)
	cs := &countingSigner{Signer: g}
	p, _ := consent.Parse(example(t))
	if _, err := consent.Sign(cs, p, consent.Agree, g.Certificate().NotAfter.Add(time.Hour)); err != consent.ErrCertExpired || cs.n != 0 {
		t.Errorf("expired: %v, %d card operations", err, cs.n)
	}
}
