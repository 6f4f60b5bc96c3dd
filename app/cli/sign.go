package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/internal/errs"
)

func cmdSign(e *Env, fs *pflag.FlagSet) func(args []string) int {
	format := fs.String("format", "auto", "")
	reason := fs.String("reason", "", "")
	location := fs.String("location", "", "")
	level := fs.String("level", "", "")
	tsaURL := fs.String("tsa", "", "")
	visible := fs.String("visible", "", "")
	certify := fs.String("certify", "", "")
	enveloping := fs.Bool("enveloping", false, "")
	out := fs.String("out", "", "")
	overwrite := fs.Bool("overwrite", false, "")
	reader := fs.String("reader", "", "")
	fromStdin := fs.Bool("pin-stdin", false, "")
	accept := fs.Bool("accept-disclosure", false, "")
	confirm := fs.Bool("confirm-last-try", false, "")
	asJSON := fs.Bool("json", false, "")
	app := fs.String("application", "", "")
	profile := fs.String("profile", "", "")
	egovDir := fs.String("egov", "", "")
	digest := fs.Bool("digest", false, "")
	digestFile := fs.String("digest-file", "", "")
	key := fs.String("key", "sign", "")
	return func(args []string) int {
		files := args
		sf := signFlags{reader: reader, fromStdin: fromStdin, accept: accept, confirm: confirm, asJSON: asJSON, overwrite: overwrite, out: out}
		if *egovDir != "" {
			if len(files) > 0 {
				return usage(e, "cli.usage.args", len(files), i18n.T(e.Lang, "cli.usage.args.exact", 0))
			}
			return signEgov(e, *egovDir, sf)
		}
		if *digest || *digestFile != "" {
			return signDigests(e, files, *digestFile, *key, sf)
		}
		if *app != "" {
			return signApplication(e, append([]string{*app}, files...), signFlags{reader: reader, fromStdin: fromStdin, accept: accept, confirm: confirm, asJSON: asJSON, overwrite: overwrite, out: out})
		}
		if len(files) == 0 {
			return usage(e, "cli.usage.args", 0, i18n.T(e.Lang, "cli.usage.args.min", 1))
		}
		opt, err := signing.Choices{Format: *format, Level: *level, TSA: *tsaURL, Certify: *certify, Enveloping: *enveloping,
			Overwrite: *overwrite, Reason: *reason, Location: *location, OutDir: *out, Profile: *profile}.Options()
		var ce *signing.ChoiceError
		switch {
		case errors.As(err, &ce) && ce.Allowed != "":
			return usage(e, "cli.usage.choice", ce.Value, ce.Allowed)
		case errors.As(err, &ce) && ce.Code == errs.TSAMissing:
			return usage(e, "cli.usage.needs", "--tsa")
		case errors.As(err, &ce):
			return usage(e, "cli.usage.invalid", "--"+ce.Option, ce.Value)
		case err != nil:
			return failAs(e, err, *asJSON)
		}
		if *visible != "" {
			st, err := parseStamp(*visible)
			if err != nil {
				return usage(e, "cli.usage.invalid", "--visible", *visible)
			}
			opt.Visible = st
		}
		L := e.Lang
		ui := &termUI{e: e, acceptDisclosure: *accept, confirmLast: *confirm, fromStdin: *fromStdin, signing: true, progress: e.errTerminal()}
		o, err := e.flows().SignBatch(e.Ctx, ui, flow.SignJob{Reader: *reader, Files: files, Options: opt})
		if o == nil {
			return failAs(e, err, *asJSON)
		}
		ok := 0
		type jsonResult struct {
			signing.Result
			OK      bool   `json:"ok"`
			Code    string `json:"error_code,omitempty"`
			Message string `json:"error,omitempty"`
		}
		var js []jsonResult
		for _, r := range o.Results {
			jr := jsonResult{Result: r, OK: r.OK()}
			if !o.Checked { // refused before the card: nothing was written
				jr.Result.Output, jr.OK = "", false
			}
			if jr.OK {
				ok++
			} else if r.Err != nil {
				x := errs.From(r.Err)
				jr.Code, jr.Message = string(x.Code), i18n.Error(L, x)
				if !o.Checked {
					fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "sign.failed", r.Input, jr.Message))
				}
			}
			js = append(js, jr)
		}
		if *asJSON {
			out := map[string]any{"results": js, "signed": ok, "total": len(o.Results)}
			if err != nil {
				out["error"] = i18n.FailureOf(L, err, false)
			}
			writeJSON(e.Stdout, out)
		}
		if err != nil {
			return fail(e, err)
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "sign.summary", len(o.Results), ok))
		if ok != len(o.Results) {
			return exitError
		}
		return exitOK
	}
}

// parseStamp reads PAGE,X,Y,W,H.
func parseStamp(s string) (*pades.Stamp, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 5 {
		return nil, fmt.Errorf("want PAGE,X,Y,W,H, got %q", s)
	}
	var v [5]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, err
		}
		v[i] = f
	}
	if v[0] != float64(int(v[0])) {
		return nil, fmt.Errorf("page %v", v[0])
	}
	return signing.NewStamp(int(v[0]), v[1], v[2], v[3], v[4])
}
