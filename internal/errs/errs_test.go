package errs_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/errs"
)

var verb = regexp.MustCompile(`%(\[\d+\])?[sdv]`)

type coder struct{ n int }

func (c *coder) Error() string { return "layer error" }
func (c *coder) Errs() *errs.Error {
	return &errs.Error{Code: errs.PINWrong, Args: []any{c.n}, Cause: c}
}
func (c *coder) Unwrap() error { return nil }

var _ errs.Coder = (*coder)(nil)

func TestFrom(t *testing.T) {
	if errs.From(nil) != nil || errs.CodeOf(nil) != "" {
		t.Fatal("nil is not nil")
	}
	base := errs.Wrap(os.ErrNotExist, errs.InputMissing, "a.pdf")
	wrapped := fmt.Errorf("signing: %w", base)
	if got := errs.From(wrapped); got != base {
		t.Fatalf("From(wrapped) = %v", got)
	}
	if !errors.Is(wrapped, errs.New(errs.InputMissing)) || errors.Is(wrapped, errs.New(errs.NoCard)) {
		t.Fatal("errors.Is does not match on the code")
	}
	if !errors.Is(wrapped, os.ErrNotExist) {
		t.Fatal("the cause is lost")
	}
	c := errs.From(fmt.Errorf("x: %w", &coder{2}))
	if c.Code != errs.PINWrong {
		t.Fatalf("Coder: %v", c)
	}
	if n, ok := errs.TriesLeft(c); !ok || n != 2 {
		t.Fatalf("TriesLeft = %d %v", n, ok)
	}
	if n, ok := errs.TriesLeft(errs.New(errs.PINLocked)); !ok || n != 0 {
		t.Fatal("locked has 0 tries left")
	}
	if _, ok := errs.TriesLeft(base); ok {
		t.Fatal("a file error has no tries")
	}
	if errs.CodeOf(context.Canceled) != errs.Cancelled || errs.CodeOf(fmt.Errorf("w: %w", context.Canceled)) != errs.Cancelled {
		t.Fatal("a cancelled context is not cancelled")
	}
	other := errors.New("disk on fire")
	if x := errs.From(other); x.Code != errs.Internal || x.Cause != other {
		t.Fatalf("an unknown error: %v", x)
	}
}

// Every code is documented in docs/errors.md and has a sentence in both
// languages; the sentence never shows the cause.
func TestEveryCodeDocumentedAndTranslated(t *testing.T) {
	doc, err := os.ReadFile("../../docs/errors.md")
	if err != nil {
		t.Fatal(err)
	}
	codes := errs.All()
	if len(codes) < 90 {
		t.Fatalf("only %d codes listed", len(codes))
	}
	seen := map[errs.Code]bool{}
	for _, c := range codes {
		if seen[c] {
			t.Errorf("%s listed twice", c)
		}
		seen[c] = true
		if !strings.Contains(string(doc), "| `"+string(c)+"` |") {
			t.Errorf("%s is not in docs/errors.md", c)
		}
		for _, L := range []i18n.Lang{i18n.JA, i18n.EN} {
			// Arguments of the types the sentence's verbs take.
			var args []any
			for _, v := range verb.FindAllString(i18n.T(L, i18n.ErrorKey(c)), -1) {
				if strings.HasSuffix(v, "d") {
					args = append(args, 7)
				} else {
					args = append(args, "ARG")
				}
			}
			e := errs.Wrap(errors.New("SECRET-CAUSE"), c, args...)
			msg := i18n.Error(L, e)
			if c != errs.Internal && msg == i18n.Error(L, errors.New("x")) {
				t.Errorf("%s (%s) falls back to the internal sentence", c, L)
			}
			if msg == "" || strings.Contains(msg, "SECRET-CAUSE") || strings.Contains(msg, "%!") || strings.Contains(msg, "err.") {
				t.Errorf("%s (%s): %q", c, L, msg)
			}
		}
	}
}
