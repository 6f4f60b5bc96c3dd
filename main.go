// Command shomei is the Shomei desktop app, its local web UI and its command
// line, in one binary. Started without arguments, a binary built with the
// desktop tags (wails build) opens the window; otherwise the arguments are a
// command (shomei serve is the web UI).
package main

import (
	"context"
	"os"
	"os/signal"
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
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
