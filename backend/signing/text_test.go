package signing_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

// A reason or location with control or direction characters is refused:
// CheckText says so before the card, and Files signs nothing with it
// (no APDU, no output).
func TestUnsafeTextRefused(t *testing.T) {
	g, _, s, _ := signer(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "a.pdf")
	pdftest.Minimal(t, pdf, 1, false)
	in := append(files(t, dir, 1), pdf)
	for _, opt := range []signing.Options{
		{Reason: "承認\x1b[32m PASSED"},
		{Location: "東京\u202e"},
		{Reason: "line\nbreak"},
		{Location: "bad\xff"},
	} {
		if err := opt.CheckText(); err == nil {
			t.Errorf("%+q %+q accepted", opt.Reason, opt.Location)
		}
		before := s.APDUs()
		res := signing.Files(context.Background(), g, in, opt, nil)
		if len(res) != len(in) {
			t.Fatalf("%d results", len(res))
		}
		for _, r := range res {
			var fe *signing.FileError
			if !errors.As(r.Err, &fe) || fe.Code != signing.CodeUnsafeText || r.Output != "" {
				t.Errorf("%q: %+v", r.Input, r)
			}
		}
		if n := s.APDUs() - before; n != 0 {
			t.Errorf("%d APDUs sent", n)
		}
		for _, p := range in {
			if _, err := os.Stat(signing.OutputPath(p, opt)); err == nil {
				t.Errorf("%s written", signing.OutputPath(p, opt))
			}
		}
	}
	if err := (signing.Options{Reason: "契約に同意します", Location: "東京都千代田区"}).CheckText(); err != nil {
		t.Errorf("ordinary text refused: %v", err)
	}
}
