package integration

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

// shomei verify stops on SIGTERM and on Ctrl-C (SIGINT) while it reads a
// large file: exit 143 or 130 within seconds (the whole file would take a
// minute), no partial --json report, the file it was on not recorded in
// the history, the file before it recorded whole, and the history's chain
// intact.
func TestVerifyCancelled(t *testing.T) {
	need(t)
	dir := t.TempDir()
	small := filepath.Join(dir, "before-"+filepath.Base(dir)+".pdf")
	pdftest.Minimal(t, small, 1, false)
	// A PDF followed by 64 GB of holes: the one hashing pass alone reads
	// for about a minute on this machine; nothing is written to disk.
	big := filepath.Join(dir, "big-"+filepath.Base(dir)+".pdf")
	pdftest.Minimal(t, big, 1, false)
	if err := os.Truncate(big, 64<<30); err != nil {
		t.Skipf("no sparse file here: %v", err)
	}
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		code int
		json bool
	}{
		{"SIGTERM, --json", syscall.SIGTERM, 143, true},
		{"SIGINT", syscall.SIGINT, 130, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := verifyEvents(t)
			args := []string{"verify"}
			if tc.json {
				args = append(args, "--json")
			}
			cmd := exec.Command(shomeiBin, append(args, small, big)...)
			cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=")
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			time.Sleep(2 * time.Second)
			select {
			case err := <-done:
				t.Fatalf("verify ended before the signal (%v): the file is too small to test this\n%s%s", err, out.String(), errb.String())
			default:
			}
			sent := time.Now()
			cmd.Process.Signal(tc.sig)
			var err error
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("verify still running 20 s after %v", tc.sig)
			}
			took := time.Since(sent)
			t.Logf("%v: ended %v after the signal", tc.sig, took.Round(time.Millisecond))
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out.String(), errb.String())
			}
			if !strings.Contains(errb.String(), "cancelled") {
				t.Errorf("stderr does not say it was cancelled: %q", errb.String())
			}
			if tc.json {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Fatalf("stdout is not one JSON value: %v\n%s", err, out.String())
				}
				e, _ := v["error"].(map[string]any)
				if len(v) != 1 || e == nil || e["code"] != "cancelled" {
					t.Errorf("stdout holds more than the error: %s", out.String())
				}
			} else if !strings.Contains(out.String(), filepath.Base(small)) || strings.Contains(out.String(), filepath.Base(big)) {
				t.Errorf("stdout should report the first file only:\n%s", out.String())
			}
			after := verifyEvents(t)
			if len(after) != len(before)+1 || after[0].Data["file"] != filepath.Base(small) {
				var files []any
				for _, ev := range after[:len(after)-len(before)] {
					files = append(files, ev.Data["file"])
				}
				t.Errorf("history: %d new verify events (%v), want the first file's only", len(after)-len(before), files)
			}
		})
	}
	if r := shomei(t, "", "history", "verify"); r.code != 0 {
		t.Errorf("history verify after the signals: %+v", r)
	}
}

// verifyEvents lists the history's verify events, newest first.
func verifyEvents(t *testing.T) []history.Event {
	t.Helper()
	path, err := history.Path()
	if err != nil {
		t.Fatal(err)
	}
	st, err := history.Open(path, history.Options{ReadOnly: true})
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.List(history.Query{Kinds: []string{history.KindVerify}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return page.Events
}
