// Command shomei is the Shomei desktop app, its local web UI and its command
// line, in one binary. This file holds the command line entry; the desktop
// window comes with the desktop build tags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/shomei-app/shomei/app/cli"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cards := &cardsvc.PCSC{}
	defer cards.Close()
	env := &cli.Env{
		Ctx:        ctx,
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Lang:       i18n.FromEnv(),
		Cards:      cardsvc.New(cards),
		IsTerminal: func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		ReadSecret: func(prompt string) ([]byte, error) {
			os.Stderr.WriteString(prompt)
			defer os.Stderr.WriteString("\n")
			return term.ReadPassword(int(os.Stdin.Fd()))
		},
	}
	code := cli.Run(env, os.Args[1:])
	stop()
	cards.Close()
	os.Exit(code)
}
