package egov_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

const python = "/usr/bin/python3" // Debian's, where python3-lxml lives

func needLXML(t *testing.T) {
	t.Helper()
	if err := exec.Command(python, "-c", "import lxml").Run(); err != nil {
		t.Skip("python3-lxml not installed (make setup installs it)")
	}
}

// copyApp copies testdata/app to a fresh folder named like an e-Gov one.
func copyApp(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "900A010200001000(1)")
	os.Mkdir(dir, 0o755)
	entries, _ := os.ReadDir("testdata/app")
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join("testdata/app", e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	return dir
}

func signApp(t *testing.T, o egov.SignOptions) (*egov.Package, *egov.Output) {
	t.Helper()
	g, _ := vcardtest.Signer(t)
	dir := copyApp(t)
	p, err := egov.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := p.Sign(g, o)
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Write(signed, egov.OutputFor(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	return p, out
}

func TestLoadShowsWhatIsSigned(t *testing.T) {
	p, err := egov.Load(copyApp(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range p.Files {
		names = append(names, f.Name)
		if len(f.SHA256) != 64 || f.Size == 0 {
			t.Errorf("%+v", f)
		}
	}
	if !slices.Equal(names, []string{"契約書.txt", "900A01020000100001_01.xml"}) {
		t.Errorf("files: %v", names)
	}
	want := map[string]string{"手続名称": "試験用手続（雇用保険の資格取得）", "氏名": "署名　花子", "提出先名称": "札幌公共職業安定所", "事業所名称": "株式会社テスト & 商会"}
	for _, f := range p.Fields {
		if v, ok := want[f.Name]; ok && v == f.Value {
			delete(want, f.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("fields missing: %v (have %v)", want, p.Fields)
	}
}

// Signed by the virtual card: the folder and the zip hold kousei.xml and
// every named file; Shomei and an independent checker (lxml's libxml2 C14N
// and openssl) agree; one byte changed in a file or in 構成情報 fails both.
func TestSignAndIndependentCheck(t *testing.T) {
	needLXML(t)
	_, out := signApp(t, egov.SignOptions{})
	kousei := filepath.Join(out.Dir, egov.KouseiName)
	raw, _ := os.ReadFile(kousei)
	s := string(raw)
	for _, want := range []string{
		`<Reference URI="#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1"><Transforms><Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315">`,
		`<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256">`,
		`<Reference URI="900A01020000100001_01.xml"><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256">`,
		`</構成情報>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("signed kousei.xml lacks %s", want)
		}
	}
	if i, j := strings.Index(s, "</構成情報>"), strings.Index(s, "<署名情報><Signature"); i < 0 || j < 0 || strings.TrimSpace(s[i+len("</構成情報>"):j]) != "" {
		t.Error("<署名情報> does not follow 構成情報")
	}
	if strings.Count(s, "署名情報") != 2 {
		t.Error("the empty <署名情報/> was not replaced")
	}
	z, err := zip.OpenReader(out.Zip)
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, f := range z.File {
		entries = append(entries, f.Name)
	}
	z.Close()
	slices.Sort(entries)
	if !slices.Equal(entries, []string{"900A010200001000(1)/900A01020000100001_01.xml", "900A010200001000(1)/kousei.xml", "900A010200001000(1)/契約書.txt"}) {
		t.Errorf("zip: %v", entries)
	}

	check := func(path string) (bool, string) {
		cmd := exec.Command(python, "testdata/egov_check.py", path, t.TempDir())
		o, err := cmd.CombinedOutput()
		return err == nil, string(o)
	}
	shomei := func(path string) bool {
		r, err := egov.Verify(path)
		return err == nil && len(r.Signatures) == 1 && r.Signatures[0].Intact()
	}
	if ok, o := check(kousei); !ok || strings.Count(o, " ok") != 3 {
		t.Fatalf("independent checker refuses Shomei's signature:\n%s", o)
	}
	if !shomei(out.Dir) {
		r, err := egov.Verify(out.Dir)
		t.Fatalf("shomei: %v %+v", err, r)
	}
	// One byte of an application file.
	f := filepath.Join(out.Dir, "契約書.txt")
	b, _ := os.ReadFile(f)
	b[0] ^= 1
	os.WriteFile(f, b, 0o644)
	if ok, o := check(kousei); ok {
		t.Errorf("checker accepts a changed file:\n%s", o)
	}
	if shomei(kousei) {
		t.Error("shomei accepts a changed file")
	}
	b[0] ^= 1
	os.WriteFile(f, b, 0o644)
	// One byte of 構成情報.
	os.WriteFile(kousei, []byte(strings.Replace(s, "署名　花子", "署名　花男", 1)), 0o644)
	if ok, o := check(kousei); ok {
		t.Errorf("checker accepts a changed 構成情報:\n%s", o)
	}
	if shomei(kousei) {
		t.Error("shomei accepts a changed 構成情報")
	}
	// A name changed outside 構成情報 is not signed, and not shown either.
	os.WriteFile(kousei, []byte(strings.Replace(s, "<様式ID>999000000000000001", "<様式ID>999000000000000002", 1)), 0o644)
	if !shomei(kousei) {
		t.Error("a change outside 構成情報 broke the signature")
	}
}

// The output never replaces anything; the input folder is left as it was.
func TestOutputRules(t *testing.T) {
	g, _ := vcardtest.Signer(t)
	dir := copyApp(t)
	before, _ := os.ReadFile(filepath.Join(dir, egov.KouseiName))
	p, err := egov.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := egov.CheckOutput(dir, dir, false); !errors.Is(err, egov.ErrInPlace) {
		t.Errorf("in place: %v", err)
	}
	if err := egov.CheckOutput(dir, filepath.Join(dir, "out"), true); !errors.Is(err, egov.ErrInPlace) {
		t.Errorf("inside the input: %v", err)
	}
	out := egov.OutputFor(dir)
	os.Mkdir(out, 0o755)
	signed, err := p.Sign(g, egov.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write(signed, out, false); !errors.Is(err, egov.ErrExists) {
		t.Errorf("existing output: %v", err)
	}
	// A file changed between what was shown and the copy: nothing written.
	os.Remove(out)
	os.WriteFile(filepath.Join(dir, "契約書.txt"), []byte("別の内容"), 0o644)
	if _, err := p.Write(signed, out, false); !errors.Is(err, egov.ErrChanged) {
		t.Errorf("changed file: %v", err)
	}
	left, _ := os.ReadDir(filepath.Dir(dir))
	if len(left) != 1 {
		t.Errorf("leftovers beside the input: %v", left)
	}
	after, _ := os.ReadFile(filepath.Join(dir, egov.KouseiName))
	if !bytes.Equal(before, after) {
		t.Error("the input kousei.xml changed")
	}
	if _, err := egov.Load(egov.OutputFor(dir) + "-none"); !errors.Is(err, egov.ErrNoKousei) {
		t.Errorf("no kousei.xml: %v", err)
	}
}

// Hostile kousei.xml: refused before anything is signed.
func TestHostileInput(t *testing.T) {
	base, _ := os.ReadFile("testdata/app/kousei.xml")
	cases := map[string]struct {
		doc  string
		want error
	}{
		"dtd":         {strings.Replace(string(base), "<DataRoot>", `<!DOCTYPE DataRoot [<!ENTITY x SYSTEM "file:///etc/passwd">]><DataRoot>`, 1), egov.ErrDTD},
		"deep":        {strings.Replace(string(base), "<様式ID>", strings.Repeat("<a>", 100)+strings.Repeat("</a>", 100)+"<様式ID>", 1), egov.ErrTooLarge},
		"two targets": {strings.Replace(string(base), "<様式ID>", `<x ID="構成情報"/><様式ID>`, 1), egov.ErrXML},
		"path":        {strings.Replace(string(base), "契約書.txt", "../secret.txt", 1), egov.ErrFileName},
		"missing":     {strings.Replace(string(base), "契約書.txt", "ない.txt", 1), egov.ErrMissingFile},
		"attr ws":     {strings.Replace(string(base), `<賃金`, `<賃金`, 1) + "", nil},
		"attr prefix": {strings.Replace(string(base), `<構成情報 ID="構成情報">`, `<構成情報 ID="構成情報" xml:lang="ja">`, 1), egov.ErrProfile},
		"attr nl":     {strings.Replace(string(base), `<管理情報>`, "<管理情報 a=\"x\ny\">", 1), egov.ErrProfile},
		"broken":      {string(base[:len(base)-20]), egov.ErrXML},
		"signed":      {strings.Replace(string(base), "<署名情報/>", `<署名情報><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></署名情報>`, 1), egov.ErrAlreadySigned},
	}
	for name, c := range cases {
		if c.want == nil {
			continue
		}
		dir := copyApp(t)
		os.WriteFile(filepath.Join(dir, egov.KouseiName), []byte(c.doc), 0o644)
		if _, err := egov.Load(dir); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	big := filepath.Join(copyApp(t), egov.KouseiName)
	os.WriteFile(big, bytes.Repeat([]byte(" "), egov.MaxXML+1), 0o644)
	if _, err := egov.Load(filepath.Dir(big)); !errors.Is(err, egov.ErrTooLarge) {
		t.Errorf("large: %v", err)
	}
}

// The canonicalizer against libxml2's on random documents within the
// profile: every one must agree byte for byte.
func TestC14NAgainstLibxml2(t *testing.T) {
	needLXML(t)
	n := "7000"
	if testing.Short() {
		n = "500"
	}
	cases := filepath.Join(t.TempDir(), "cases.jsonl")
	if o, err := exec.Command(python, "testdata/c14n_gen.py", n, "14", cases).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	f, _ := os.Open(cases)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	total, bad := 0, 0
	for sc.Scan() {
		var c struct{ Doc, C14n string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		total++
		got, err := egov.CanonicalTarget([]byte(c.Doc))
		if err != nil || string(got) != c.C14n {
			bad++
			if bad <= 3 {
				t.Errorf("differs (%v):\ndoc  %q\nwant %q\ngot  %q", err, c.Doc, c.C14n, got)
			}
		}
	}
	if total < 500 {
		t.Fatalf("only %d documents", total)
	}
	t.Logf("%d documents, %d differ", total, bad)
}
