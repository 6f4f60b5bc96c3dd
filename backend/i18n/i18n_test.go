package i18n_test

import (
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio"
)

var codes = []cardio.Code{
	cardio.CodeNoService, cardio.CodeNoReader, cardio.CodeNoCard, cardio.CodeCardRemoved, cardio.CodeCardReset,
	cardio.CodeReaderBusy, cardio.CodeTimeout, cardio.CodeNotMyNumberCard, cardio.CodeProtocol, cardio.CodeTransport,
	cardio.CodeAccessDenied, cardio.CodeNoSigningCert, cardio.CodePINFormat, cardio.CodePINWrong, cardio.CodePINLocked,
	cardio.CodeLastTry, cardio.CodeCardChanged, cardio.CodeStateChanged, cardio.CodeUnsupported, cardio.CodeCancelled, cardio.CodeChipData,
}

// Every card error code has a message in both languages, and messages never
// echo the internal cause.
func TestEveryCodeHasBothLanguages(t *testing.T) {
	for _, c := range codes {
		err := &cardio.Error{Code: c, TriesLeft: 2, Err: secretCause{}}
		ja, en := i18n.Error(i18n.JA, err), i18n.Error(i18n.EN, err)
		if ja == en || ja == "err."+string(c) || en == "err."+string(c) || ja == "" {
			t.Errorf("%s: ja=%q en=%q", c, ja, en)
		}
		if strings.Contains(ja+en, "SECRET") {
			t.Errorf("%s: message leaks the cause", c)
		}
	}
	if got := i18n.Error(i18n.EN, &cardio.Error{Code: cardio.CodePINWrong, TriesLeft: 2}); !strings.Contains(got, "2 tries") {
		t.Errorf("pin_wrong: %q", got)
	}
}

type secretCause struct{}

func (secretCause) Error() string { return "SECRET cause" }

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		lcAll, lang string
		want        i18n.Lang
	}{{"", "ja_JP.UTF-8", i18n.JA}, {"", "C.UTF-8", i18n.EN}, {"en_US.UTF-8", "ja_JP.UTF-8", i18n.EN}, {"", "", i18n.JA}} {
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.lang)
		if got := i18n.FromEnv(); got != tc.want {
			t.Errorf("LC_ALL=%q LANG=%q: %s, want %s", tc.lcAll, tc.lang, got, tc.want)
		}
	}
}

// One Japanese word for a trust anchor everywhere (CLI, UI, reports):
// 信頼の起点. Earlier texts mixed トラストアンカー, 信頼点 and 信頼の起点.
func TestOneTermForTrustAnchor(t *testing.T) {
	keys := i18n.Keys("")
	if len(keys) < 100 {
		t.Fatalf("only %d keys", len(keys))
	}
	uses := 0
	for _, k := range keys {
		ja := i18n.T(i18n.JA, k)
		if strings.Contains(ja, "トラストアンカー") || strings.Contains(strings.ReplaceAll(ja, "信頼の起点", ""), "信頼点") {
			t.Errorf("%s: %q", k, ja)
		}
		if strings.Contains(ja, "信頼の起点") {
			uses++
		}
	}
	if uses < 5 {
		t.Errorf("信頼の起点 used %d times", uses)
	}
}
