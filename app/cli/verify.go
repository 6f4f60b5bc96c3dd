package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/internal/errs"
)

// cmdVerify verifies PDFs and CMS signatures. Exit status 0 only when every
// signature of every file PASSED.
func cmdVerify(e *Env, fs *pflag.FlagSet) func(args []string) int {
	data := fs.String("data", "", "")
	var trustFiles, crlFiles []string
	fs.Func("trust", "", func(s string) error { trustFiles = append(trustFiles, s); return nil })
	fs.Func("crl", "", func(s string) error { crlFiles = append(crlFiles, s); return nil })
	noStored := fs.Bool("no-stored-trust", false, "")
	extract := fs.Int("extract-revision", 0, "")
	out := fs.String("out", "", "")
	asJSON := fs.Bool("json", false, "")
	profile := fs.String("profile", "", "")
	return func(args []string) int {
		files := args
		var err error
		if *profile != "" && *profile != "touki" {
			return usage(e, "cli.usage.choice", *profile, "touki")
		}
		if *extract != 0 {
			if len(files) != 1 {
				return usage(e, "cli.usage.args", len(files), i18n.T(e.Lang, "cli.usage.args.exact", 1))
			}
			if *out == "" {
				return usage(e, "cli.usage.needs", "--out")
			}
			n, err := verify.ExtractRevisionContext(e.Ctx, files[0], *extract, *out)
			if err != nil {
				return failAs(e, verifyError(e, err), *asJSON)
			}
			fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "verify.extracted", *extract, n, *out))
			return exitOK
		}
		opt := verify.Options{Data: *data, Ctx: e.Ctx}
		if *data != "" && len(files) > 1 {
			return usage(e, "cli.usage.args", len(files), i18n.T(e.Lang, "cli.usage.args.exact", 1))
		}
		if opt.Trust, err = verifyAnchors(e, *noStored, trustFiles); err != nil {
			return failVerify(e, *asJSON, err)
		}
		if len(crlFiles) > 0 {
			if opt.CRLs, err = trust.LoadCRLs(crlFiles...); err != nil {
				return failVerify(e, *asJSON, errs.Wrap(err, errs.VerifyBadCRL, strings.Join(crlFiles, ", ")))
			}
		}
		var outcomes []int
		var reports []*verify.FileReport
		var unread []fileFailure
		for _, f := range files {
			r, err := verify.File(f, opt)
			if errors.Is(err, verify.ErrCancelled) {
				// Ctrl-C or SIGTERM: stop here. The files done so far are
				// reported and recorded; this one is not, and --json
				// prints no partial report.
				return failAs(e, errs.New(errs.Cancelled), *asJSON)
			}
			if err != nil {
				x := errs.Wrap(err, errs.VerifyUnreadable)
				if errors.Is(err, verify.ErrChanged) {
					x = errs.Wrap(err, errs.VerifyChanged)
				}
				msg := i18n.Error(e.Lang, x)
				fmt.Fprintf(e.Stderr, "shomei: %s: %s\n", f, msg)
				unread = append(unread, fileFailure{File: f, Code: string(x.Code), Message: msg})
				outcomes = append(outcomes, exitUnreadable)
				continue
			}
			oc := verifyExit(r)
			if *profile == "touki" {
				oc = toukiDecides(r, oc)
			}
			outcomes = append(outcomes, oc)
			reports = append(reports, r)
			recordVerification(e, r)
			if !*asJSON {
				printReport(e, r)
				printTouki(e, r)
			}
		}
		code := worstVerify(outcomes)
		if *asJSON {
			out := map[string]any{"files": reports, "passed": code == exitOK}
			if len(unread) > 0 {
				out["errors"] = unread
				if len(reports) == 0 {
					out["error"] = i18n.Failure{Code: unread[0].Code, Message: unread[0].Message}
				}
			}
			writeJSON(e.Stdout, out)
		}
		return code
	}
}

