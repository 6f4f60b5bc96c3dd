package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/errs"
	"github.com/shomei-app/shomei/internal/smallfile"
)

// readConsentDoc reads and validates a consent document; on failure it
// prints every problem in the user's language.
func readConsentDoc(e *Env, path string) (*consent.Parsed, int) {
	raw, err := smallfile.Read(path, consent.MaxSize)
	if err != nil {
		return nil, fail(e, errs.Wrap(err, errs.ConsentRead, path))
	}
	p, err := consent.Parse(raw)
	var inv *consent.Invalid
	if errors.As(err, &inv) {
		fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(e.Lang, "consent.err.invalid", path))
		for _, pr := range inv.Problems {
			fmt.Fprintln(e.Stderr, "  - "+pr.Message(e.Lang))
		}
		return nil, exitError
	}
	if err != nil {
		return nil, fail(e, err)
	}
	return p, exitOK
}

// printScreen shows the consent screen: who, the title, the summary, the
// items, the two buttons, and right under them the details link.
func printScreen(w io.Writer, L i18n.Lang, v consent.View) {
	s := v.Screen
	rule := strings.Repeat("─", 40)
	fmt.Fprintln(w, rule)
	fmt.Fprintf(w, "%s / %s\n\n", s.Business, s.Service)
	fmt.Fprintf(w, "【%s】\n\n", s.Title)
	for _, p := range s.Summary {
		fmt.Fprintln(w, p)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, i18n.T(L, "consent.screen.items"))
	for _, it := range s.Items {
		fmt.Fprintln(w, "  ・"+it.Label)
		for _, n := range it.Notes {
			fmt.Fprintln(w, "      ※ "+n)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  [ %s ]    [ %s ]\n\n", s.Buttons[0].Label, s.Buttons[1].Label)
	fmt.Fprintf(w, "  ▶ %s\n", s.DetailsLink)
	fmt.Fprintln(w, rule)
}

// printDetails shows the full details, numbered in the guidance's order.
func printDetails(w io.Writer, L i18n.Lang, v consent.View) {
	fmt.Fprintf(w, "<%s>\n", v.Details.Heading)
	for _, s := range v.Details.Sections {
		tag := i18n.T(L, "consent.optional")
		if s.Required {
			tag = i18n.T(L, "consent.required")
		}
		fmt.Fprintf(w, "\n%d. %s %s\n", s.Number, s.Heading, tag)
		for i, l := range s.List {
			if s.Kind == "purposes" {
				fmt.Fprintf(w, "   (%d) %s\n", i+1, l)
			} else {
				fmt.Fprintf(w, "   %s\n", l)
			}
		}
		for _, t := range s.Text {
			fmt.Fprintf(w, "   %s\n", t)
		}
	}
}

func consentShow(e *Env, fs *pflag.FlagSet) func(args []string) int {
	details := fs.Bool("details", false, "")
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		pos := args
		p, code := readConsentDoc(e, pos[0])
		if p == nil {
			return code
		}
		v := consent.Render(p, e.Lang)
		if *asJSON {
			writeJSON(e.Stdout, v)
			return exitOK
		}
		printScreen(e.Stdout, e.Lang, v)
		if *details {
			fmt.Fprintln(e.Stdout)
			printDetails(e.Stdout, e.Lang, v)
		} else {
			fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "consent.show.hint", pos[0]))
		}
		fmt.Fprintln(e.Stdout, "document_sha256: "+p.SHA256)
		return exitOK
	}
}

// signFlags are the PIN-guard flags every signing command shares.
type signFlags struct {
	reader                     *string
	fromStdin, accept, confirm *bool
	asJSON, overwrite          *bool
	out                        *string
}

func addSignFlags(fs interface {
	String(name, value, usage string) *string
	Bool(name string, value bool, usage string) *bool
}, outHelp string) signFlags {
	return signFlags{
		reader:    fs.String("reader", "", ""),
		fromStdin: fs.Bool("pin-stdin", false, ""),
		accept:    fs.Bool("accept-disclosure", false, ""),
		confirm:   fs.Bool("confirm-last-try", false, ""),
		asJSON:    fs.Bool("json", false, ""),
		overwrite: fs.Bool("overwrite", false, ""),
		out:       fs.String("out", "", outHelp),
	}
}

// signUI is flow.UI at the terminal for a signing command's flags.
func signUI(e *Env, sf signFlags) *termUI {
	return &termUI{e: e, acceptDisclosure: *sf.accept, confirmLast: *sf.confirm, fromStdin: *sf.fromStdin, signing: true}
}

// failSigning explains a failure of a consent or application signature; a
// failure outside the vocabulary is the output's write.
func failSigning(e *Env, err error, asJSON bool) int {
	if x := errs.From(err); x.Code == errs.Internal {
		err = errs.Wrap(err, errs.WriteFailed)
	}
	return failAs(e, err, asJSON)
}

// signCertLife prints the signing certificate's standing when it needs
// attention (within the warning window or expired).
func signCertLife(e *Env, sg flow.Signature) {
	if sg.Cert == nil {
		return
	}
	l := certlife.Assess(certlife.Sign, sg.Cert.NotAfter, sg.At, 0)
	if !l.Warn {
		return
	}
	for _, s := range l.Lines(e.Lang) {
		fmt.Fprintln(e.Stderr, "shomei: "+s)
	}
}

