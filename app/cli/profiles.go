package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/shomei-app/shomei/backend/digestsign"
	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/internal/errs"
)

// signEgov is `shomei sign --egov DIR [--out OUT]`: what will be signed
// (the files, the form's main values) is shown, then kousei.xml is signed
// with one card operation and the signed folder and its zip are written to
// OUT (never in place, never over an existing output unless --overwrite).
func signEgov(e *Env, dir string, sf signFlags) int {
	L := e.Lang
	p, err := egov.Load(dir)
	if err != nil {
		return failAs(e, err, *sf.asJSON)
	}
	out := *sf.out
	if out == "" {
		out = egov.OutputFor(dir)
	}
	if err := egov.CheckOutput(dir, out, *sf.overwrite); err != nil {
		return failAs(e, err, *sf.asJSON) // before the summary; the flow checks again
	}
	w := e.Stderr
	fmt.Fprintln(w, i18n.T(L, "egov.summary", dir))
	fmt.Fprintln(w, i18n.T(L, "egov.files", len(p.Files)))
	names := make([]string, len(p.Files))
	for i, f := range p.Files {
		names[i] = f.Name
		fmt.Fprintf(w, "  %s  %d B  SHA-256 %s…\n", egov.Printable(f.Name), f.Size, f.SHA256[:16])
	}
	if len(p.Fields) > 0 {
		fmt.Fprintln(w, i18n.T(L, "egov.fields"))
		for _, f := range p.Fields {
			fmt.Fprintf(w, "  %s: %s\n", f.Name, f.Value)
		}
	}
	if len(p.Extra) > 0 {
		extra := make([]string, len(p.Extra))
		for i, x := range p.Extra {
			extra[i] = egov.Printable(x)
		}
		fmt.Fprintln(w, i18n.T(L, "egov.extra", strings.Join(extra, ", ")))
	}
	o, err := e.flows().SignEgov(e.Ctx, signUI(e, sf), flow.EgovJob{Reader: *sf.reader, Pkg: p, Source: dir, Out: out, Overwrite: *sf.overwrite})
	if err != nil {
		return failSigning(e, err, *sf.asJSON)
	}
	signCertLife(e, o.Signature)
	res := o.Output
	if *sf.asJSON {
		writeJSON(e.Stdout, map[string]any{"dir": res.Dir, "zip": res.Zip, "kousei_sha256": o.KouseiSHA256, "files": p.Files})
	} else {
		fmt.Fprintln(e.Stdout, res.Zip)
	}
	fmt.Fprintln(e.Stderr, i18n.T(L, "egov.done", res.Dir, res.Zip))
	return exitOK
}

// signDigests is `shomei sign --digest HEX... | --digest-file F [--key
// sign|auth]`: one PIN entry, one VERIFY, one raw PKCS#1 v1.5 signature per
// digest, printed as JSON for the program that asked.
func signDigests(e *Env, hexes []string, file, key string, sf signFlags) int {
	L := e.Lang
	var ds []digestsign.Digest
	var err error
	if file != "" {
		f, ferr := os.Open(file)
		if ferr != nil {
			return failAs(e, errs.Wrap(ferr, errs.ReadFailed, file), *sf.asJSON)
		}
		ds, err = digestsign.ReadList(f)
		f.Close()
		if err == nil && len(hexes) > 0 {
			more, merr := digestsign.ParseAll(hexes)
			ds, err = append(ds, more...), merr
			if err == nil && len(ds) > digestsign.MaxDigests {
				err = digestsign.ErrTooMany
			}
		}
	} else {
		ds, err = digestsign.ParseAll(hexes)
	}
	if err != nil {
		return failAs(e, err, *sf.asJSON)
	}
	k := jpki.SignKey
	switch key {
	case "sign", "":
		fmt.Fprintln(e.Stderr, i18n.T(L, "digest.sign_notice", len(ds)))
	case "auth":
		k = jpki.AuthKey
		fmt.Fprintln(e.Stderr, i18n.T(L, "digest.auth_notice"))
	default:
		return usage(e, "cli.usage.choice", key, "sign, auth")
	}
	ui := &termUI{e: e, acceptDisclosure: *sf.accept, confirmLast: *sf.confirm, fromStdin: *sf.fromStdin, signing: k == jpki.SignKey}
	out, _, err := e.flows().SignDigests(e.Ctx, ui, *sf.reader, k, ds)
	if err != nil {
		return failSigning(e, err, *sf.asJSON)
	}
	writeJSON(e.Stdout, out)
	fmt.Fprintln(e.Stderr, i18n.T(L, "digest.done", len(out.Signatures)))
	return exitOK
}

// toukiLine prints a PDF report's 登記 line.
func printTouki(e *Env, r *verify.FileReport) {
	if r.Touki == nil {
		return
	}
	s := r.Touki.Sentence.EN
	if e.Lang == i18n.JA {
		s = r.Touki.Sentence.JA
	}
	fmt.Fprintf(e.Stdout, "  %s\n", s)
}

// toukiDecides turns a report's exit code into the --profile touki one: a
// PDF that does not meet the requirements fails.
func toukiDecides(r *verify.FileReport, code int) int {
	if r.Kind != "pdf" || (r.Touki != nil && r.Touki.Met) {
		return code
	}
	if code == exitOK || code == exitIndeterminate {
		return exitError
	}
	return code
}
