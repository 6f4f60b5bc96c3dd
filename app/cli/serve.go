package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/app/web"
	"github.com/shomei-app/shomei/backend/appdir"
	"github.com/shomei-app/shomei/frontend"
)

// cmdServe runs the local web UI: it prints the URL with this launch's
// token as the first line of output, opens the browser there (unless
// --no-open) and serves until interrupted.
func cmdServe(e *Env, fs *pflag.FlagSet) func(args []string) int {
	addr := fs.String("addr", "127.0.0.1:0", "")
	noOpen := fs.Bool("no-open", false, "")
	return func(args []string) int {
		started := time.Now()
		data, err := appdir.Data()
		if err != nil {
			fmt.Fprintln(e.Stderr, "shomei: serve:", err)
			return exitError
		}
		work := filepath.Join(data, "web-files")
		if err := os.MkdirAll(work, 0o700); err != nil {
			fmt.Fprintln(e.Stderr, "shomei: serve:", err)
			return exitError
		}
		// SHOMEI_READY_LOG=1 logs when each request arrives and is answered
		// (scripts/ui-figures.sh's phases from the server's side).
		var phase func(string)
		if os.Getenv("SHOMEI_READY_LOG") == "1" {
			phase = func(what string) {
				fmt.Fprintf(e.Stderr, "shomei: serve: %s after %.1f ms\n", what, float64(time.Since(started).Microseconds())/1000)
			}
		}
		srv, err := web.Listen(web.Options{Addr: *addr, WorkDir: work, Assets: frontend.Assets(), Phase: phase})
		if err != nil {
			fmt.Fprintln(e.Stderr, "shomei: serve:", err)
			return exitUsage
		}
		uiservice.Version = Version
		svc, err := uiservice.New(uiservice.Config{Cards: e.Cards, Platform: srv.Platform(), Files: srv.Files(), DataDir: data, Mode: "web", WorkDir: work, LogEvents: os.Getenv("SHOMEI_EVENT_LOG") == "1"})
		if err != nil {
			fmt.Fprintln(e.Stderr, "shomei: serve:", err)
			return exitError
		}
		defer uiservice.Close(svc)
		if phase != nil {
			phase("service made")
		}
		fmt.Fprintln(e.Stdout, srv.URL())
		if f, ok := e.Stdout.(*os.File); ok {
			f.Sync()
		}
		if !frontend.Built() {
			fmt.Fprintln(e.Stderr, "shomei: serve: this binary has no built UI (run make setup, then make cli)")
		}
		fmt.Fprintln(e.Stderr, "shomei: serve: signed files of the browser are kept in", work)
		if !*noOpen {
			openBrowser(e, srv.URL())
		}
		if err := srv.Serve(e.Ctx, svc); err != nil {
			fmt.Fprintln(e.Stderr, "shomei: serve:", err)
			return exitError
		}
		return exitOK
	}
}

// openBrowser opens url with the system's handler; failure is not fatal,
// the URL is printed already.
func openBrowser(e *Env, url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(e.Stderr, "shomei: serve: could not open a browser; open the URL above")
		return
	}
	go cmd.Wait()
}
