package cli

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/tsa"
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
	return func(args []string) int {
		files := args
		if *app != "" {
			return signApplication(e, append([]string{*app}, files...), signFlags{reader: reader, fromStdin: fromStdin, accept: accept, confirm: confirm, asJSON: asJSON, overwrite: overwrite, out: out})
		}
		if len(files) == 0 {
			return usage(e, "cli.usage.args", 0, i18n.T(e.Lang, "cli.usage.args.min", 1))
		}
		opt := signing.Options{Enveloping: *enveloping, OutDir: *out, Overwrite: *overwrite, Reason: *reason, Location: *location}
		switch *format {
		case "auto":
			opt.Format = signing.FormatAuto
		case "cms":
			opt.Format = signing.FormatCMS
		case "pades":
			opt.Format = signing.FormatPAdES
		default:
			return usage(e, "cli.usage.choice", *format, "auto, cms, pades")
		}
		switch {
		case *level == "b-t" && *tsaURL == "":
			return usage(e, "cli.usage.needs", "--tsa")
		case *level == "b-b" && *tsaURL != "":
			return usage(e, "cli.usage.combo", "--level b-b, --tsa")
		case *level != "" && *level != "b-b" && *level != "b-t":
			return usage(e, "cli.usage.choice", *level, "b-b, b-t")
		}
		if *tsaURL != "" {
			u, err := url.Parse(*tsaURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usage(e, "cli.usage.invalid", "--tsa", *tsaURL)
			}
			opt.TSA = &tsa.Client{URL: *tsaURL}
		}
		if *visible != "" {
			st, err := parseStamp(*visible)
			if err != nil {
				return usage(e, "cli.usage.invalid", "--visible", *visible)
			}
			opt.Visible = st
		}
		switch *certify {
		case "":
		case "no-changes":
			opt.Certify = pades.NoChanges
		case "form-filling":
			opt.Certify = pades.FormFilling
		case "annotations":
			opt.Certify = pades.Annotations
		default:
			return usage(e, "cli.usage.choice", *certify, "no-changes, form-filling, annotations")
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
		if err != nil || f < 0 {
			return nil, fmt.Errorf("%q is not a number ≥ 0", p)
		}
		v[i] = f
	}
	if v[0] < 1 || v[0] != float64(int(v[0])) || v[3] < 20 || v[4] < 10 {
		return nil, fmt.Errorf("page from 1, width at least 20 and height at least 10 points")
	}
	return &pades.Stamp{Page: int(v[0]), X: v[1], Y: v[2], W: v[3], H: v[4]}, nil
}
