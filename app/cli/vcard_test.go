package cli_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
	"github.com/shomei-app/shomei/internal/errs"
)

// The virtual card's developer commands speak the user's language like
// every other command: a state that cannot be opened, a configuration that
// is not JSON, a root that cannot be written each end with the sentence of
// its code (internal/errs, backend/i18n) and no Go error text; the cause
// is for SHOMEI_DEBUG only.
func TestVCardErrorsInTheUsersLanguage(t *testing.T) {
	card := vcardtest.New(t)
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "設定.json")
	os.WriteFile(notJSON, []byte("{"), 0o644)
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	state := filepath.Join(dir, "state")
	if r := shomeiIn(t, i18n.JA, card, "", "vcard", "init", "--state", state); r.code != 0 {
		t.Fatalf("vcard init: %d %s", r.code, r.stderr)
	}
	cases := []struct {
		args []string
		err  *errs.Error
	}{
		{[]string{"vcard", "info", "--state", filepath.Join(dir, "none")}, errs.New(errs.VCardState, filepath.Join(dir, "none"))},
		{[]string{"vcard", "init", "--state", filepath.Join(dir, "s2"), "--config", notJSON}, errs.New(errs.VCardConfig, notJSON)},
		{[]string{"vcard", "init", "--state", filepath.Join(file, "sub")}, errs.New(errs.VCardState, filepath.Join(file, "sub"))},
		{[]string{"vcard", "export-root", "--state", state, "--out", filepath.Join(file, "root.pem")}, errs.New(errs.VCardWrite, filepath.Join(file, "root.pem"))},
		{[]string{"vcard", "info", "--state", state, "--config", notJSON}, errs.New(errs.VCardConfig, notJSON)},
	}
	for _, c := range cases {
		for _, L := range []i18n.Lang{i18n.JA, i18n.EN} {
			r := shomeiIn(t, L, card, "", c.args...)
			want := "shomei: " + i18n.Error(L, c.err) + "\n"
			if r.code != 1 || r.stderr != want {
				t.Errorf("%v (%s): %d\n got %q\nwant %q", c.args, L, r.code, r.stderr, want)
			}
		}
	}
	if m := i18n.Error(i18n.JA, errs.New(errs.VCardState, "x")); m == i18n.Error(i18n.EN, errs.New(errs.VCardState, "x")) {
		t.Errorf("the Japanese sentence is the English one: %s", m)
	}
}
