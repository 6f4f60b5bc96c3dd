package history

import (
	"path/filepath"

	"github.com/shomei-app/shomei/internal/errs"
)

// Events are built here, once, so every shell records the same event with
// the same fields for the same operation. A shell only sets App and
// Interface (Stamp).

// OutcomeOf is "ok" for nil, else the error's stable code.
func OutcomeOf(err error) string {
	if err == nil {
		return OutcomeOK
	}
	return string(errs.CodeOf(err))
}

// WithTries adds the tries left an error reports (a wrong PIN, tries that
// changed since they were shown).
func WithTries(data map[string]any, err error) map[string]any {
	if c := errs.CodeOf(err); c == errs.PINWrong || c == errs.PINStateChanged {
		if n, ok := errs.TriesLeft(err); ok {
			data["tries_left"] = n
		}
	}
	return data
}

// Stamp sets the application version and the interface on events.
func Stamp(app, iface string, evs []Event) []Event {
	for i := range evs {
		evs[i].App = app
		evs[i].Interface = iface
	}
	return evs
}

// PINChange is a PIN change that reached the card (the guard let a VERIFY
// go out), its outcome and the tries left after a wrong PIN.
func PINChange(pinID, reader string, testCard bool, err error) Event {
	return Event{Kind: KindPINChange, Outcome: OutcomeOf(err),
		Data: WithTries(map[string]any{"pin_id": pinID, "reader": reader, "test_card": testCard}, err)}
}

// PINReset is a PIN reset with a reset code that reached the card (mode:
// "counter"), its result ("ok" or a code).
func PINReset(pinID, mode, reader string, testCard bool, result string) Event {
	return Event{Kind: KindPINReset, Outcome: result,
		Data: map[string]any{"pin_id": pinID, "mode": mode, "reader": reader, "test_card": testCard}}
}

// PINLocked is a status check that found locked PINs.
func PINLocked(pins []string, reader string, testCard bool) Event {
	return Event{Kind: KindPINLocked, Outcome: OutcomeOK,
		Data: map[string]any{"pins": pins, "reader": reader, "test_card": testCard}}
}

// SignedDoc is one document of a signing run.
type SignedDoc struct {
	Input, Output             string // paths
	InputSHA256, OutputSHA256 string
	Bytes                     int64
	Format                    string // cms-detached, cms-enveloping, pades
	Err                       error
}

// SignRun is a signing run: its documents (none when the card failed
// before the first), the files asked for, and who signed.
type SignRun struct {
	Files    []string
	Docs     []SignedDoc
	Level    string // b-b or b-t
	Signer   string // the holder's name only, nothing else of the certificate
	TestCard bool
	// Paths records where the files are: true where they are the person's
	// own files (command line, desktop), false for a browser's uploads.
	Paths bool
	Err   error // the card's error when no document was reached
}

// SignEvents are a run's events: one per document, and one for the batch
// when there was more than one file or the card failed before any.
func SignEvents(r SignRun) []Event {
	var evs []Event
	ok := 0
	for _, d := range r.Docs {
		data := map[string]any{"file": filepath.Base(d.Input), "format": d.Format, "level": r.Level, "test_card": r.TestCard}
		if r.Paths {
			data["path"] = abs(d.Input)
		}
		if d.InputSHA256 != "" {
			data["input_sha256"] = d.InputSHA256
		}
		if d.Err == nil {
			ok++
			data["output"] = filepath.Base(d.Output)
			if r.Paths {
				data["output_path"] = abs(d.Output)
			}
			data["output_sha256"] = d.OutputSHA256
			data["bytes"] = d.Bytes
		}
		if r.Signer != "" {
			data["signer"] = r.Signer
		}
		evs = append(evs, Event{Kind: KindSign, Outcome: OutcomeOf(d.Err), Data: data})
	}
	if len(r.Files) > 1 || r.Docs == nil {
		data := map[string]any{"total": len(r.Files), "signed": ok, "failed": len(r.Files) - ok, "level": r.Level, "test_card": r.TestCard}
		if r.Signer != "" {
			data["signer"] = r.Signer
		}
		out := OutcomeOK
		switch {
		case r.Docs == nil:
			var names []any
			for _, f := range r.Files {
				names = append(names, filepath.Base(f))
			}
			data["files"] = names
			out = OutcomeOf(r.Err)
			WithTries(data, r.Err)
		case ok == 0:
			out = OutcomeFailed
		case ok < len(r.Files):
			out = OutcomePartial
		}
		evs = append(evs, Event{Kind: KindSignBatch, Outcome: out, Data: data})
	}
	return evs
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// Written is a file a flow wrote, as the history keeps it: its name always;
// its absolute path where the shell works on the person's own files
// (Paths: command line, desktop); otherwise the browser UI's reference to
// download it (Ref), when there is one.
type Written struct {
	Path  string
	Paths bool
	Ref   string
}

// Put adds the file to data under key (key+"_path" for the path, "ref"
// for the reference).
func (w Written) Put(data map[string]any, key string) {
	data[key] = filepath.Base(w.Path)
	switch {
	case w.Paths:
		data[key+"_path"] = abs(w.Path)
	case w.Ref != "":
		data["ref"] = w.Ref
	}
}

// Failed is the outcome and the tries left of an attempt that reached the
// card and failed (err), added to data.
func Failed(kind string, data map[string]any, err error) Event {
	return Event{Kind: kind, Outcome: OutcomeOf(err), Data: WithTries(data, err)}
}

// anyList is names as event data holds a list: []any, what the privacy
// checks walk and what a record reads back as.
func anyList(names []string) []any {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}

// ApplicationRun is an application's response signed (or not) with the
// signing key: the files' names, the response file, who signed.
type ApplicationRun struct {
	Files        []string // the names in the manifest
	Out          Written
	OutputSHA256 string
	Signer       string // the holder's name only
	TestCard     bool
	Err          error
}

// ApplicationSigned is the event of an application's response: a sign
// event of format application-response.
func ApplicationSigned(r ApplicationRun) Event {
	data := map[string]any{"file": filepath.Base(r.Out.Path), "format": "application-response", "level": "b-b", "files": anyList(r.Files), "test_card": r.TestCard}
	if r.Signer != "" {
		data["signer"] = r.Signer
	}
	if r.Err != nil {
		return Failed(KindSign, data, r.Err)
	}
	r.Out.Put(data, "output")
	data["output_sha256"] = r.OutputSHA256
	return Event{Kind: KindSign, Outcome: OutcomeOK, Data: data}
}
