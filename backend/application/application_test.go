package application_test

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func write(t *testing.T, p, s string) string {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const formJSON = `{"申請種別":"転入届","申請者":{"氏名":"署名 花子","電話":"000-0000"},"添付":[{"名前":"a.pdf"},{"名前":"b.pdf"}],"同意":true}`
const formXML = `<?xml version="1.0" encoding="UTF-8"?><申請 版="2"><種別>児童手当</種別><口座><銀行>架空銀行</銀行></口座></申請>`

// A folder is taken whole, files named by the folder and their path inside
// it, sorted; JSON and XML files are summarised by path in document order.
func TestCollect(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "申請")
	write(t, filepath.Join(app, "form.json"), formJSON)
	write(t, filepath.Join(app, "sub", "form.xml"), formXML)
	write(t, filepath.Join(app, "添付.bin"), "\x00\x01\x02")
	extra := write(t, filepath.Join(dir, "memo.txt"), "メモ")
	a, err := application.Collect([]string{app, extra})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range a.Files {
		names = append(names, f.Name+" "+f.MediaType)
	}
	want := "memo.txt text/plain|申請/form.json application/json|申請/sub/form.xml application/xml|申請/添付.bin application/octet-stream"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("files\n got %s\nwant %s", got, want)
	}
	js := a.Files[1].Preview
	if len(js) != 6 || js[0] != (application.Field{Path: "申請種別", Value: "転入届"}) || js[1].Path != "申請者.氏名" || js[3].Path != "添付[0].名前" || js[5] != (application.Field{Path: "同意", Value: "true"}) {
		t.Errorf("JSON preview: %+v", js)
	}
	xs := a.Files[2].Preview
	if len(xs) != 3 || xs[0] != (application.Field{Path: "申請/@版", Value: "2"}) || xs[1] != (application.Field{Path: "申請/種別", Value: "児童手当"}) || xs[2].Path != "申請/口座/銀行" {
		t.Errorf("XML preview: %+v", xs)
	}
	lines := strings.Join(a.Lines(i18n.JA), "\n")
	for _, s := range []string{"4 件", "申請/form.json（", "申請者.氏名: 署名 花子", "申請/種別: 児童手当"} {
		if !strings.Contains(lines, s) {
			t.Errorf("summary lacks %q:\n%s", s, lines)
		}
	}
}

// A long document's summary stops at 40 values and says there are more;
// the whole file is still checked (an error after the 40th value is found).
func TestPreviewCap(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "%d,", i)
	}
	good := write(t, filepath.Join(dir, "long.json"), b.String()+"50]")
	a, err := application.Collect([]string{good})
	if err != nil {
		t.Fatal(err)
	}
	f := a.Files[0]
	if len(f.Preview) != 40 || !f.More || f.Preview[39].Path != "[39]" {
		t.Errorf("preview: %d values, more %v", len(f.Preview), f.More)
	}
	if l := a.Lines(i18n.EN); l[len(l)-1] != "    (and more values)" {
		t.Errorf("summary ends with %q", l[len(l)-1])
	}
	bad := write(t, filepath.Join(dir, "bad.json"), b.String()+"50,]")
	if _, err := application.Collect([]string{bad}); !errors.Is(err, application.ErrJSON) {
		t.Errorf("late error: %v", err)
	}
}

// What cannot be signed faithfully is refused with the file named: broken
// JSON or XML, symbolic links, two files of the same name, nothing at all.
func TestCollectRefuses(t *testing.T) {
	dir := t.TempDir()
	bad := write(t, filepath.Join(dir, "bad.json"), `{"a":1`)
	badXML := write(t, filepath.Join(dir, "bad.xml"), `<a><b></a>`)
	twoRoots := write(t, filepath.Join(dir, "two.xml"), `<a/><b/>`)
	ok := write(t, filepath.Join(dir, "x", "form.json"), `{}`)
	same := write(t, filepath.Join(dir, "y", "form.json"), `[]`)
	link := filepath.Join(dir, "link.json")
	os.Symlink(ok, link)
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	// Nesting past the bound: 1.8 MB of brackets once cost 6 GB in paths.
	deepJSON := write(t, filepath.Join(dir, "deep.json"), strings.Repeat("[", 900000)+strings.Repeat("]", 900000))
	deepXML := write(t, filepath.Join(dir, "deep.xml"), strings.Repeat("<a>", 300)+strings.Repeat("</a>", 300))
	fine := write(t, filepath.Join(dir, "z", "nested.json"), strings.Repeat(`{"k":`, 200)+"1"+strings.Repeat("}", 200))
	if _, err := application.Collect([]string{fine}); err != nil {
		t.Errorf("200 levels refused: %v", err)
	}
	for _, tc := range []struct {
		in   []string
		want error
	}{
		{[]string{bad}, application.ErrJSON},
		{[]string{badXML}, application.ErrXML},
		{[]string{twoRoots}, application.ErrXML},
		{[]string{deepJSON}, application.ErrJSON},
		{[]string{deepXML}, application.ErrXML},
		{[]string{link}, application.ErrSymlink},
		{[]string{ok, same}, application.ErrSameName},
		{[]string{filepath.Join(dir, "empty")}, application.ErrEmpty},
	} {
		_, err := application.Collect(tc.in)
		if !errors.Is(err, tc.want) {
			t.Errorf("%v: %v, want %v", tc.in, err, tc.want)
		}
	}
}

