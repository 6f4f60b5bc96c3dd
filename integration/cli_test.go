package integration

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// vcardProc runs `shomei vcard` as its own process on vpcd's first reader.
type vcardProc struct {
	t     *testing.T
	state string
	cmd   *exec.Cmd
}

func startVCard(t *testing.T, state string) *vcardProc {
	t.Helper()
	p := &vcardProc{t: t, state: state}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *vcardProc) start() {
	p.cmd = exec.Command(shomeiBin, "vcard", "--state", p.state, "--port", portCLI)
	p.cmd.Stdout, p.cmd.Stderr = os.Stderr, os.Stderr
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	waitCard(p.t, readerCLI, true)
}

// stop is pulling the card out: the process ends on SIGTERM.
func (p *vcardProc) stop() {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Signal(os.Interrupt)
	p.cmd.Wait()
	p.cmd = nil
	waitCard(p.t, readerCLI, false)
}

type result struct {
	code           int
	stdout, stderr string
}

func shomei(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(shomeiBin, args...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

type pinJSON struct {
	TriesLeft int  `json:"tries_left"`
	MaxTries  int  `json:"max_tries"`
	Locked    bool `json:"locked"`
}

func status(t *testing.T) map[string]pinJSON {
	t.Helper()
	r := shomei(t, "", "card", "status", "--reader", readerCLI, "--json")
	if r.code != 0 {
		t.Fatalf("card status: %d %s %s", r.code, r.stdout, r.stderr)
	}
	var st struct {
		Pins     map[string]pinJSON `json:"pins"`
		TestCard bool               `json:"test_card"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status JSON: %v\n%s", err, r.stdout)
	}
	if !st.TestCard {
		t.Error("virtual card not marked test_card")
	}
	return st.Pins
}

// The CLI end to end against `shomei vcard` in its own process: status,
// a wrong PIN costing one try, the last-try confirmation, lock, a lock that
// survives restarting the card, PIN change, and no card.
func TestCLI(t *testing.T) {
	need(t)
	state := filepath.Join(t.TempDir(), "card")
	vc := startVCard(t, state)

	pins := status(t)
	want := map[string]pinJSON{"sign": {5, 5, false}, "auth": {3, 3, false}, "text": {3, 3, false}, "juki": {3, 3, false}}
	for k, w := range want {
		if pins[k] != w {
			t.Errorf("pins.%s = %+v, want %+v", k, pins[k], w)
		}
	}
	r := shomei(t, "", "readers")
	if r.code != 0 || !strings.Contains(r.stdout, readerCLI+"\tcard present") {
		t.Errorf("readers: %q", r.stdout)
	}
	r = shomei(t, "", "card", "status", "--reader", readerCLI)
	if !strings.Contains(r.stdout, "TEST CARD") || !strings.Contains(r.stdout, "5 of 5 tries left") {
		t.Errorf("human status:\n%s", r.stdout)
	}
	ja := exec.Command(shomeiBin, "card", "status", "--reader", readerCLI)
	ja.Env = append(os.Environ(), "LANG=ja_JP.UTF-8", "LC_ALL=")
	if out, _ := ja.Output(); !strings.Contains(string(out), "残り 5 / 5 回") || !strings.Contains(string(out), "テストカード") {
		t.Errorf("Japanese status:\n%s", out)
	}

	// A malformed PIN never reaches the card.
	r = shomei(t, "12\n5678\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "The PIN does not have the required format") {
		t.Fatalf("bad format: %d %s", r.code, r.stderr)
	}
	if status(t)["auth"].TriesLeft != 3 {
		t.Fatal("a malformed PIN used a try")
	}
	// A wrong PIN uses exactly one.
	r = shomei(t, "9999\n5678\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "Wrong PIN. 2 tries left.") {
		t.Fatalf("wrong PIN: %d %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, "9999") || strings.Contains(r.stderr+r.stdout, "5678") {
		t.Error("a PIN was echoed")
	}
	if got := status(t)["auth"].TriesLeft; got != 2 {
		t.Fatalf("tries after one wrong PIN: %d", got)
	}
	shomei(t, "9999\n5678\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin")
	// One try left: refused without --confirm-last-try, and nothing is sent.
	r = shomei(t, "9999\n5678\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "--confirm-last-try") {
		t.Fatalf("last try: %d %s", r.code, r.stderr)
	}
	if status(t)["auth"].TriesLeft != 1 {
		t.Fatal("the last try was used without confirmation")
	}
	r = shomei(t, "9999\n5678\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin", "--confirm-last-try")
	if r.code != 1 || !strings.Contains(r.stderr, "locked") {
		t.Fatalf("locking try: %d %s", r.code, r.stderr)
	}
	// The lock survives pulling the card out and restarting it.
	vc.stop()
	r = shomei(t, "", "card", "status", "--reader", readerCLI, "--json")
	if r.code != 1 || !strings.Contains(r.stdout, `"code": "no_card"`) {
		t.Errorf("no card: %d %s %s", r.code, r.stdout, r.stderr)
	}
	vc.start()
	if p := status(t)["auth"]; !p.Locked || p.TriesLeft != 0 {
		t.Fatalf("after restart: %+v", p)
	}
	r = shomei(t, "1234\n5678\n", "pin", "change", "auth", "--reader", readerCLI, "--pin-stdin", "--confirm-last-try")
	if r.code != 1 || !strings.Contains(r.stderr, "This PIN is locked") {
		t.Fatalf("change on a locked PIN: %d %s", r.code, r.stderr)
	}
	// Changing the signing password: lower-case and full-width input normalised.
	r = shomei(t, "test1234\nｎｅｗｐａｓｓ１\n", "pin", "change", "sign", "--reader", readerCLI, "--pin-stdin")
	if r.code != 0 {
		t.Fatalf("change sign: %d %s", r.code, r.stderr)
	}
	r = shomei(t, "NEWPASS1\nTEST1234\n", "pin", "change", "sign", "--reader", readerCLI, "--pin-stdin")
	if r.code != 0 {
		t.Fatalf("change back: %d %s", r.code, r.stderr)
	}
	if p := status(t)["sign"]; p.TriesLeft != 5 {
		t.Errorf("sign after changes: %+v", p)
	}
	// The test root exports for developer trust.
	r = shomei(t, "", "vcard", "export-root", "--state", state)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "-----BEGIN CERTIFICATE-----") {
		t.Errorf("export-root: %d %s", r.code, r.stderr)
	}
	// Without the PC/SC service: a clear code, not a hang.
	cmd := exec.Command(shomeiBin, "card", "status", "--json")
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "PCSCLITE_CSOCK_NAME="+filepath.Join(t.TempDir(), "no-pcscd.comm"))
	out, _ := cmd.Output()
	if !strings.Contains(string(out), `"code": "no_service"`) {
		t.Errorf("no service: %s", out)
	}
}
