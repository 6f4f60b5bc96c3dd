package flow_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
	"github.com/shomei-app/shomei/internal/errs"
)

// scriptUI answers from fields and counts what it was asked.
type scriptUI struct {
	t                 *testing.T
	accept, confirm   bool
	pins              []string // answered in order
	pinErr            error    // returned by ReadPIN instead (Ctrl-C)
	asked, disclosure int
}

func (u *scriptUI) ShowStatus(st *cardsvc.Status, id pin.ID) (jpki.Observed, error) {
	return st.Seen(id), nil
}
func (u *scriptUI) AcceptDisclosure() (bool, error)     { u.disclosure++; return u.accept, nil }
func (u *scriptUI) ConfirmLastTry(pin.ID) (bool, error) { return u.confirm, nil }
func (u *scriptUI) StaffConfirm() (bool, error)         { return false, nil }
func (u *scriptUI) Progress(flow.Progress)              {}
func (u *scriptUI) ReadPIN(id pin.ID, _ flow.Prompt) (*pin.Secret, error) {
	u.asked++
	if u.pinErr != nil {
		return nil, u.pinErr
	}
	if len(u.pins) == 0 {
		u.t.Fatal("a PIN was asked that the test did not expect")
	}
	p := u.pins[0]
	u.pins = u.pins[1:]
	return pin.Parse(id, []byte(p))
}

func newFlows(t *testing.T) (*flow.Flows, *[]history.Event, func(pin.ID) int) {
	card := vcardtest.New(t)
	var evs []history.Event
	f := &flow.Flows{Cards: cardsvc.New(cardsvctest.Memory(card)), Record: func(e ...history.Event) { evs = append(evs, e...) }}
	return f, &evs, func(id pin.ID) int { return card.State().Tries(id) }
}

// A batch that cannot succeed is refused before the disclosure, the PIN
// and the card: every reason named, nothing written, no try used.
func TestSignBatchRefusedBeforeTheCard(t *testing.T) {
	f, evs, tries := newFlows(t)
	dir := t.TempDir()
	onePage := filepath.Join(dir, "one.pdf")
	pdftest.Minimal(t, onePage, 1, false)
	text := filepath.Join(dir, "note.txt")
	os.WriteFile(text, []byte("note"), 0o644)
	taken := filepath.Join(dir, "taken.txt")
	os.WriteFile(taken, []byte("x"), 0o644)
	os.WriteFile(taken+".p7s", []byte("already"), 0o644)
	files := []string{onePage, filepath.Join(dir, "missing.txt"), dir, taken, text}
	opt := signing.Options{Stamps: map[string]*pades.Stamp{onePage: {Page: 3, W: 100, H: 40}}}
	ui := &scriptUI{t: t, accept: true, pins: []string{"TEST1234"}}
	o, err := f.SignBatch(context.Background(), ui, flow.SignJob{Files: files, Options: opt})
	if errs.CodeOf(err) != errs.BatchRefused || o == nil || o.Checked || len(o.Results) != len(files) {
		t.Fatalf("%v %+v", err, o)
	}
	want := []errs.Code{errs.PDFNoPage, errs.InputMissing, errs.InputIsDir, errs.OutputExists, ""}
	for i, r := range o.Results {
		if got := errs.CodeOf(r.Err); got != want[i] {
			t.Errorf("%s: %q, want %q", r.Input, got, want[i])
		}
	}
	if ui.asked != 0 || ui.disclosure != 0 || tries(pin.Sign) != 5 || len(*evs) != 0 {
		t.Errorf("asked %d PINs, %d disclosures; tries %d; events %v", ui.asked, ui.disclosure, tries(pin.Sign), *evs)
	}
	if _, err := os.Stat(text + ".p7s"); err == nil {
		t.Error("a refused batch wrote an output")
	}
	// Format pades on a file that is not a PDF.
	o, err = f.SignBatch(context.Background(), ui, flow.SignJob{Files: []string{text}, Options: signing.Options{Format: signing.FormatPAdES}})
	if errs.CodeOf(err) != errs.BatchRefused || errs.CodeOf(o.Results[0].Err) != errs.PDFUnreadable {
		t.Errorf("pades on text: %v %+v", err, o)
	}
}

// Ctrl-C at the password: nothing reaches the card, nothing is recorded.
func TestCancelledAtThePIN(t *testing.T) {
	f, evs, tries := newFlows(t)
	doc := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(doc, []byte("a"), 0o644)
	ui := &scriptUI{t: t, accept: true, pinErr: errs.New(errs.Cancelled)}
	if _, err := f.SignBatch(context.Background(), ui, flow.SignJob{Files: []string{doc}}); errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("sign: %v", err)
	}
	if err := f.ChangePIN(context.Background(), ui, "", pin.Auth); errs.CodeOf(err) != errs.Cancelled {
		t.Fatalf("change: %v", err)
	}
	if tries(pin.Sign) != 5 || tries(pin.Auth) != 3 || len(*evs) != 0 {
		t.Errorf("tries %d/%d, events %v", tries(pin.Sign), tries(pin.Auth), *evs)
	}
}

// A wrong then a right PIN change: one try used then restored, two
// events built by history.PINChange, the wrong one with the tries left.
func TestChangePINWrongThenRight(t *testing.T) {
	f, evs, tries := newFlows(t)
	ctx := context.Background()
	if err := f.ChangePIN(ctx, &scriptUI{t: t, pins: []string{"9999", "5678"}}, "", pin.Auth); errs.CodeOf(err) != errs.PINWrong {
		t.Fatalf("wrong: %v", err)
	}
	if tries(pin.Auth) != 2 {
		t.Fatalf("tries %d", tries(pin.Auth))
	}
	if err := f.ChangePIN(ctx, &scriptUI{t: t, pins: []string{"1234", "5678"}}, "", pin.Auth); err != nil {
		t.Fatalf("right: %v", err)
	}
	if len(*evs) != 2 || (*evs)[0].Outcome != "pin_wrong" || (*evs)[0].Data["tries_left"] != 2 || (*evs)[1].Outcome != "ok" || (*evs)[1].Data["pin_id"] != "auth" {
		t.Errorf("events %+v", *evs)
	}
}
