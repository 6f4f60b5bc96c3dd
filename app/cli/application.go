package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/i18n"
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
	msg := application.Message(e.Lang, err, func(path string) string { return path })
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
	o, err := e.flows().SignApplication(e.Ctx, signUI(e, sf), *sf.reader, a, out, *sf.overwrite)
	var pe *application.PathError
	if errors.As(err, &pe) {
		return collectError(e, err) // a file changed or vanished: nothing was signed
	}
	if err != nil {
		return failSigning(e, err, *sf.asJSON)
	}
	signCertLife(e, o.Signature)
	if *sf.asJSON {
		entries := make([]application.Entry, len(a.Files))
		for i, f := range a.Files {
			entries[i] = f.Entry
		}
		writeJSON(e.Stdout, map[string]any{"output": out, "output_sha256": o.Response.SHA256, "format": application.Format,
			"signed_at": o.At.UTC().Truncate(time.Second).Format(time.RFC3339), "files": entries})
	} else {
		fmt.Fprintln(e.Stdout, out)
	}
	fmt.Fprintln(e.Stderr, i18n.T(L, "app.signed", len(a.Files), out))
	return exitOK
}
