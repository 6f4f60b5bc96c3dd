// Command shomei is the Shomei desktop app, its local web UI and its command
// line, in one binary. Started without arguments, a binary built with the
// desktop tags (wails build) opens the window; otherwise the arguments are a
// command (shomei serve is the web UI).
package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/app/desktop"
	"github.com/shomei-app/shomei/backend/appdir"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/frontend"
)

func main() {
	started := time.Now()
	// Ctrl-C (SIGINT) and SIGTERM cancel the command's context: it stops
	// at its next check and exits 130, or 143 (128 + 15) for SIGTERM.
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var got atomic.Value
	go func() {
		if s, ok := <-sigs; ok {
			got.Store(s)
			cancel()
		}
	}()
	stop := func() { signal.Stop(sigs); cancel() }
	defer stop()
	cards := &cardsvc.PCSC{}
	defer cards.Close()
	env := &cli.Env{
		Ctx:           ctx,
		Stdin:         os.Stdin,
		Stdout:        os.Stdout,
		Stderr:        os.Stderr,
		Lang:          i18n.FromEnv(),
		Cards:         cardsvc.New(cards),
		IsTerminal:    func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		ErrIsTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
		OutIsTerminal: func() bool { return term.IsTerminal(int(os.Stdout.Fd())) },
		// Raw mode: Ctrl-C at a PIN prompt is a key that cancels, not a
		// signal that would leave the read waiting for the next line.
		ReadSecret: func(prompt string) ([]byte, error) {
			return cli.ReadSecretTTY(int(os.Stdin.Fd()), os.Stdin, os.Stderr, prompt)
		},
		ReadLine: func(prompt string) ([]byte, error) {
			return cli.ReadLineTTY(int(os.Stdin.Fd()), os.Stdin, os.Stderr, prompt)
		},
	}
	code := 0
	if len(os.Args) == 1 && desktop.Available {
		// The desktop build opens its window when started without arguments.
		code = runDesktop(ctx, env, started)
	} else {
		code = cli.Run(env, os.Args[1:])
	}
	stop()
	cards.Close()
	if s, _ := got.Load().(os.Signal); s == syscall.SIGTERM && code == cli.ExitCancelled {
		code = cli.ExitTerminated
	}
	os.Exit(code)
}

func runDesktop(ctx context.Context, env *cli.Env, started time.Time) int {
	data, err := appdir.Data()
	if err == nil {
		err = desktop.Run(desktop.Options{Ctx: ctx, Cards: env.Cards, Assets: frontend.Assets(), DataDir: data, Started: started})
	}
	if err != nil {
		os.Stderr.WriteString("shomei: " + err.Error() + "\n")
		return 1
	}
	return 0
}