// decide gets the decision: the flag, or the person at a terminal (who can
// open the details first).
func decide(e *Env, flag string, v consent.View) (consent.Decision, bool) {
	L := e.Lang
	switch flag {
	case "agree":
		return consent.Agree, true
	case "disagree":
		return consent.Disagree, true
	case "":
	default:
		return "", false
	}
	if e.IsTerminal == nil || !e.IsTerminal() {
		fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "consent.err.no_decision"))
		return "", false
	}
	in := bufio.NewReader(e.Stdin)
	for {
		fmt.Fprint(e.Stderr, i18n.T(L, "consent.prompt"))
		line, err := in.ReadString('\n')
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "agree", "同意する":
			return consent.Agree, true
		case "disagree", "同意しない":
			return consent.Disagree, true
		case "details", "詳細":
			printDetails(e.Stderr, L, v)
			printScreen(e.Stderr, L, v)
		}
		if err != nil {
			return "", false
		}
	}
}

func defaultOut(in, suffix string) string {
	base := strings.TrimSuffix(in, filepath.Ext(in))
	if strings.HasSuffix(in, ".consent.p7m") {
		base = strings.TrimSuffix(in, ".consent.p7m")
	}
	return base + suffix
}

func consentSign(e *Env, fs *pflag.FlagSet) func(args []string) int {
	decision := fs.String("decision", "", "")
	sf := addSignFlags(fs, "the signed consent (default: FILE without .json, plus .consent.p7m)")
	return func(args []string) int {
		pos := args
		L := e.Lang
		p, code := readConsentDoc(e, pos[0])
		if p == nil {
			return code
		}
		v := consent.Render(p, L)
		printScreen(e.Stderr, L, v)
		d, ok := decide(e, *decision, v)
		if !ok {
			return usage(e, "cli.usage.choice", *decision, "agree, disagree")
		}
		out := *sf.out
		if out == "" {
			out = defaultOut(pos[0], ".consent.p7m")
		}
		// A refusal signs nothing and uses no card; the flow records it.
		o, err := e.flows().Consent(e.Ctx, signUI(e, sf), flow.ConsentJob{Reader: *sf.reader, Doc: p, Decision: d, Out: out, Overwrite: *sf.overwrite})
		if err != nil {
			return failSigning(e, err, *sf.asJSON)
		}
		if o.Signed == nil {
			if *sf.asJSON {
				writeJSON(e.Stdout, map[string]any{"decision": "disagree", "signed": false, "document_sha256": p.SHA256})
			}
			fmt.Fprintln(e.Stderr, i18n.T(L, "consent.refused"))
			return exitOK
		}
		signCertLife(e, o.Signature)
		vd := o.Signed.Validity
		if *sf.asJSON {
			writeJSON(e.Stdout, map[string]any{"decision": "agree", "signed": true, "output": out, "consent_sha256": o.Signed.FileSHA256,
				"document_sha256": p.SHA256, "decided_at": o.Signed.At.UTC().Truncate(time.Second).Format(time.RFC3339), "validity": vd})
		} else {
			fmt.Fprintln(e.Stdout, out)
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "consent.signed", out))
		fmt.Fprintln(e.Stderr, i18n.T(L, "consent.validity", vd.From, vd.Until))
		return exitOK
	}
}

func consentWithdraw(e *Env, fs *pflag.FlagSet) func(args []string) int {
	sf := addSignFlags(fs, "the signed withdrawal (default: SIGNED_FILE without .consent.p7m, plus .withdrawal.p7m)")
	return func(args []string) int {
		pos := args
		L := e.Lang
		raw, err := smallfile.Read(pos[0], 4*consent.MaxSize)
		if err != nil {
			return fail(e, errs.Wrap(err, errs.ConsentRead, pos[0]))
		}
		c, err := consent.ReadSigned(raw)
		if err != nil {
			fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "consent.err.not_consent", pos[0]))
			if os.Getenv("SHOMEI_DEBUG") == "1" {
				fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", err)
			}
			return exitError
		}
		d := c.Parsed.Doc
		fmt.Fprintln(e.Stderr, i18n.T(L, "consent.withdraw.what", d.Service.Name, d.Business.Name, c.Statement.DecidedAt))
		out := *sf.out
		if out == "" {
			out = defaultOut(pos[0], ".withdrawal.p7m")
		}
		o, err := e.flows().ConsentWithdraw(e.Ctx, signUI(e, sf), *sf.reader, c, out, *sf.overwrite)
		if err != nil {
			return failSigning(e, err, *sf.asJSON)
		}
		signCertLife(e, o.Signature)
		if *sf.asJSON {
			writeJSON(e.Stdout, map[string]any{"withdrawn": true, "output": out, "consent_sha256": c.FileSHA256, "withdrawal_sha256": o.Signed.FileSHA256,
				"withdrawn_at": o.Signed.At.UTC().Truncate(time.Second).Format(time.RFC3339)})
		} else {
			fmt.Fprintln(e.Stdout, out)
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "consent.withdrawn", out))
		return exitOK
	}
}

// consentList lists the consents in the history, oldest first, each with
// its withdrawal when there is one.
func consentList(e *Env, fs *pflag.FlagSet) func(args []string) int {
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		L := e.Lang
		path, err := history.Path()
		var rows []consent.Row
		if err == nil {
			rows, err = consent.List(path, L)
		}
		if err != nil {
			return failAs(e, history.Failure(err), *asJSON)
		}
		if *asJSON {
			writeJSON(e.Stdout, map[string]any{"consents": rows})
			return exitOK
		}
		if len(rows) == 0 {
			fmt.Fprintln(e.Stdout, i18n.T(L, "consent.list.none"))
			return exitOK
		}
		for _, r := range rows {
			fmt.Fprintf(e.Stdout, "%s\t%s\t%s\t%s\t%s\n", r.Date, r.Service, r.Business, r.DecisionText, r.State)
		}
		return exitOK
	}
}