// verifyAnchors is the stored anchors (unless noStored) plus the --trust
// files, which are always user anchors.
func verifyAnchors(e *Env, noStored bool, files []string) (*trust.Store, error) {
	s := trust.NewStore()
	if !noStored {
		stored, err := openTrust(e)
		if err != nil {
			return nil, err
		}
		for _, a := range stored.Anchors() {
			if a.Source == trust.SourceJLIS {
				_, err = s.AddJLIS(a.Cert.Raw)
			} else {
				_, err = s.AddUser(a.Cert.Raw, a.Name)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	for _, f := range files {
		certs, err := trust.ReadCerts(f)
		if err != nil || len(certs) == 0 {
			return nil, errs.Wrap(err, errs.VerifyBadTrust, f)
		}
		for _, c := range certs {
			if _, err := s.AddUser(c.Raw, f); err != nil {
				return nil, errs.Wrap(err, errs.VerifyBadTrust, f)
			}
		}
	}
	return s, nil
}

// failVerify reports a failure to verify at all (a --trust or --crl file,
// an extraction): exit 4, as for a file that cannot be read.
func failVerify(e *Env, asJSON bool, err error) int {
	failAs(e, err, asJSON)
	return exitUnreadable
}

// fileFailure is a file verify could not read, in --json output.
type fileFailure struct {
	File    string `json:"file"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// verifyExit is a report's exit code: 0 passed, 1 failed, 3 indeterminate.
func verifyExit(r *verify.FileReport) int {
	switch r.Indication {
	case verify.Passed:
		return exitOK
	case verify.Indeterminate:
		return exitIndeterminate
	}
	return exitError
}

// worstVerify is the exit code of several files: the most serious outcome,
// failed (1) before could not read (4) before indeterminate (3) before
// passed (0).
func worstVerify(codes []int) int {
	rank := map[int]int{exitOK: 0, exitIndeterminate: 1, exitUnreadable: 2, exitError: 3}
	out := exitOK
	for _, c := range codes {
		if rank[c] > rank[out] {
			out = c
		}
	}
	return out
}

func verifyError(e *Env, err error) error { return verify.ExtractFailure(err) }

// printReport writes the report for a person: the verdict line and the
// plain sentence first, the details below.
func printReport(e *Env, r *verify.FileReport) {
	L := e.Lang
	w := e.Stdout
	fmt.Fprintf(w, "%s\n", r.File)
	for _, s := range r.Signatures {
		label := i18n.T(L, "verify.label."+s.Type)
		fmt.Fprintf(w, "  %s %d: %s (%s%s)\n", label, s.Index, i18n.T(L, "verify.ind."+s.Indication), s.Indication, slash(s.Subindication))
		sentence := s.Sentence.EN
		if L == i18n.JA {
			sentence = s.Sentence.JA
		}
		fmt.Fprintf(w, "    %s\n", sentence)
		detail := func(key, v string) { fmt.Fprintf(w, "    %s: %s\n", i18n.T(L, key), v) }
		if s.Signer != nil {
			v := s.Signer.Name
			if j := s.Signer.JPKI; j.IsJPKI {
				kind := i18n.T(L, "verify.label.jpki_kind."+j.Kind)
				if j.RootName != "" {
					kind += ", " + j.RootName
				}
				if j.Test {
					v += " (" + i18n.T(L, "verify.label.jpki_test") + ")"
				} else {
					v += " (" + i18n.T(L, "verify.label.jpki", kind) + ")"
				}
			}
			v += fmt.Sprintf(" — %s … %s", day(s.Signer.NotBefore), day(s.Signer.NotAfter))
			detail("verify.label.signer", v)
		}
		if s.SigningTime != nil && s.Type != "document_timestamp" {
			detail("verify.label.claimed_time", s.SigningTime.Time.Local().Format(time.DateTime))
		}
		if ts := s.Timestamp; ts != nil {
			key := "verify.label.timestamp_untrusted"
			if ts.Trusted {
				key = "verify.label.timestamp_trusted"
			}
			detail("verify.label.timestamp", i18n.T(L, key, ts.Time.Local().Format(time.DateTime), ts.TSA))
		} else if s.Type == "document_timestamp" && s.SigningTime != nil {
			detail("verify.label.timestamp", s.SigningTime.Time.Local().Format(time.DateTime))
		}
		if r.Kind == "pdf" {
			cov := i18n.T(L, "verify.label.whole")
			if !s.CoversWholeFile {
				cov = i18n.T(L, "verify.label.revision", s.SignedBytes)
			}
			detail("verify.label.coverage", cov)
			detail("verify.label.changes", i18n.T(L, "verify.changes."+s.ChangesAfter))
			for _, c := range s.Changes {
				mark := "✓"
				if !c.Allowed {
					mark = "✗"
				}
				text := c.Text.JA
				if L == i18n.EN {
					text = c.Text.EN
				}
				fmt.Fprintf(w, "      %s %s\n", mark, text)
			}
			if rd := s.Rendering; rd != nil {
				detail("verify.label.rendering", verify.RenderingLine(L, rd))
			}
		}
		anchor := i18n.T(L, "verify.label.anchor_none")
		if a := s.TrustAnchor; a != nil {
			anchor = a.Name
			switch {
			case a.Test:
				anchor += " [TEST]"
			case a.Source == trust.SourceUser:
				anchor += " [USER]"
			default:
				anchor += " [J-LIS]"
			}
		}
		detail("verify.label.anchor", anchor)
		if s.Type != "document_timestamp" {
			rev := i18n.T(L, "verify.rev.not_checked")
			if s.Revocation.Status != trust.RevNotChecked {
				src := s.Revocation.Source
				if len(s.Revocation.Notes) > 0 {
					src = verify.SayAll(L, s.Revocation.Notes)
				}
				rev = i18n.T(L, "verify.rev."+s.Revocation.Status, src)
			}
			detail("verify.label.revocation", rev)
		}
		if c := s.Claims; c != nil && c.Reason != "" {
			detail("verify.label.reason", c.Reason)
		}
		if c := s.Claims; c != nil && c.Location != "" {
			detail("verify.label.location", c.Location)
		}
		if len(s.Errors) > 0 {
			detail("verify.label.errors", verify.SayAll(L, s.Errors))
		}
		if len(s.Warnings) > 0 {
			detail("verify.label.warnings", verify.SayAll(L, s.Warnings))
		}
		if s.Subindication == verify.NoChainFound && s.Signer != nil && s.Signer.JPKI.IsJPKI {
			fmt.Fprintf(w, "    %s\n", i18n.T(L, "trust.list.hint"))
		}
	}
	for _, n := range r.Errors {
		fmt.Fprintf(w, "  %s\n", n.Say(L))
	}
	key := "verify.file." + r.Indication
	if len(r.Signatures) == 0 {
		key = "verify.file.none"
	}
	fmt.Fprintf(w, "  => %s\n", i18n.T(L, key))
}

func slash(s string) string {
	if s == "" {
		return ""
	}
	return "/" + s
}

func day(t time.Time) string { return t.Local().Format(time.DateOnly) }

// recordVerification keeps the file, its digest and each signature's
// verdict in the history: no certificate, no signer data.
func recordVerification(e *Env, r *verify.FileReport) {
	var sigs []any
	for _, s := range r.Signatures {
		sigs = append(sigs, map[string]any{"index": s.Index, "type": s.Type, "indication": s.Indication, "sub_indication": s.Subindication, "changes_after": s.ChangesAfter})
	}
	record(e, history.Event{Kind: history.KindVerify, Outcome: strings.ToLower(r.Indication), Data: map[string]any{
		"file": filepath.Base(r.File), "path": absPath(r.File), "sha256": r.SHA256, "kind": r.Kind, "signatures": sigs,
	}})
}
