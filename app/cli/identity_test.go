package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func shomeiIn(t *testing.T, lang i18n.Lang, card *vcard.Card, stdin string, args ...string) run {
	t.Helper()
	var out, errb bytes.Buffer
	e := &cli.Env{Ctx: context.Background(), Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Lang: lang,
		IsTerminal: func() bool { return false }}
	e.Cards = cardsvc.New(cardsvctest.Memory(card))
	code := cli.Run(e, args)
	return run{code, out.String(), errb.String()}
}

// scanData fails when any file under dir holds a byte string of the
// person's data: the history, logs and settings keep none of it.
func scanData(t *testing.T, dir string, id *vcard.Identity, photo []byte) {
	t.Helper()
	needles := map[string][]byte{"my number": []byte(id.MyNumber), "name": []byte(id.Name), "family name": []byte("署名"),
		"address": []byte(id.Address), "birth date": []byte(id.BirthDate), "birth date (ISO)": []byte("1990-04-01"),
		"photo": photo[len(photo)/2 : len(photo)/2+32], "PNG": []byte("\x89PNG")}
	n := 0
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		raw, _ := os.ReadFile(p)
		n++
		for what, b := range needles {
			if bytes.Contains(raw, b) {
				t.Errorf("%s holds the %s", p, what)
			}
		}
		return nil
	})
	if n == 0 {
		t.Fatal("nothing was written to the data folder: the scan proves nothing")
	}
}

