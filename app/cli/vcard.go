package cli

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vpcd"
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

func loadConfig(path string) (vcard.Config, error) {
	var cfg vcard.Config
	if path == "" {
		return cfg, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return cfg, err
	}
	return cfg, json.Unmarshal(raw, &cfg)
}

func cmdVCard(e *Env, args []string) int {
	sub := ""
	if len(args) > 0 && (args[0] == "init" || args[0] == "export-root" || args[0] == "run" || args[0] == "info") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags("vcard "+sub, e)
	state := fs.String("state", DefaultVCardDir(), "directory holding the card's keys, certificates and counters")
	config := fs.String("config", "", "JSON file with holder data, PINs and reset code for a new card (see README)")
	port := fs.Int("port", 35963, "vpcd port (35963 is \"Virtual PCD 00 00\", 35964 \"Virtual PCD 00 01\")")
	host := fs.String("host", "127.0.0.1", "vpcd host")
	out := fs.String("out", "", "export-root: file to write (default standard output)")
	t0 := fs.Bool("t0", false, "answer like a T=0 card (61xx / 6Cxx)")
	tamper := fs.Bool("tamper-chip-data", false, "serve 券面 data altered after their signature (a forged card, for tests)")
	asJSON := fs.Bool("json", false, "info: JSON output")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	cfg, err := loadConfig(*config)
	if err != nil {
		fmt.Fprintln(e.Stderr, "shomei: vcard config:", err)
		return exitError
	}
	switch sub {
	case "info":
		return runVCardInfo(e, *state, *config, *asJSON)
	case "init":
		if _, err := vcard.NewState(*state, cfg); err != nil {
			fmt.Fprintln(e.Stderr, "shomei: vcard init:", err)
			return exitError
		}
		fmt.Fprintln(e.Stdout, *state)
		return exitOK
	case "export-root":
		st, err := vcard.LoadState(*state)
		if err != nil {
			fmt.Fprintln(e.Stderr, "shomei: vcard:", err)
			return exitError
		}
		if *out == "" {
			e.Stdout.Write(st.RootPEM())
			return exitOK
		}
		if err := os.WriteFile(*out, st.RootPEM(), 0o644); err != nil {
			fmt.Fprintln(e.Stderr, "shomei: vcard:", err)
			return exitError
		}
		return exitOK
	}
	st, err := vcard.OpenOrCreate(*state, cfg)
	if err != nil {
		fmt.Fprintln(e.Stderr, "shomei: vcard:", err)
		return exitError
	}
	var opts []vcard.Option
	if *tamper {
		opts = append(opts, vcard.TamperChipData())
	}
	card := vcard.New(st, opts...)
	card.T0 = *t0
	addr := fmt.Sprintf("%s:%d", *host, *port)
	fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "vcard.inserted", addr, *state))
	logger := log.New(e.Stderr, "shomei vcard: ", log.LstdFlags)
	vpcd.Run(e.Ctx, addr, card, time.Second, logger.Printf)
	fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "vcard.removed"))
	return exitOK
}
