package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio/jpki"
)

// applicationOut is where the response of an application goes: the first
// input's name plus .response.p7m, in outDir or beside that input.
func applicationOut(first, outDir string) string {
	first = filepath.Clean(first)
	dir := outDir
	if dir == "" {
		dir = filepath.Dir(first)
	}
	return filepath.Join(dir, filepath.Base(first)+".response.p7m")
}

// collectError explains why the application's files cannot be signed.
func collectError(e *Env, err error) int {
	L := e.Lang
	reason := application.Reason(err)
	msg := i18n.T(L, "app.err."+reason)
	var pe *application.PathError
	if errors.As(err, &pe) {
		msg = pe.Path + ": " + msg
	}
	fmt.Fprintln(e.Stderr, "shomei: "+msg)
	if os.Getenv("SHOMEI_DEBUG") == "1" {
		fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", err)
	}
	return exitError
}

// signApplication is `shomei sign --application`: the data an
// e-application system handed over is shown as what will be signed, then
// signed with the signing certificate into one response file (an
// enveloping CMS over a manifest of every file's name, size and SHA-256).
func signApplication(e *Env, inputs []string, sf signFlags) int {
	L := e.Lang
	a, err := application.Collect(inputs)
	if err != nil {
		return collectError(e, err)
	}
	for _, l := range a.Lines(L) {
		fmt.Fprintln(e.Stderr, l)
	}
	out := applicationOut(inputs[0], *sf.out)
	if !outputFree(e, out, *sf.overwrite) {
		return exitError
	}
	var resp *application.Response
	var signer string
	now := time.Now()
	var collectErr error
	st, code := withSigningKey(e, sf, func(st *cardsvc.Status, g *jpki.Signer) error {
		now = time.Now()
		signer = jpkicert.HolderName(g.Certificate()) // the name only, for the history
		r, err := application.Sign(g, a, now)
		var pe *application.PathError
		if errors.As(err, &pe) {
			collectErr = err
			return nil // a file problem, not a card one: reported below
		}
		if err != nil {
			return err
		}
		if err := signing.WriteAtomic(out, *sf.overwrite, func(w io.Writer) error { _, err := w.Write(r.File); return err }); err != nil {
			return err
		}
		resp = r
		signCertLife(e, g, now)
		return nil
	})
	if collectErr != nil {
		return collectError(e, collectErr)
	}
	names := make([]any, len(a.Files))
	for i, f := range a.Files {
		names[i] = f.Name
	}
	data := map[string]any{"file": filepath.Base(out), "format": "application-response", "level": "b-b", "files": names}
	if st != nil {
		data["test_card"] = st.TestCard
	}
	if signer != "" {
		data["signer"] = signer
	}
	if resp == nil {
		if st != nil {
			record(e, history.Event{Kind: history.KindSign, Outcome: history.OutcomeFailed, Data: data})
		}
		return code
	}
	data["output"], data["output_sha256"] = absPath(out), resp.SHA256
	record(e, history.Event{Kind: history.KindSign, Outcome: history.OutcomeOK, Data: data})
	if *sf.asJSON {
		entries := make([]application.Entry, len(a.Files))
		for i, f := range a.Files {
			entries[i] = f.Entry
		}
		writeJSON(e.Stdout, map[string]any{"output": out, "output_sha256": resp.SHA256, "format": application.Format,
			"signed_at": now.UTC().Truncate(time.Second).Format(time.RFC3339), "files": entries})
	} else {
		fmt.Fprintln(e.Stdout, out)
	}
	fmt.Fprintln(e.Stderr, i18n.T(L, "app.signed", len(a.Files), out))
	return exitOK
}
