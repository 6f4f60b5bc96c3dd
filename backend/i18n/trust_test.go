package i18n

import (
	"regexp"
	"strings"
	"testing"
)

var verb = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// Every trust sentence exists in both languages, differs between them, and
// takes the same arguments in each.
func TestTrustSentences(t *testing.T) {
	if len(trustCatalog) < 30 {
		t.Fatalf("only %d trust sentences", len(trustCatalog))
	}
	for k, v := range trustCatalog {
		if !strings.HasPrefix(k, "trust.") || v.ja == "" || v.en == "" || v.ja == v.en {
			t.Errorf("%s: %q / %q", k, v.ja, v.en)
		}
		if a, b := len(verb.FindAllString(v.ja, -1)), len(verb.FindAllString(v.en, -1)); a != b {
			t.Errorf("%s: %d arguments in Japanese, %d in English", k, a, b)
		}
		if got := T(EN, k); got != v.en {
			t.Errorf("%s not in the catalog", k)
		}
	}
}
