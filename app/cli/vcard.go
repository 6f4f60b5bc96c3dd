package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vpcd"
	"github.com/shomei-app/shomei/internal/errs"
)

// DefaultVCardDir is where the virtual card lives unless --state says
// otherwise: $XDG_DATA_HOME/shomei/vcard.
func DefaultVCardDir() string {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "shomei", "vcard")
}

// loadConfig reads a virtual card configuration (none: the defaults).
func loadConfig(path string) (vcard.Config, error) {
	var cfg vcard.Config
	if path == "" {
		return cfg, nil
	}
	raw, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(raw, &cfg)
	}
	if err != nil {
		return cfg, errs.Wrap(err, errs.VCardConfig, path)
	}
	return cfg, nil
}

// vcardFlags are the options every vcard command takes.
type vcardFlags struct {
	state, config *string
}

func addVCardFlags(fs *pflag.FlagSet) vcardFlags {
	return vcardFlags{state: fs.String("state", DefaultVCardDir(), ""), config: fs.String("config", "", "")}
}

func cmdVCardInit(e *Env, fs *pflag.FlagSet) func(args []string) int {
	vf := addVCardFlags(fs)
	return func(args []string) int {
		cfg, err := loadConfig(*vf.config)
		if err != nil {
			return fail(e, err)
		}
		if _, err := vcard.NewState(*vf.state, cfg); err != nil {
			return fail(e, errs.Wrap(err, errs.VCardState, *vf.state))
		}
		fmt.Fprintln(e.Stdout, *vf.state)
		return exitOK
	}
}

func cmdVCardExportRoot(e *Env, fs *pflag.FlagSet) func(args []string) int {
	state := fs.String("state", DefaultVCardDir(), "")
	out := fs.String("out", "", "")
	return func(args []string) int {
		st, err := vcard.LoadState(*state)
		if err != nil {
			return fail(e, errs.Wrap(err, errs.VCardState, *state))
		}
		if *out == "" {
			e.Stdout.Write(st.RootPEM())
			return exitOK
		}
		if err := os.WriteFile(*out, st.RootPEM(), 0o644); err != nil {
			return fail(e, errs.Wrap(err, errs.VCardWrite, *out))
		}
		return exitOK
	}
}

func cmdVCardRun(e *Env, fs *pflag.FlagSet) func(args []string) int {
	vf := addVCardFlags(fs)
	port := fs.Int("port", 35963, "")
	host := fs.String("host", "127.0.0.1", "")
	t0 := fs.Bool("t0", false, "")
	tamper := fs.Bool("tamper-chip-data", false, "")
	return func(args []string) int {
		cfg, err := loadConfig(*vf.config)
		if err != nil {
			return fail(e, err)
		}
		st, err := vcard.OpenOrCreate(*vf.state, cfg)
		if err != nil {
			return fail(e, errs.Wrap(err, errs.VCardState, *vf.state))
		}
		var opts []vcard.Option
		if *tamper {
			opts = append(opts, vcard.TamperChipData())
		}
		card := vcard.New(st, opts...)
		card.T0 = *t0
		addr := fmt.Sprintf("%s:%d", *host, *port)
		fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "vcard.inserted", addr, *vf.state))
		vpcd.Run(e.Ctx, addr, card, time.Second, func(err error, wait time.Duration) {
			fmt.Fprintf(e.Stderr, "shomei vcard: %s %s\n", time.Now().Format(time.TimeOnly), i18n.T(e.Lang, "vcard.retry", addr, int(wait/time.Second)))
			if os.Getenv("SHOMEI_DEBUG") == "1" {
				fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", err)
			}
		})
		fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "vcard.removed"))
		return exitOK
	}
}

func cmdVCardInfo(e *Env, fs *pflag.FlagSet) func(args []string) int {
	vf := addVCardFlags(fs)
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int { return runVCardInfo(e, *vf.state, *vf.config, *asJSON) }
}
