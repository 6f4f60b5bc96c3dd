package integration

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// counted is the virtual card with its APDUs counted by instruction (a
// VERIFY without data only asks for the tries left and is counted apart).
type counted struct {
	*vcard.Card
	mu  sync.Mutex
	ins map[string]int
}

func (c *counted) Transmit(cmd []byte) ([]byte, error) {
	c.mu.Lock()
	if len(cmd) > 1 {
		k := fmt.Sprintf("%02X", cmd[1])
		if cmd[1] == 0x20 && len(cmd) <= 5 {
			k = "20-status"
		}
		c.ins[k]++
	}
	c.mu.Unlock()
	return c.Card.Transmit(cmd)
}

func (c *counted) count(ins string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ins[ins]
}

// inProcCard inserts a counted virtual card into vpcd's second reader and
// writes its test root to a PEM file.
func inProcCard(t *testing.T) (*counted, string) {
	t.Helper()
	c := &counted{Card: vcardtest.New(t), ins: map[string]int{}}
	insert(t, c)
	root := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(root, c.State().RootPEM(), 0o644)
	return c, root
}

var signArgs = []string{"sign", "--pin-stdin", "--accept-disclosure", "--reader", readerInProc}

// 登記 PDFs signed through pcscd: pdfsig and qpdf see Adobe PKCS#7 with
// the holder's name and the time, the signature as the last revision; a
// countersignature keeps both valid; shomei verify --profile touki says
// the requirements are met and decides the exit code with them.
func TestCLIToukiPDF(t *testing.T) {
	need(t)
	card, root := inProcCard(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "登記申請書.pdf")
	pdftest.Minimal(t, in, 1, false)

	// What breaks the profile is refused before any PIN reaches the card.
	r := shomei(t, "TEST1234\n", append(signArgs, "--profile", "touki", "--tsa", "http://127.0.0.1:9/tsa", in)...)
	if r.code == 0 || card.count("20") != 0 || !strings.Contains(r.stderr, "timestamp") {
		t.Fatalf("--tsa with touki: %d, %d VERIFY\n%s", r.code, card.count("20"), r.stderr)
	}
	r = shomei(t, "TEST1234\n", append(signArgs, "--profile", "touki", in)...)
	if r.code != 0 {
		t.Fatalf("sign: %d\n%s", r.code, r.stderr)
	}
	first := filepath.Join(dir, "登記申請書.signed.pdf")
	counter := filepath.Join(t.TempDir(), "連署")
	os.Mkdir(counter, 0o755)
	r = shomei(t, "TEST1234\n", append(signArgs, "--profile", "touki", "--out", counter, first)...)
	if r.code != 0 {
		t.Fatalf("countersign: %d\n%s", r.code, r.stderr)
	}
	second := filepath.Join(counter, "登記申請書.signed.signed.pdf")
	nss := pdftest.NSS(t, card.State().RootPEM())
	for n, path := range []string{first, second} {
		sigs := pdftest.PDFSig(t, nss, path)
		if len(sigs) != n+1 {
			t.Fatalf("%s: pdfsig sees %d signatures", path, len(sigs))
		}
		for _, s := range sigs {
			if !s.Valid || !strings.Contains(s.Raw, "adbe.pkcs7.detached") {
				t.Errorf("pdfsig:\n%s", s.Raw)
			}
		}
		if !sigs[n].Total {
			t.Error("pdfsig: the last signature does not cover the whole document")
		}
		st, _ := os.Stat(path)
		ends := 0
		dicts := 0
		for _, o := range pdftest.Objects(t, path) {
			if o["/Type"] != "/Sig" {
				continue
			}
			dicts++
			if o["/SubFilter"] != "/adbe.pkcs7.detached" || o["/Name"] != "u:"+vcard.DefaultHolder.Name {
				t.Errorf("qpdf: %v %q", o["/SubFilter"], o["/Name"])
			}
			if m, _ := o["/M"].(string); !strings.HasPrefix(m, "u:D:") {
				t.Errorf("qpdf: /M %v", o["/M"])
			}
			if br, _ := o["/ByteRange"].([]any); len(br) == 4 && int64(br[2].(float64)+br[3].(float64)) == st.Size() {
				ends++
			}
		}
		if dicts != n+1 || ends != 1 {
			t.Errorf("qpdf: %d signature dictionaries, %d ending the file", dicts, ends)
		}
		v := shomei(t, "", "verify", "--profile", "touki", "--trust", root, path)
		if v.code != 0 || !strings.Contains(v.stdout+v.stderr, "Requirements for 登記 filing: met") {
			t.Errorf("verify --profile touki: %d\n%s%s", v.code, v.stdout, v.stderr)
		}
	}
	// A PAdES signature passes verification but not the 登記 requirements.
	padesDir := t.TempDir()
	if r := shomei(t, "TEST1234\n", append(signArgs, "--out", padesDir, in)...); r.code != 0 {
		t.Fatalf("PAdES: %s", r.stderr)
	}
	pades := filepath.Join(padesDir, "登記申請書.signed.pdf")
	if v := shomei(t, "", "verify", "--trust", root, pades); v.code != 0 || !strings.Contains(v.stdout+v.stderr, "Requirements for 登記 filing: not met") {
		t.Errorf("verify PAdES: %d\n%s", v.code, v.stdout)
	}
	if v := shomei(t, "", "verify", "--profile", "touki", "--trust", root, pades); v.code != 1 {
		t.Errorf("verify --profile touki on PAdES: exit %d, want 1\n%s", v.code, v.stdout)
	}
}

