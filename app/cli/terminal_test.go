package cli_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/internal/errs"
)

// The PIN prompt in raw mode: Ctrl-C is a key that cancels, backspace and
// Ctrl-U edit, Enter ends; nothing is echoed.
func TestReadSecretTTY(t *testing.T) {
	cases := []struct {
		typed string
		want  string
		code  errs.Code
	}{
		{"12\x7f34\r", "134", ""},
		{"99\x1512\r", "12", ""},
		{"12\x03", "", errs.Cancelled},
		{"\x04", "", errs.NoPINInput},
	}
	for _, c := range cases {
		ptmx, tty, err := pty.Open()
		if err != nil {
			t.Skip("no pseudo-terminal:", err)
		}
		type res struct {
			b   []byte
			err error
		}
		ch := make(chan res, 1)
		var echo bytes.Buffer
		go func() {
			b, err := cli.ReadSecretTTY(int(tty.Fd()), tty, &echo, "PIN: ")
			ch <- res{b, err}
		}()
		time.Sleep(50 * time.Millisecond) // raw mode set
		io.WriteString(ptmx, c.typed)
		select {
		case r := <-ch:
			if string(r.b) != c.want || errs.CodeOf(r.err) != c.code {
				t.Errorf("%q: %q %v", c.typed, r.b, r.err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%q: still reading", c.typed)
		}
		ptmx.Close()
		tty.Close()
		if strings.Contains(echo.String(), "12") || strings.Contains(echo.String(), "34") {
			t.Errorf("%q echoed: %q", c.typed, echo.String())
		}
	}
}

// Ctrl-C at the disclosure question (before any card is needed) ends the
// command at once with exit 130, and what is typed next goes nowhere.
func TestCtrlCAtTheDisclosure(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no pseudo-terminal")
	}
	bin := filepath.Join(t.TempDir(), "shomei")
	if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	doc := filepath.Join(t.TempDir(), "doc.txt")
	os.WriteFile(doc, []byte("申請書"), 0o644)
	cmd := exec.Command(bin, "sign", doc)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=", "SHOMEI_DATA_DIR="+t.TempDir())
	f, err := pty.Start(cmd)
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	defer f.Close()
	var out lockedBuffer
	done := make(chan struct{})
	go func() { io.Copy(&out, f); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Type yes if you understand") {
		if time.Now().After(deadline) {
			t.Fatalf("no disclosure question:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.Write([]byte("\x03"))
	f.Write([]byte("yes\r"))
	err = cmd.Wait()
	<-done
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 || !strings.Contains(out.String(), "cancelled") {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if _, err := os.Stat(doc + ".p7s"); err == nil {
		t.Error("signed after Ctrl-C")
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
