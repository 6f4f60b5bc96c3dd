package cli

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/spf13/pflag"
	"net/url"
	"strconv"
	"strings"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
)

// fileMessage explains a per-file failure in the user's language.
func fileMessage(L i18n.Lang, err error) string {
	var fe *signing.FileError
	if errors.As(err, &fe) {
		return i18n.T(L, "file."+string(fe.Code))
	}
	return i18n.Error(L, err)
}

func errorCode(err error) string {
	var fe *signing.FileError
	if errors.As(err, &fe) {
		return string(fe.Code)
	}
	if c := cardio.CodeOf(err); c != "" {
		return string(c)
	}
	return "internal"
}

// askYes asks a yes/no question at the terminal.
func askYes(e *Env, prompt string) bool {
	fmt.Fprint(e.Stderr, prompt)
	ans, _ := bufio.NewReader(e.Stdin).ReadString('\n')
	return strings.TrimSpace(strings.ToLower(ans)) == "yes"
}

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
			fmt.Fprintln(e.Stderr, "shomei: --level b-t needs --tsa URL")
			return exitUsage
		case *level == "b-b" && *tsaURL != "":
			fmt.Fprintln(e.Stderr, "shomei: --tsa makes a b-t signature; drop --level b-b")
			return exitUsage
		case *level != "" && *level != "b-b" && *level != "b-t":
			fmt.Fprintln(e.Stderr, "shomei: --level takes b-b or b-t")
			return exitUsage
		}
		if *tsaURL != "" {
			u, err := url.Parse(*tsaURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				fmt.Fprintln(e.Stderr, "shomei: --tsa wants an http or https URL")
				return exitUsage
			}
			opt.TSA = &tsa.Client{URL: *tsaURL}
		}
		if *visible != "" {
			st, err := parseStamp(*visible)
			if err != nil {
				fmt.Fprintln(e.Stderr, "shomei: --visible:", err)
				return exitUsage
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
			fmt.Fprintln(e.Stderr, "shomei: --certify takes no-changes, form-filling or annotations")
			return exitUsage
		}
		L := e.Lang

		// What the certificate discloses, before anything else.
		fmt.Fprintln(e.Stderr, i18n.T(L, "sign.disclosure"))
		if !*accept {
			if *fromStdin || e.IsTerminal == nil || !e.IsTerminal() {
				fmt.Fprintln(e.Stderr, i18n.T(L, "sign.disclosure.flag"))
				return exitError
			}
			if !askYes(e, i18n.T(L, "sign.disclosure.prompt")) {
				fmt.Fprintln(e.Stderr, i18n.T(L, "sign.disclosure.no"))
				return exitError
			}
		}

		st, lastTry, src, code := beforePIN(e, *reader, pin.Sign, *confirm, *fromStdin, func(st *cardsvc.Status) error {
			if !st.Card.SignCert {
				return cardio.ErrNoSigningCert
			}
			return nil
		})
		if st == nil {
			return code
		}
		secret, err := src.ask(pin.Sign, i18n.T(L, "pin.sign")+": ")
		if err != nil {
			return fail(e, err)
		}

		var results []signing.Result
		sr := signRecord{files: files, opt: opt, testCard: st.TestCard}
		progress := func(ev signing.Event) {
			if ev.Result == nil {
				fmt.Fprintf(e.Stderr, "%s %s\n", bar(ev.Done, ev.Total), i18n.T(L, "sign.progress", ev.Done+1, ev.Total, ev.Current))
				return
			}
			if ev.Result.OK() {
				fmt.Fprintln(e.Stderr, "  "+i18n.T(L, "sign.ok", ev.Result.Output))
			} else {
				fmt.Fprintln(e.Stderr, "  "+i18n.T(L, "sign.failed", ev.Result.Input, fileMessage(L, ev.Result.Err)))
			}
		}
		err = e.Cards.WithSigner(st.Reader, jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: secret, Seen: st.Seen(pin.Sign), ConfirmLastTry: lastTry}, func(g *jpki.Signer) error {
			sr.signer = jpkicert.HolderName(g.Certificate()) // the name only: no other holder data
			results = signing.Files(e.Ctx, g, files, opt, progress)
			return nil
		})
		if err != nil && results == nil {
			var code int
			if *asJSON {
				code = failJSON(e, err)
			} else {
				code = fail(e, err)
			}
			recordSigning(e, sr, nil, err)
			return code
		}
		defer recordSigning(e, sr, results, err)
		ok := 0
		type jsonResult struct {
			signing.Result
			OK      bool   `json:"ok"`
			Code    string `json:"error_code,omitempty"`
			Message string `json:"error,omitempty"`
		}
		var js []jsonResult
		for _, r := range results {
			jr := jsonResult{Result: r, OK: r.OK()}
			if r.OK() {
				ok++
			} else {
				jr.Code, jr.Message = errorCode(r.Err), fileMessage(L, r.Err)
			}
			js = append(js, jr)
		}
		if *asJSON {
			writeJSON(e.Stdout, map[string]any{"results": js, "signed": ok, "total": len(results)})
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "sign.summary", len(results), ok))
		if ok != len(results) {
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

// bar draws done/total as a 20-cell progress bar.
func bar(done, total int) string {
	const cells = 20
	if total <= 0 {
		return ""
	}
	n := done * cells / total
	return "[" + strings.Repeat("#", n) + strings.Repeat("-", cells-n) + "]"
}
