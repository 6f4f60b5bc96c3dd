//go:build desktop || dev || bindings

// Package desktop is the Wails shell: a native window showing the embedded
// UI, with app/api's Service bound as window.go.uiservice.Service. It builds only
// with Wails' tags (wails build passes desktop,production; wails dev passes
// dev; binding generation passes bindings); without them Run reports that
// this binary has no desktop window (see nodesktop.go).
package desktop

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/app/web"
)

// Available reports whether this binary carries the desktop window.
const Available = true

// platform is uiservice.Platform on the Wails runtime: the only place the
// runtime is called. Until Wails hands over its context (OnStartup), events
// are dropped (the UI reads the state itself when it starts) and dialogs
// are refused, so nothing reaches a runtime call without a Wails context.
type platform struct {
	mu  sync.Mutex
	ctx context.Context
}

func (p *platform) context() context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ctx
}

func (p *platform) Emit(name string, data any) {
	if ctx := p.context(); ctx != nil {
		wruntime.EventsEmit(ctx, name, data)
	}
}

func (p *platform) OpenFiles(title string) ([]string, error) {
	ctx := p.context()
	if ctx == nil {
		return nil, uiservice.ErrUnsupported
	}
	return wruntime.OpenMultipleFilesDialog(ctx, wruntime.OpenDialogOptions{Title: title})
}

// Reveal opens the folder holding path in the file manager.
func (p *platform) Reveal(path string) error {
	dir := filepath.Dir(path)
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("explorer", "/select,", path)
	case "darwin":
		cmd = exec.Command("open", "-R", path)
	default:
		cmd = exec.Command("xdg-open", dir)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// Run opens the window and returns when it is closed.
func Run(o Options) error {
	p := &platform{}
	svc, err := uiservice.New(uiservice.Config{Cards: o.Cards, Platform: p, Files: uiservice.LocalFiles{}, DataDir: o.DataDir, Mode: "desktop"})
	if err != nil {
		return err
	}
	defer uiservice.Close(svc)
	if o.Started.IsZero() {
		o.Started = time.Now()
	}
	// The figure counts from exec, not from Go's main: loading GTK and
	// WebKit's libraries is part of every launch.
	mainAt := o.Started
	if t, ok := processStart(); ok && t.Before(o.Started) {
		o.Started = t
	}
	if o.Ctx != nil {
		go func() {
			<-o.Ctx.Done()
			if ctx := p.context(); ctx != nil {
				wruntime.Quit(ctx)
			}
		}()
	}
	// SHOMEI_READY_LOG=1 logs the phases from launch to a usable window
	// (scripts/desktop-check.sh prints them).
	phaseAt := func(string, time.Time) {}
	if os.Getenv("SHOMEI_READY_LOG") == "1" {
		phaseAt = func(what string, at time.Time) {
			fmt.Fprintf(os.Stderr, "shomei: desktop: %s after %d ms\n", what, at.Sub(o.Started).Milliseconds())
		}
	}
	phase := func(what string) { phaseAt(what, time.Now()) }
	phaseAt("Go's main began", mainAt)
	phase("service made")
	// The card is read while the window and its web view start (hundreds
	// of milliseconds): the page then finds the card's state ready.
	uiservice.ReadAhead(svc)
	go func() {
		<-uiservice.ReadyChan(svc)
		phase("usable")
	}()
	return wails.Run(&options.App{
		Title:     "Shomei 署名",
		Width:     1200,
		Height:    860,
		MinWidth:  720,
		MinHeight: 560,
		AssetServer: &assetserver.Options{
			Assets: o.Assets,
			// The page carries the first call's answer (the card's state
			// read since launch, or now), so the UI draws its first screen
			// without a call (app/web's FirstPage).
			Middleware: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodGet && (r.URL.Path == "/" || r.URL.Path == "/index.html") {
						phase("page asked for")
						uiservice.ReadAhead(svc)
						if page, err := fs.ReadFile(o.Assets, "index.html"); err == nil {
							w.Header().Set("Content-Type", "text/html; charset=utf-8")
							w.Write(web.FirstPage(page, svc))
							return
						}
					}
					next.ServeHTTP(w, r)
				})
			},
		},
		OnStartup: func(ctx context.Context) {
			phase("window made")
			p.mu.Lock()
			p.ctx = ctx
			p.mu.Unlock()
		},
		OnDomReady: func(context.Context) { phase("page's DOM ready") },
		OnShutdown: func(context.Context) {
			p.mu.Lock()
			p.ctx = nil
			p.mu.Unlock()
		},
		Bind:        []any{svc},
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Linux:       &linux.Options{ProgramName: "shomei", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		// WebView2 keeps its profile beside Shomei's own files
		// (%LocalAppData%\Shomei\WebView2), not in the roaming profile
		// under the executable's name (Wails' default).
		Windows: &windows.Options{WebviewUserDataPath: filepath.Join(o.DataDir, "WebView2")},
	})
}