// Values shown to a person cannot carry terminal escapes or direction
// overrides, and long ones are cut.
func TestShown(t *testing.T) {
	if got := application.Shown("a\x1b[2Jb\u202ec"); got != `a\x1b[2Jb\u202ec` {
		t.Errorf("%q", got)
	}
	if got := application.Shown(strings.Repeat("あ", 100)); len([]rune(got)) != 81 {
		t.Errorf("not cut: %d", len([]rune(got)))
	}
}

type countingSigner struct {
	application.Signer
	n int
}

func (c *countingSigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	c.n++
	return c.Signer.Sign(r, d, o)
}

// The response is one CMS file: openssl verifies it against the virtual
// card's root and outputs the manifest; Check (what the receiving system
// does) accepts the files as signed and rejects a changed one. A file
// changed between the summary and the signature is refused before the card
// is used.
func TestSignAndCheck(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "申請")
	write(t, filepath.Join(app, "form.json"), formJSON)
	write(t, filepath.Join(app, "添付.xml"), formXML)
	a, err := application.Collect([]string{app})
	if err != nil {
		t.Fatal(err)
	}
	g, card := vcardtest.Signer(t)
	cs := &countingSigner{Signer: g}
	at := time.Date(2025, 4, 1, 1, 2, 3, 0, time.UTC)
	r, err := application.Sign(cs, a, at)
	if err != nil {
		t.Fatal(err)
	}
	if cs.n != 1 {
		t.Errorf("%d card operations", cs.n)
	}
	var m application.Manifest
	if err := json.Unmarshal(r.Manifest, &m); err != nil {
		t.Fatal(err)
	}
	if m.Format != application.Format || m.SignedAt != "2025-04-01T01:02:03Z" || len(m.Files) != 2 || m.Files[0].Name != "申請/form.json" {
		t.Errorf("manifest %s", r.Manifest)
	}
	if !strings.HasPrefix(string(r.Manifest), `{"files":[{"media_type":"application/json","name":"申請/form.json","sha256":"`) {
		t.Errorf("manifest not canonical: %s", r.Manifest)
	}

	if _, err := exec.LookPath("openssl"); err == nil {
		p7m, ca, out := filepath.Join(dir, "r.p7m"), filepath.Join(dir, "root.pem"), filepath.Join(dir, "out.json")
		os.WriteFile(p7m, r.File, 0o644)
		os.WriteFile(ca, card.State().RootPEM(), 0o644)
		if o, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7m, "-CAfile", ca, "-purpose", "any", "-out", out).CombinedOutput(); err != nil {
			t.Fatalf("openssl: %v\n%s", err, o)
		}
		if got, _ := os.ReadFile(out); !bytes.Equal(got, r.Manifest) {
			t.Error("openssl's content is not the manifest")
		}
	}

	open := func(name string) (io.ReadCloser, error) { return os.Open(filepath.Join(dir, filepath.FromSlash(name))) }
	if _, cert, err := application.Check(r.File, open); err != nil || cert == nil || !cert.Equal(g.Certificate()) {
		t.Fatalf("check: %v", err)
	}
	write(t, filepath.Join(app, "form.json"), strings.Replace(formJSON, "転入届", "転出届", 1))
	if _, _, err := application.Check(r.File, open); err == nil {
		t.Error("a changed file passed the check")
	}
	n := cs.n
	if _, err := application.Sign(cs, a, at); !errors.Is(err, application.ErrChanged) || cs.n != n {
		t.Errorf("changed after the summary: %v, %d card operations", err, cs.n-n)
	}
}

// Every collecting error has a stable reason with a sentence.
func TestReason(t *testing.T) {
	for err, want := range map[error]string{
		application.ErrEmpty: "empty", &application.PathError{"a.json", application.ErrJSON}: "json", fmt.Errorf("x: %w", fs.ErrNotExist): "missing",
		&application.PathError{"b", application.ErrChanged}: "changed", errors.New("disk"): "read",
	} {
		if got := application.Reason(err); got != want || !i18n.Has("app.err."+got) {
			t.Errorf("%v: %s, want %s (with its sentence)", err, got, want)
		}
	}
}

// Message words a collecting error once for every shell: the shell chooses
// only how the file is shown (the CLI its path, the UI its name).
func TestMessageAndCode(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "申請.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := application.Collect([]string{bad})
	if err == nil {
		t.Fatal("a broken JSON file was collected")
	}
	if c := application.Code(err); c != "application_json" {
		t.Errorf("code %q", c)
	}
	same := func(p string) string { return p }
	for _, c := range []struct {
		lang  i18n.Lang
		shown func(string) string
		want  string
	}{
		{i18n.JA, same, bad + ": " + i18n.T(i18n.JA, "app.err.json")},
		{i18n.EN, same, bad + ": Not well-formed JSON."},
		{i18n.JA, filepath.Base, "申請.json: " + i18n.T(i18n.JA, "app.err.json")},
	} {
		if got := application.Message(c.lang, err, c.shown); got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, got, c.want)
		}
	}
	_, err = application.Collect(nil)
	if got, want := application.Message(i18n.EN, err, same), "There are no files to sign."; got != want || application.Code(err) != "application_empty" {
		t.Errorf("empty: %q %q", got, application.Code(err))
	}
}