// egovApp copies backend/egov's application folder (kousei.xml and its
// two files) into a new folder name, and returns it with the file names.
func egovApp(t *testing.T, name string) (string, []string) {
	t.Helper()
	src := "../backend/egov/testdata/app"
	dir := filepath.Join(t.TempDir(), name)
	os.Mkdir(dir, 0o755)
	entries, _ := os.ReadDir(src)
	if len(entries) != 3 {
		t.Fatalf("fixture: %d files", len(entries))
	}
	var names []string
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
		names = append(names, e.Name())
	}
	return dir, names
}

// e-Gov packages signed through pcscd: an independent checker (libxml2's
// C14N through lxml, openssl) and shomei verify accept it; one byte changed
// in a file or in 構成情報 fails both.
func TestCLIEgov(t *testing.T) {
	need(t)
	if err := exec.Command("/usr/bin/python3", "-c", "import lxml").Run(); err != nil {
		t.Fatal("python3-lxml missing (make setup installs it)")
	}
	card, root := inProcCard(t)
	dir, _ := egovApp(t, "900A010200001000(1)")
	out := filepath.Join(t.TempDir(), "signed")
	r := shomei(t, "TEST1234\n", append(signArgs, "--egov", dir, "--out", out, "--json")...)
	if r.code != 0 {
		t.Fatalf("sign --egov: %d\n%s", r.code, r.stderr)
	}
	// What will be signed was shown before the PIN.
	for _, want := range []string{"契約書.txt", "900A01020000100001_01.xml", "札幌公共職業安定所"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("summary lacks %s:\n%s", want, r.stderr)
		}
	}
	if card.count("20") != 1 || card.count("2A") != 1 {
		t.Errorf("%d VERIFY, %d signatures for one package", card.count("20"), card.count("2A"))
	}
	var res struct {
		Dir string `json:"dir"`
		Zip string `json:"zip"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.Dir != out || res.Zip != out+".zip" {
		t.Fatalf("JSON: %v %s", err, r.stdout)
	}
	if _, err := os.Stat(res.Zip); err != nil {
		t.Fatal(err)
	}
	kousei := filepath.Join(out, "kousei.xml")
	checker := func() bool {
		return exec.Command("/usr/bin/python3", "../backend/egov/testdata/egov_check.py", kousei, t.TempDir()).Run() == nil
	}
	verified := func() int { return shomei(t, "", "verify", "--trust", root, out).code }
	if !checker() {
		o, _ := exec.Command("/usr/bin/python3", "../backend/egov/testdata/egov_check.py", kousei, t.TempDir()).CombinedOutput()
		t.Fatalf("independent checker:\n%s", o)
	}
	if v := shomei(t, "", "verify", "--trust", root, out); v.code != 0 || !strings.Contains(v.stdout, vcard.DefaultHolder.Name) {
		t.Fatalf("shomei verify: %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	// Never in place, never over an existing output.
	if r := shomei(t, "TEST1234\n", append(signArgs, "--egov", dir, "--out", out)...); r.code == 0 {
		t.Error("an existing output was replaced")
	}
	file := filepath.Join(out, "契約書.txt")
	orig, _ := os.ReadFile(file)
	os.WriteFile(file, append([]byte{orig[0] ^ 1}, orig[1:]...), 0o644)
	if checker() || verified() == 0 {
		t.Error("a changed application file passes")
	}
	os.WriteFile(file, orig, 0o644)
	x, _ := os.ReadFile(kousei)
	os.WriteFile(kousei, []byte(strings.Replace(string(x), "新規申請", "新規申講", 1)), 0o644)
	if checker() || verified() == 0 {
		t.Error("a changed 構成情報 passes")
	}
}

// Digests handed over: one PIN, one VERIFY, one signature each, every one
// accepted by openssl pkeyutl with the returned certificate; the
// authentication key says what it proves.
func TestCLIDigest(t *testing.T) {
	need(t)
	card, _ := inProcCard(t)
	var digests []string
	for i := range 8 {
		h := sha256.Sum256(fmt.Appendf(nil, "portal request %d", i))
		digests = append(digests, hex.EncodeToString(h[:]))
	}
	// One as a full DigestInfo.
	digests[7] = "3031300d060960864801650304020105000420" + digests[7]
	list := filepath.Join(t.TempDir(), "digests.txt")
	os.WriteFile(list, []byte("# from the portal\n"+strings.Join(digests[4:], "\n")+"\n"), 0o644)
	args := append(append(signArgs, "--digest", "--digest-file", list, "--json"), digests[:4]...)
	r := shomei(t, "TEST1234\n", args...)
	if r.code != 0 {
		t.Fatalf("sign --digest: %d\n%s", r.code, r.stderr)
	}
	if card.count("20") != 1 || card.count("2A") != len(digests) {
		t.Errorf("%d VERIFY and %d signatures for %d digests", card.count("20"), card.count("2A"), len(digests))
	}
	check := func(stdout string, n int) {
		t.Helper()
		var out struct {
			Certificate string `json:"certificate"`
			Signatures  []struct {
				Digest    string `json:"digest"`
				Signature string `json:"signature"`
			} `json:"signatures"`
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil || len(out.Signatures) != n {
			t.Fatalf("JSON: %v\n%s", err, stdout)
		}
		work := t.TempDir()
		der, _ := base64.StdEncoding.DecodeString(out.Certificate)
		certFile := filepath.Join(work, "cert.der")
		os.WriteFile(certFile, der, 0o644)
		for i, s := range out.Signatures {
			d, _ := hex.DecodeString(s.Digest)
			if len(d) > 32 {
				d = d[len(d)-32:]
			}
			sig, _ := base64.StdEncoding.DecodeString(s.Signature)
			df, sf := filepath.Join(work, fmt.Sprint(i, ".dgst")), filepath.Join(work, fmt.Sprint(i, ".sig"))
			os.WriteFile(df, d, 0o644)
			os.WriteFile(sf, sig, 0o644)
			o, err := exec.Command("openssl", "pkeyutl", "-verify", "-certin", "-inkey", certFile, "-keyform", "DER",
				"-pkeyopt", "digest:sha256", "-in", df, "-sigfile", sf).CombinedOutput()
			if err != nil || !strings.Contains(string(o), "Signature Verified Successfully") {
				t.Errorf("openssl pkeyutl on signature %d: %v\n%s", i, err, o)
			}
		}
	}
	check(r.stdout, len(digests))
	// The authentication key: 4-digit PIN, and a plain word on what it proves.
	before := card.count("20")
	r = shomei(t, "1234\n", "sign", "--pin-stdin", "--reader", readerInProc, "--digest", "--key", "auth", "--json", digests[0], digests[1])
	if r.code != 0 || !strings.Contains(r.stderr, "login") {
		t.Fatalf("--key auth: %d\n%s", r.code, r.stderr)
	}
	if card.count("20")-before != 1 {
		t.Errorf("--key auth: %d VERIFY", card.count("20")-before)
	}
	check(r.stdout, 2)
	// A malformed digest is refused before the card.
	before = card.count("20")
	r = shomei(t, "TEST1234\n", append(signArgs, "--digest", "abcd")...)
	if r.code == 0 || card.count("20") != before {
		t.Errorf("malformed digest: %d, VERIFY sent: %v", r.code, card.count("20") != before)
	}
}
