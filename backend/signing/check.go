package signing

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shomei-app/shomei/backend/safetext"
	"github.com/shomei-app/shomei/backend/signing/pades"
)

// Check looks at a batch before the card is used: every input exists and
// is a regular file, every output is free (unless Overwrite) and named by
// one input only, every PDF to sign as PAdES opens, is not encrypted, takes
// one more signature and has the page its stamp names, and the profile's
// rules hold. It returns one result per input, with Err set where that
// file cannot be signed, and whether all can.
func Check(inputs []string, opt Options) ([]Result, bool) {
	if opt.Format == "" {
		opt.Format = FormatAuto
	}
	results := make([]Result, len(inputs))
	ok := true
	outputs := map[string]string{}
	for i, in := range inputs {
		r := &results[i]
		r.Input = in
		r.Output = OutputPath(in, opt)
		r.Err = checkOne(in, r.Output, opt)
		if r.Err == nil {
			if other, dup := outputs[abs(r.Output)]; dup {
				r.Err = &FileError{Code: CodeExists, Path: r.Output, Err: fmt.Errorf("%s and %s have the same output", other, in)}
			}
			outputs[abs(r.Output)] = in
		}
		if r.Err != nil {
			ok = false
		}
	}
	return results, ok
}

func checkOne(in, out string, opt Options) error {
	st, err := os.Stat(in)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &FileError{Code: CodeMissing, Path: in, Err: err}
	case err != nil:
		return &FileError{Code: CodeRead, Path: in, Err: err}
	case st.IsDir():
		return &FileError{Code: CodeIsDir, Path: in}
	case !st.Mode().IsRegular():
		return &FileError{Code: CodeRead, Path: in, Err: errors.New("not a regular file")}
	}
	f, err := os.Open(in)
	if err != nil {
		return &FileError{Code: CodeRead, Path: in, Err: err}
	}
	f.Close()
	if opt.OutDir != "" {
		if st, err := os.Stat(opt.OutDir); err != nil || !st.IsDir() {
			return &FileError{Code: CodeWrite, Path: opt.OutDir, Err: fmt.Errorf("output folder: %v", err)}
		}
	}
	if err := checkOutput(in, out, opt); err != nil {
		return err
	}
	if err := CheckProfile([]string{in}, opt); err != nil {
		return err
	}
	if formatFor(in, opt) != FormatPAdES {
		return nil
	}
	d, err := pades.Open(in)
	if err != nil {
		return &FileError{Code: pdfCode(err), Path: in, Err: err}
	}
	defer d.Close()
	popt := pades.Options{Certify: opt.Certify, Visible: opt.Visible}
	if s, ok := opt.Stamps[in]; ok {
		popt.Visible = s
	}
	if err := d.Check(popt); err != nil {
		return &FileError{Code: pdfCode(err), Path: in, Err: err}
	}
	return nil
}

// CheckText refuses a reason or location that holds control characters
// (ANSI escapes, line breaks), bidirectional overrides or invalid UTF-8:
// every verifier and viewer shows these fields to the people who rely on
// the signature. Shells call it before the card is touched; Files calls it
// again and signs nothing when it fails.
func (opt Options) CheckText() error {
	for _, v := range []string{opt.Reason, opt.Location} {
		if err := safetext.Check(v); err != nil {
			return &FileError{Code: CodeUnsafeText, Err: err}
		}
	}
	return nil
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// checkOutput refuses, before the card is used, an output that would replace
// the input or an existing file (unless Overwrite).
func checkOutput(in, out string, opt Options) error {
	if abs(out) == abs(in) && !opt.Overwrite {
		return &FileError{Code: CodeExists, Path: out, Err: errors.New("the output would replace the input")}
	}
	if !opt.Overwrite {
		if _, err := os.Lstat(out); err == nil {
			return &FileError{Code: CodeExists, Path: out}
		}
	}
	return nil
}
