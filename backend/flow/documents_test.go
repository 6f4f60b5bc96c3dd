package flow_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/consent"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/errs"
)

func exampleConsent(t *testing.T) *consent.Parsed {
	t.Helper()
	raw, err := os.ReadFile("../consent/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := consent.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The one recording rule for the documents signed with the signing key: a
// refusal before the card (an existing output, the disclosure declined,
// Ctrl-C) records nothing and uses no try; a wrong password reached the
// card and is recorded with its code and the tries left; a signature is
// recorded with its output. The same events for a consent, a withdrawal
// and an application.
func TestDocumentsRecordWhatReachedTheCard(t *testing.T) {
	f, evs, tries := newFlows(t)
	ctx := context.Background()
	dir := t.TempDir()
	doc := exampleConsent(t)
	out := filepath.Join(dir, "c.consent.p7m")
	taken := filepath.Join(dir, "taken.p7m")
	os.WriteFile(taken, []byte("x"), 0o644)

	// Refused before the card.
	for name, c := range map[string]struct {
		ui  *scriptUI
		out string
	}{
		"output exists": {&scriptUI{t: t, accept: true, pins: []string{"TEST1234"}}, taken},
		"disclosure":    {&scriptUI{t: t, accept: false}, out},
		"ctrl-c":        {&scriptUI{t: t, accept: true, pinErr: errs.New(errs.Cancelled)}, out},
	} {
		if _, err := f.Consent(ctx, c.ui, flow.ConsentJob{Doc: doc, Decision: consent.Agree, Out: c.out}); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
	if len(*evs) != 0 || tries(pin.Sign) != 5 {
		t.Fatalf("refusals before the card: events %v, tries %d", *evs, tries(pin.Sign))
	}

	// A wrong password, then the agreement, then its withdrawal.
	if _, err := f.Consent(ctx, &scriptUI{t: t, accept: true, pins: []string{"WRONG999"}}, flow.ConsentJob{Doc: doc, Decision: consent.Agree, Out: out}); errs.CodeOf(err) != errs.PINWrong {
		t.Fatalf("wrong password: %v", err)
	}
	o, err := f.Consent(ctx, &scriptUI{t: t, accept: true, pins: []string{"TEST1234"}}, flow.ConsentJob{Doc: doc, Decision: consent.Agree, Out: out})
	if err != nil || o.Signed == nil || o.Cert == nil {
		t.Fatalf("agree: %v %+v", err, o)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := consent.ReadSigned(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ConsentWithdraw(ctx, &scriptUI{t: t, accept: true, pins: []string{"TEST1234"}}, "", signed, filepath.Join(dir, "w.p7m"), false); err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	if _, err := f.Consent(ctx, nil, flow.ConsentJob{Doc: doc, Decision: consent.Disagree}); err != nil {
		t.Fatalf("refusal: %v", err)
	}
	// An application whose file changed after it was shown: the card was
	// reached, nothing signed, recorded with the file's code.
	in := filepath.Join(dir, "form.json")
	os.WriteFile(in, []byte(`{"a":1}`), 0o644)
	a, err := application.Collect([]string{in})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(in, []byte(`{"a":2}`), 0o644)
	resp := filepath.Join(dir, "form.json.response.p7m")
	if _, err := f.SignApplication(ctx, &scriptUI{t: t, accept: true, pins: []string{"TEST1234"}}, "", a, resp, false); errs.CodeOf(err) != errs.ApplicationChanged {
		t.Fatalf("changed application: %v", err)
	}
	if _, err := os.Stat(resp); err == nil {
		t.Error("a changed application was signed")
	}

	want := []struct{ kind, outcome string }{{"consent", "pin_wrong"}, {"consent", "ok"}, {"consent_withdraw", "ok"}, {"consent", "ok"}, {"sign", "application_changed"}}
	if len(*evs) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(*evs), len(want), *evs)
	}
	for i, w := range want {
		if e := (*evs)[i]; e.Kind != w.kind || e.Outcome != w.outcome {
			t.Errorf("event %d: %s/%s, want %s/%s", i, e.Kind, e.Outcome, w.kind, w.outcome)
		}
	}
	e := *evs
	if e[0].Data["tries_left"] != 4 || e[0].Data["test_card"] != true || e[0].Data["output"] != nil {
		t.Errorf("wrong password's event: %v", e[0].Data)
	}
	if e[1].Data["output"] != "c.consent.p7m" || e[1].Data["consent_sha256"] != signed.FileSHA256 || e[1].Data["output_path"] != nil {
		t.Errorf("agreement's event: %v", e[1].Data)
	}
	if e[2].Data["consent_sha256"] != signed.FileSHA256 || e[3].Data["decision"] != "disagree" {
		t.Errorf("withdrawal %v, refusal %v", e[2].Data, e[3].Data)
	}
	if tries(pin.Sign) != 5 {
		t.Errorf("tries %d after a right password", tries(pin.Sign))
	}
}
