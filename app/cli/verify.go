package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/trust"
)

const verifyUsage = `usage: shomei verify FILE... [--data FILE] [--trust FILE]... [--crl FILE]... [--no-stored-trust] [--json]
       shomei verify --extract-revision N FILE --out OUT.pdf`

// cmdVerify verifies PDFs and CMS signatures. Exit status 0 only when every
// signature of every file PASSED.
func cmdVerify(e *Env, args []string) int {
	fs := newFlags("verify", e)
	data := fs.String("data", "", "the signed file of a detached CMS signature (default: the signature's name without .p7s)")
	var trustFiles, crlFiles []string
	fs.Func("trust", "a trust anchor certificate (PEM or DER) for this run, marked as user-added (repeatable)", func(s string) error { trustFiles = append(trustFiles, s); return nil })
	fs.Func("crl", "a certificate revocation list (PEM or DER) to check against (repeatable)", func(s string) error { crlFiles = append(crlFiles, s); return nil })
	noStored := fs.Bool("no-stored-trust", false, "ignore the anchors kept by `shomei trust`")
	extract := fs.Int("extract-revision", 0, "write the revision signature N covers (1-based, as listed) to --out")
	out := fs.String("out", "", "output file for --extract-revision")
	asJSON := fs.Bool("json", false, "JSON output")
	profile := fs.String("profile", "", "touki: a PDF that does not meet the 登記 filing requirements fails")
	files, err := parse(fs, args)
	if err != nil || len(files) == 0 {
		fmt.Fprintln(e.Stderr, verifyUsage)
		return exitUsage
	}
	if *extract != 0 {
		if len(files) != 1 || *out == "" {
			fmt.Fprintln(e.Stderr, verifyUsage)
			return exitUsage
		}
		n, err := verify.ExtractRevision(files[0], *extract, *out)
		if err != nil {
			return fail(e, verifyError(e, err))
		}
		fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "verify.extracted", *extract, n, *out))
		return exitOK
	}
	opt := verify.Options{Data: *data}
	if *data != "" && len(files) > 1 {
		fmt.Fprintln(e.Stderr, verifyUsage)
		return exitUsage
	}
	if opt.Trust, err = verifyAnchors(e, *noStored, trustFiles); err != nil {
		return fail(e, err)
	}
	if len(crlFiles) > 0 {
		if opt.CRLs, err = trust.LoadCRLs(crlFiles...); err != nil {
			return fail(e, userError(i18n.T(e.Lang, "verify.crl.bad", err)))
		}
	}
	code := exitOK
	var reports []*verify.FileReport
	for _, f := range files {
		r, err := verify.File(f, opt)
		if err != nil {
			fmt.Fprintf(e.Stderr, "shomei: %s: %s\n", f, i18n.T(e.Lang, "verify.unreadable"))
			code = exitError
			continue
		}
		if !r.Passed() {
			code = exitError
		}
		if *profile == "touki" && toukiDecides(r, exitOK) != exitOK {
			code = exitError
		}
		reports = append(reports, r)
		recordVerification(e, r)
		if !*asJSON {
			printReport(e, r)
			printTouki(e, r)
		}
	}
	if *asJSON {
		writeJSON(e.Stdout, map[string]any{"files": reports, "passed": code == exitOK})
	}
	return code
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
			return nil, userError(i18n.T(e.Lang, "verify.trust.bad", f))
		}
		for _, c := range certs {
			if _, err := s.AddUser(c.Raw, f); err != nil {
				return nil, userError(i18n.T(e.Lang, "verify.trust.bad", f))
			}
		}
	}
	return s, nil
}

func verifyError(e *Env, err error) error {
	switch {
	case errors.Is(err, verify.ErrNoSuchSignature):
		return userError(i18n.T(e.Lang, "verify.extract.nosuch"))
	case errors.Is(err, verify.ErrNotARevision):
		return userError(i18n.T(e.Lang, "verify.extract.notrevision"))
	case errors.Is(err, os.ErrExist):
		return userError(i18n.T(e.Lang, "verify.extract.exists"))
	case errors.Is(err, verify.ErrUnreadable):
		return userError(i18n.T(e.Lang, "verify.unreadable"))
	}
	return userError(i18n.T(e.Lang, "verify.extract.failed"))
}

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
				kind := j.Kind
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
				fmt.Fprintf(w, "      %s %s (%s)\n", mark, i18n.T(L, "verify.change."+c.Kind), c.Detail)
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
				rev = i18n.T(L, "verify.rev."+s.Revocation.Status, s.Revocation.Source)
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
			detail("verify.label.errors", strings.Join(s.Errors, "; "))
		}
		if len(s.Warnings) > 0 {
			detail("verify.label.warnings", strings.Join(s.Warnings, "; "))
		}
	}
	for _, msg := range r.Errors {
		fmt.Fprintf(w, "  %s\n", msg)
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