func TestCardIdentityCLI(t *testing.T) {
	dir := dataDir(t)
	card := vcardtest.New(t)
	st := card.State()
	id := st.Identity()
	b, _ := id.CodeB()
	root := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(root, st.RootPEM(), 0o644)

	// Before the test root is trusted nothing vouches for the card: exit 3.
	r := shomeiIn(t, i18n.EN, card, b+"\n", "card", "identity", "--pin-stdin", "--json")
	var js map[string]any
	if r.code != 3 || json.Unmarshal([]byte(r.stdout), &js) != nil || js["authentic"] != false || js["authenticity"] != "unverifiable" {
		t.Fatalf("untrusted: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := shomeiIn(t, i18n.EN, card, "", "trust", "add", root, "--label", "test"); r.code != 0 {
		t.Fatalf("trust add: %s", r.stderr)
	}
	photo := filepath.Join(t.TempDir(), "face.png")
	r = shomeiIn(t, i18n.EN, card, b+"\n", "card", "identity", "--pin-stdin", "--json", "--photo", photo)
	js = nil
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &js) != nil {
		t.Fatalf("identity: %d %s %s", r.code, r.stdout, r.stderr)
	}
	for k, v := range map[string]any{"authentic": true, "name": id.Name, "address": id.Address, "birth_date": "1990-04-01", "sex": "female", "expiry": "2036-04-01"} {
		if js[k] != v {
			t.Errorf("%s = %v, want %v", k, js[k], v)
		}
	}
	if _, ok := js["mynumber"]; ok {
		t.Error("the identity check printed a My Number")
	}
	f, err := os.Open(photo)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != 240 {
		t.Errorf("photo: %v", err)
	}

	// Japanese, for people: the verdict first, no English.
	r = shomeiIn(t, i18n.JA, card, b+"\n", "card", "identity", "--pin-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "IC チップの情報は J-LIS の署名で確認できました") && !strings.Contains(r.stdout, "テスト用の署名で確認できました") || !strings.Contains(r.stdout, id.Name) {
		t.Errorf("ja: %s", r.stdout)
	}

	// A wrong 照合番号B: one try, a sentence about 照合番号B, exit 1.
	r = shomeiIn(t, i18n.JA, card, "02040120369999\n", "card", "identity", "--pin-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "照合番号B が券面と一致しません。残り 9 回") || st.Tries(pin.VisualB) != 9 {
		t.Errorf("wrong code: %d %q", r.code, r.stderr)
	}
	shomeiIn(t, i18n.JA, card, b+"\n", "card", "identity", "--pin-stdin") // restores the tries

	// A forged card: exit 4, said plainly.
	forged := vcard.New(st.Clone(), vcard.TamperChipData())
	r = shomeiIn(t, i18n.JA, forged, b+"\n", "card", "identity", "--pin-stdin")
	if r.code != 4 || !strings.Contains(r.stdout, "偽造・改ざんされたカードのおそれがあります") {
		t.Errorf("forged: %d %s", r.code, r.stdout)
	}

	// basic-info: the My Number only when asked for.
	r = shomeiIn(t, i18n.EN, card, "1234\n", "card", "basic-info", "--pin-stdin", "--json")
	js = nil
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &js) != nil || js["name"] != id.Name || js["authentic"] != true {
		t.Fatalf("basic-info: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if _, ok := js["mynumber"]; ok {
		t.Error("basic-info printed the My Number unasked")
	}
	r = shomeiIn(t, i18n.JA, card, "1234\n", "card", "basic-info", "--pin-stdin")
	if strings.Contains(r.stdout, id.MyNumber) || !strings.Contains(r.stdout, "●●●●") {
		t.Errorf("basic-info human output shows the My Number: %s", r.stdout)
	}
	r = shomeiIn(t, i18n.EN, card, "1234\n", "card", "basic-info", "--pin-stdin", "--json", "--with-mynumber")
	js = nil
	if json.Unmarshal([]byte(r.stdout), &js) != nil || js["mynumber"] != id.MyNumber {
		t.Errorf("--with-mynumber: %s", r.stdout)
	}

	// The history knows that checks were done, and nothing of the person.
	r = shomeiIn(t, i18n.EN, card, "", "history", "list", "--json")
	if !strings.Contains(r.stdout, "identity_check") || !strings.Contains(r.stdout, "basic_info") {
		t.Errorf("history: %s", r.stdout)
	}
	raw, _ := os.ReadFile(filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2"))
	scanData(t, dir, id, raw)
}

func TestVCardInfoCLI(t *testing.T) {
	state := filepath.Join(t.TempDir(), "card")
	if r := shomeiIn(t, i18n.EN, vcardtest.New(t), "", "vcard", "init", "--state", state); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := shomeiIn(t, i18n.EN, vcardtest.New(t), "", "vcard", "info", "--state", state, "--json")
	var in struct {
		PinB     string `json:"pin_b"`
		Identity struct {
			MyNumber string `json:"my_number"`
			Name     string `json:"name"`
		} `json:"identity"`
		Tries map[string]int    `json:"tries"`
		PINs  map[string]string `json:"pins"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &in) != nil {
		t.Fatalf("%d %s %s", r.code, r.stdout, r.stderr)
	}
	if in.PinB != "02040120365678" || in.Identity.MyNumber != vcard.TestMyNumber || !pin.ValidMyNumber([]byte(in.Identity.MyNumber)) || in.Tries["visual_b"] != 10 || in.PINs["sign"] != "TEST1234" {
		t.Errorf("info %+v", in)
	}
}

// The text of `vcard info` speaks the person's language: every label comes
// from the catalogue, none is a JSON field name.
func TestVCardInfoTextLanguages(t *testing.T) {
	state := filepath.Join(t.TempDir(), "card")
	if r := shomeiIn(t, i18n.EN, vcardtest.New(t), "", "vcard", "init", "--state", state); r.code != 0 {
		t.Fatal(r.stderr)
	}
	want := map[i18n.Lang][]string{
		i18n.JA: {"氏名: ", "住所: ", "生年月日: ", "性別: ", "有効期限: ", "セキュリティコード: ", "個人番号（照合番号A）: " + vcard.TestMyNumber, "照合番号B: 02040120365678", "署名用電子証明書の暗証番号: TEST1234"},
		i18n.EN: {"Name: ", "Address: ", "Birth date: ", "Sex: ", "Expiry: ", "Security code: ", "My Number (照合番号A): " + vcard.TestMyNumber, "照合番号B: 02040120365678", "Signing password: TEST1234"},
	}
	for lang, lines := range want {
		r := shomeiIn(t, lang, vcardtest.New(t), "", "vcard", "info", "--state", state)
		if r.code != 0 {
			t.Fatalf("%s: %d %s", lang, r.code, r.stderr)
		}
		for _, l := range lines {
			if !strings.Contains(r.stdout, l) {
				t.Errorf("%s: no %q in\n%s", lang, l, r.stdout)
			}
		}
		if lang == i18n.JA {
			for _, field := range []string{"label:", "name:", "address:", "birth_date:", "security_code:", "pin_b:", "sign:"} {
				if strings.Contains(r.stdout, field) {
					t.Errorf("ja: English label %q in\n%s", field, r.stdout)
				}
			}
		}
	}
}
