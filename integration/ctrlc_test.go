package integration

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyRun is shomei in a pseudo-terminal, as a person runs it.
type ptyRun struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startPTY(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	cmd := exec.Command(shomeiBin, args...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=")
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	p := &ptyRun{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				close(p.done)
				return
			}
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); tty.Close() })
	return p
}

// waitFor waits until the output shows s.
func (p *ptyRun) waitFor(s string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		ok := strings.Contains(p.out.String(), s)
		p.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.t.Fatalf("no %q in:\n%s", s, p.out.String())
}

func (p *ptyRun) send(s string) {
	p.t.Helper()
	if _, err := io.WriteString(p.tty, s); err != nil {
		p.t.Fatal(err)
	}
}

// exit waits for the process and returns its exit code.
func (p *ptyRun) exit() int {
	p.t.Helper()
	ch := make(chan error, 1)
	go func() { ch <- p.cmd.Wait() }()
	select {
	case err := <-ch:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			p.t.Fatal(err)
		}
		return 0
	case <-time.After(20 * time.Second):
		p.mu.Lock()
		defer p.mu.Unlock()
		p.t.Fatalf("still running after Ctrl-C:\n%s", p.out.String())
		return -1
	}
}

// Ctrl-C at every prompt a person meets cancels at once with exit 130, and
// nothing reaches the card: the tries left are unchanged even when a wrong
// PIN was typed before, and what is typed after Ctrl-C goes nowhere.
func TestCtrlCAtEveryPrompt(t *testing.T) {
	need(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "card.json")
	os.WriteFile(cfg, []byte(`{"reset_code": "13572468"}`), 0o644) // the desk's prompts need a card that takes one
	state := filepath.Join(dir, "card")
	if r := shomei(t, "", "vcard", "init", "--state", state, "--config", cfg); r.code != 0 {
		t.Fatal(r.stderr)
	}
	startVCard(t, state)
	doc := filepath.Join(t.TempDir(), "doc.txt")
	os.WriteFile(doc, []byte("申請書"), 0o644)
	before := status(t)
	histBefore := shomei(t, "", "history", "--json", "--limit", "0").stdout

	cases := []struct {
		name   string
		args   []string
		steps  []string // wait for steps[0], type steps[1], wait for steps[2], …
		prompt string   // where Ctrl-C is pressed
	}{
		{"current PIN", []string{"pin", "change", "auth", "--reader", readerCLI}, nil, "Current PIN: "},
		{"new PIN after a wrong current one", []string{"pin", "change", "auth", "--reader", readerCLI}, []string{"Current PIN: ", "9999\r"}, "New PIN: "},
		{"new PIN again", []string{"pin", "change", "auth", "--reader", readerCLI}, []string{"Current PIN: ", "9999\r", "New PIN: ", "5678\r"}, "New PIN again: "},
		{"disclosure", []string{"sign", "--reader", readerCLI, doc}, nil, "Type yes if you understand"},
		{"signing password", []string{"sign", "--reader", readerCLI, doc}, []string{"Type yes if you understand", "yes\r"}, "Signing password: "},
		{"staff confirmation", []string{"counter", "reset", "auth", "--reader", readerCLI}, nil, "type yes to reset"},
		{"reset code", []string{"counter", "reset", "auth", "--reader", readerCLI, "--staff-confirmed"}, nil, "Reset code: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := startPTY(t, c.args...)
			for i := 0; i+1 < len(c.steps); i += 2 {
				p.waitFor(c.steps[i])
				p.send(c.steps[i+1])
			}
			p.waitFor(c.prompt)
			time.Sleep(100 * time.Millisecond) // the prompt is read now
			p.send("\x03")
			p.send("1234\r") // typed after Ctrl-C, thinking the shell is back
			if code := p.exit(); code != 130 {
				p.mu.Lock()
				t.Fatalf("exit %d, want 130:\n%s", code, p.out.String())
			}
			<-p.done
			if out := p.out.String(); !strings.Contains(out, "cancelled") {
				t.Errorf("no cancellation sentence:\n%s", out)
			}
		})
	}
	after := status(t)
	for _, id := range []string{"sign", "auth", "text"} {
		if after[id] != before[id] {
			t.Errorf("%s: tries %+v after Ctrl-C, %+v before", id, after[id], before[id])
		}
	}
	if h := shomei(t, "", "history", "--json", "--limit", "0").stdout; h != histBefore || len(h) < 10 {
		t.Errorf("a cancelled operation was recorded:\n%s\nbefore:\n%s", h, histBefore)
	}
}

// A reader name typed wrong says which readers there are.
func TestWrongReaderName(t *testing.T) {
	need(t)
	r := shomei(t, "", "card", "status", "--reader", "Virtual PCD 00 09")
	if r.code != 1 || !strings.Contains(r.stderr, `There is no card reader named "Virtual PCD 00 09"`) || !strings.Contains(r.stderr, readerCLI) {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
	r = shomei(t, "", "card", "status", "--reader", "Virtual PCD 00 09", "--json")
	if r.code != 1 || !strings.Contains(r.stdout, `"code": "reader_not_found"`) {
		t.Fatalf("--json: %d %s", r.code, r.stdout)
	}
}

// counter watch at a terminal: Enter (next person) erases the screen and
// the scrollback, so the previous citizen is not a scroll away.
func TestCounterWatchClearsScrollback(t *testing.T) {
	need(t)
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)
	p := startPTY(t, "counter", "watch", "--reader", readerCLI)
	p.waitFor("My Number Card")
	p.send("\r")
	p.waitFor("Cleared for the next person.")
	p.mu.Lock()
	out := p.out.String()
	p.mu.Unlock()
	if i := strings.Index(out, "\x1b[3J"); i < 0 || i > strings.Index(out, "Cleared for the next person.") {
		t.Errorf("no scrollback erase before the next person:\n%q", out)
	}
	p.send("\x03")
	if code := p.exit(); code != 0 && code != 130 {
		t.Errorf("exit %d", code)
	}
}
