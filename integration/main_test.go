// Package integration tests Shomei through the real card stack: pcscd with
// the vpcd reader driver, the virtual card over its socket, the shomei binary
// as a process, and OpenSC as an independent client. It runs when
// SHOMEI_INTEGRATION=1 (make test sets it after starting pcscd); then a
// missing pcscd is a failure, not a skip.
package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vpcd"
)

const (
	// In-process cards use vpcd's second reader; the CLI's card process the first.
	readerInProc = "Virtual PCD 00 01"
	addrInProc   = "127.0.0.1:35964"
	readerCLI    = "Virtual PCD 00 00"
	portCLI      = "35963"
)

var shomeiBin string

func TestMain(m *testing.M) {
	if os.Getenv("SHOMEI_INTEGRATION") != "1" {
		fmt.Println("integration: SHOMEI_INTEGRATION is not 1; these tests need pcscd with vpcd (make test runs them)")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "shomei-it-")
	if err != nil {
		panic(err)
	}
	shomeiBin = filepath.Join(dir, "shomei")
	// Every shomei process of the suite keeps its files (history, trust)
	// here, never in the user's data directory.
	os.Setenv("SHOMEI_DATA_DIR", filepath.Join(dir, "data"))
	build := exec.Command("go", "build", "-o", shomeiBin, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "integration: build:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func need(t testing.TB) {
	t.Helper()
	if os.Getenv("SHOMEI_INTEGRATION") != "1" {
		t.Skip("needs pcscd with vpcd: run make test")
	}
}

// waitCard waits until reader shows a card (or none).
func waitCard(t testing.TB, reader string, present bool) {
	t.Helper()
	ctx, err := pcsc.Establish()
	if err != nil {
		t.Fatalf("pcscd: %v", err)
	}
	defer ctx.Release()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		rs, err := ctx.Survey()
		if err != nil {
			t.Fatalf("survey: %v", err)
		}
		for _, r := range rs {
			if r.Name == reader && r.Present == present {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("reader %q: card present=%v never seen", reader, present)
}

// insert plugs card into vpcd's second reader until the test ends (or the
// returned function pulls it out).
func insert(t testing.TB, card vpcd.Card) (remove func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Insert(ctx, addrInProc, card) }()
	var once sync.Once
	remove = func() {
		once.Do(func() {
			cancel()
			<-done
			waitCard(t, readerInProc, false)
		})
	}
	t.Cleanup(remove)
	waitCard(t, readerInProc, true)
	return remove
}
