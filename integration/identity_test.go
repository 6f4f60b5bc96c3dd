package integration

import (
	"bytes"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

func testRing(st *vcard.State) kenmen.Keyring {
	return kenmen.JLIS().WithTestKey(st.Root().PublicKey.(*rsa.PublicKey))
}

func codeBOf(t *testing.T, st *vcard.State) string {
	t.Helper()
	b, err := st.Identity().CodeB()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Through pcscd: the tries of every PIN of every applet, none used; a wrong
// entry of each 照合番号 costs exactly one try of that PIN and nothing else;
// the right one restores it.
func TestCodesThroughPCSC(t *testing.T) {
	need(t)
	card := vcardtest.New(t)
	insert(t, card)
	svc := service(t)
	st, err := svc.Status(readerInProc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[pin.ID]int{pin.Sign: 5, pin.Auth: 3, pin.Text: 3, pin.Juki: 3, pin.TextA: 10, pin.TextB: 10, pin.VisualA: 10, pin.VisualB: 10}
	if len(st.PINs) != len(want) {
		t.Fatalf("status lists %d PINs", len(st.PINs))
	}
	for id, n := range want {
		if p := st.PINs[id]; !p.Available || p.TriesLeft != n || p.MaxTries != n || p.Locked {
			t.Errorf("%s: %+v", id, p)
		}
		if card.State().Tries(id) != n {
			t.Errorf("%s: status used a try", id)
		}
	}
	id := card.State().Identity()
	right := map[pin.ID]string{pin.TextA: id.MyNumber, pin.VisualA: id.MyNumber, pin.TextB: codeBOf(t, card.State()), pin.VisualB: codeBOf(t, card.State())}
	wrong := map[pin.ID]string{pin.TextA: "000000000019", pin.VisualA: "000000000019", pin.TextB: "01010120300000", pin.VisualB: "01010120300000"}
	p := &cardsvc.PCSC{}
	defer p.Close()
	for _, code := range pin.Codes {
		before := map[pin.ID]int{}
		for _, other := range pin.Every {
			before[other] = card.State().Tries(other)
		}
		l, err := p.Open(readerInProc)
		if err != nil {
			t.Fatal(err)
		}
		s := jpki.NewSession(l)
		cid, _ := s.CardID()
		err = s.Verify(jpki.Attempt{PIN: code, Secret: secret(t, code, wrong[code]), Seen: jpki.Observed{CardID: cid, TriesLeft: before[code]}})
		if cardio.CodeOf(err) != cardio.CodePINWrong {
			t.Errorf("%s wrong: %v", code, err)
		}
		for _, other := range pin.Every {
			used := before[other] - card.State().Tries(other)
			if (other == code && used != 1) || (other != code && used != 0) {
				t.Errorf("wrong %s: %s used %d tries", code, other, used)
			}
		}
		if err := s.Verify(jpki.Attempt{PIN: code, Secret: secret(t, code, right[code]), Seen: jpki.Observed{CardID: cid, TriesLeft: before[code] - 1}}); err != nil {
			t.Errorf("%s right: %v", code, err)
		}
		l.Close(true)
		if card.State().Tries(code) != 10 {
			t.Errorf("%s: %d tries after the right entry", code, card.State().Tries(code))
		}
	}
}

// The counter's identity check through pcscd: confirmed on the genuine
// virtual card, failed on the one whose data were altered.
func TestIdentityThroughPCSC(t *testing.T) {
	need(t)
	for _, tamper := range []bool{false, true} {
		t.Run(fmt.Sprint("tamper=", tamper), func(t *testing.T) {
			var opts []vcard.Option
			if tamper {
				opts = append(opts, vcard.TamperChipData())
			}
			card := vcard.New(vcardtest.State(t), opts...)
			insert(t, card)
			svc := service(t)
			st, err := svc.Status(readerInProc)
			if err != nil {
				t.Fatal(err)
			}
			res, err := svc.IdentityCheck(readerInProc, st, []byte(codeBOf(t, card.State())), false, testRing(card.State()))
			if err != nil {
				t.Fatal(err)
			}
			if res.Authentic == tamper || (tamper && res.Authenticity != kenmen.Failed) {
				t.Errorf("authenticity %s (%s)", res.Authenticity, res.Detail)
			}
			if res.Name != card.State().Identity().Name || !kenmen.IsJP2(res.Photo) || res.MyNumber != "" {
				t.Errorf("result name %q photo %d bytes", res.Name, len(res.Photo))
			}
		})
	}
}

// Pulling the card out at any step of the identity check gives a typed
// error and no result: nothing half-read is shown.
func TestIdentityCardPulledOut(t *testing.T) {
	need(t)
	for _, at := range []int64{1, 8, 14, 20, 30, 45, 60, 80} {
		t.Run(fmt.Sprint("apdu", at), func(t *testing.T) {
			card := vcardtest.New(t)
			remove := insert(t, card)
			svc := service(t)
			st, err := svc.Status(readerInProc)
			if err != nil {
				t.Fatal(err)
			}
			remove()
			v := &vanishing{Card: card, at: at}
			v.remove = insert(t, v)
			res, err := svc.IdentityCheck(readerInProc, st, []byte(codeBOf(t, card.State())), false, testRing(card.State()))
			if v.n.Load() < at {
				t.Skipf("flow ended after %d APDUs", v.n.Load())
			}
			if err == nil || cardio.CodeOf(err) == "" || res != nil {
				t.Fatalf("err = %v, result %v", err, res != nil)
			}
			t.Logf("APDU %d: %s", at, cardio.CodeOf(err))
		})
	}
}

// An independent client: OpenSC's opensc-tool sends the text applet's APDUs
// as a peer writes them (select the applet and EF 0011, VERIFY the 4-digit
// PIN, select EF 0002, READ BINARY) and Shomei's parser reads what it got.
// OpenSC's JPKI driver knows only the JPKI applet, so this checks the
// virtual card's wire layout, not a second parser; Debian has no other
// client of the 券面 applets.
func TestOpenSCReadsBasicInfo(t *testing.T) {
	need(t)
	card := vcardtest.New(t)
	insert(t, card)
	out, err := exec.Command("opensc-tool", "--reader", readerInProc,
		"-s", "00A4040C0AD3921000310001010408",
		"-s", "00A4020C020011",
		"-s", "0020008004"+hex.EncodeToString([]byte("1234")),
		"-s", "00A4020C020002",
		"-s", "00B0000000").CombinedOutput()
	if err != nil {
		t.Fatalf("opensc-tool: %v\n%s", err, out)
	}
	// The answer to the last APDU: hex bytes after the last "Received".
	text := string(out)
	i := strings.LastIndex(text, "Received")
	if i < 0 {
		t.Fatalf("no answer:\n%s", text)
	}
	var raw []byte
	for _, line := range strings.Split(text[i:], "\n")[1:] {
		for _, f := range strings.Fields(line) {
			if len(f) == 2 {
				if b, err := hex.DecodeString(f); err == nil {
					raw = append(raw, b...)
					continue
				}
			}
			break
		}
	}
	b, err := kenmen.ParseBasic(raw)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	id := card.State().Identity()
	if b.Name != id.Name || b.Address != id.Address || b.BirthDate != id.BirthDate || b.Sex != id.Sex {
		t.Errorf("OpenSC read %+v", b)
	}
	if card.State().Tries(pin.Text) != 3 {
		t.Error("the PIN was not restored")
	}
}

// The CLI against `shomei vcard` in its own process: card status lists the
// 照合番号, vcard info gives 照合番号B, card identity confirms the genuine
// card and calls the altered one forged, card basic-info reads the 4 facts;
// afterwards the data folder (history, trust, settings) and every stderr
// hold nothing of the person.
func TestCLIIdentity(t *testing.T) {
	need(t)
	data := t.TempDir()
	t.Setenv("SHOMEI_DATA_DIR", data)
	state := filepath.Join(t.TempDir(), "card")
	vc := startVCard(t, state)
	var logs strings.Builder
	run := func(stdin string, args ...string) result {
		r := shomei(t, stdin, args...)
		logs.WriteString(r.stderr)
		return r
	}
	r := run("", "vcard", "info", "--state", state, "--json")
	var info struct {
		PinB     string         `json:"pin_b"`
		Identity vcard.Identity `json:"identity"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &info) != nil || len(info.PinB) != 14 {
		t.Fatalf("vcard info: %d %s %s", r.code, r.stdout, r.stderr)
	}
	id := info.Identity
	pins := status(t)
	for _, k := range []string{"text_a", "text_b", "visual_a", "visual_b"} {
		if pins[k] != (pinJSON{10, 10, false}) {
			t.Errorf("pins.%s = %+v", k, pins[k])
		}
	}
	root := exportRoot(t, state)
	if r := run("", "trust", "add", root, "--label", "virtual card"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	photo := filepath.Join(t.TempDir(), "face.png")
	r = run(info.PinB+"\n", "card", "identity", "--reader", readerCLI, "--pin-stdin", "--json", "--photo", photo)
	var js map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &js) != nil || js["authentic"] != true || js["name"] != id.Name || js["birth_date"] != "1990-04-01" {
		t.Fatalf("identity: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if b, err := os.ReadFile(photo); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("photo: %v", err)
	}
	r = run("1234\n", "card", "basic-info", "--reader", readerCLI, "--pin-stdin", "--json")
	js = nil
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &js) != nil || js["address"] != id.Address || js["mynumber"] != nil {
		t.Errorf("basic-info: %d %s %s", r.code, r.stdout, r.stderr)
	}
	// The same card, its chip data altered after the signature.
	vc.stop()
	forged := exec.Command(shomeiBin, "vcard", "--state", state, "--port", portCLI, "--tamper-chip-data")
	forged.Stdout, forged.Stderr = os.Stderr, os.Stderr
	if err := forged.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { forged.Process.Signal(os.Interrupt); forged.Wait(); waitCard(t, readerCLI, false) }()
	waitCard(t, readerCLI, true)
	r = run(info.PinB+"\n", "card", "identity", "--reader", readerCLI, "--pin-stdin", "--json")
	js = nil
	if r.code != 4 || json.Unmarshal([]byte(r.stdout), &js) != nil || js["authentic"] != false || js["authenticity"] != "failed" {
		t.Errorf("forged: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = run("", "history", "list", "--json")
	if strings.Count(r.stdout, "identity_check") < 2 || !strings.Contains(r.stdout, "basic_info") {
		t.Errorf("history: %s", r.stdout)
	}

	face, _ := os.ReadFile(filepath.Join("..", "cardio", "vcard", "testdata", "face.jp2"))
	needles := map[string][]byte{"My Number": []byte(id.MyNumber), "name": []byte(id.Name), "address": []byte(id.Address),
		"birth date": []byte(id.BirthDate), "birth date (ISO)": []byte("1990-04-01"), "photo": face[900:940], "PNG": []byte("\x89PNG")}
	files := 0
	filepath.Walk(data, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		files++
		raw, _ := os.ReadFile(p)
		for what, b := range needles {
			if bytes.Contains(raw, b) {
				t.Errorf("%s holds the %s", p, what)
			}
		}
		return nil
	})
	if files == 0 {
		t.Fatal("the data folder is empty: the scan proves nothing")
	}
	for what, b := range needles {
		if strings.Contains(logs.String(), string(b)) {
			t.Errorf("a log (stderr) holds the %s", what)
		}
	}
}
