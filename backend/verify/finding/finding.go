// Package finding is what the verifier says about a signature or a file
// beyond its verdict: a stable code, the values it names (from the document
// or a certificate: data, never sentences) and, for logs only, technical
// detail. The sentences are chosen from the code in backend/i18n
// ("verify.finding.CODE"), in Japanese and English, so the readers (pdfv,
// cmsv, trust) and the report never write a sentence of their own.
package finding

import (
	"errors"
	"fmt"

	"github.com/shomei-app/shomei/backend/i18n"
)

// Finding is one thing found. It is also an error, so readers can return it.
type Finding struct {
	Code   string   // a Code below
	Args   []string // the values the sentence names, in order
	Detail string   // technical, English, for logs; never shown in the Japanese UI
}

// New is a finding with its values (formatted with %v).
func New(code string, args ...any) Finding {
	f := Finding{Code: code}
	for _, a := range args {
		f.Args = append(f.Args, fmt.Sprint(a))
	}
	return f
}

// With returns f with technical detail attached.
func (f Finding) With(detail string) Finding { f.Detail = detail; return f }

// Text is the finding's sentence in language l.
func (f Finding) Text(l i18n.Lang) string {
	args := make([]any, len(f.Args))
	for i, a := range f.Args {
		args[i] = a
	}
	return i18n.T(l, Key(f.Code), args...)
}

// String is the English sentence and the detail: for logs and tests.
func (f Finding) String() string {
	if f.Detail != "" {
		return f.Text(i18n.EN) + " [" + f.Detail + "]"
	}
	return f.Text(i18n.EN)
}

func (f Finding) Error() string { return f.String() }

// Key is the i18n key of a code.
func Key(code string) string { return "verify.finding." + code }

// Of is the finding an error carries, or one of code with the error's text
// as detail.
func Of(err error, code string) Finding {
	var f Finding
	if errors.As(err, &f) {
		return f
	}
	out := Finding{Code: code}
	if err != nil {
		out.Detail = err.Error()
	}
	return out
}

// List is a list of findings.
type List []Finding

// Has reports whether the list holds code.
func (l List) Has(code string) bool {
	for _, f := range l {
		if f.Code == code {
			return true
		}
	}
	return false
}

// String joins the English sentences (logs, tests).
func (l List) String() string {
	s := ""
	for i, f := range l {
		if i > 0 {
			s += "; "
		}
		s += f.String()
	}
	return s
}
