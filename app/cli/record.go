package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/pin"
)

// record appends events to the user's history (opened and closed around
// it), stamped with this version and the CLI as their interface. Recording
// never changes a command's result: on failure it prints a warning in the
// user's language and the command goes on with its own exit code.
func record(e *Env, evs ...history.Event) {
	for i := range evs {
		evs[i].App = Version
		evs[i].Interface = history.InterfaceCLI
	}
	path, err := history.Path()
	if err == nil {
		_, err = history.Record(path, evs...)
	}
	if err != nil {
		fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(e.Lang, "history.warn", historyReason(e.Lang, err)))
		if os.Getenv("SHOMEI_DEBUG") == "1" {
			fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", err)
		}
	}
}

// historyReason says in the user's language why the history failed.
func historyReason(L i18n.Lang, err error) string {
	switch {
	case errors.Is(err, history.ErrBusy):
		return i18n.T(L, "history.busy")
	case errors.Is(err, history.ErrNewerSchema):
		return i18n.T(L, "history.newer")
	case errors.Is(err, history.ErrCorrupt):
		p, _ := history.Path()
		return i18n.T(L, "history.corrupt", p)
	}
	return i18n.T(L, "history.failed")
}

// outcome is "ok" or the stable code of err.
func outcome(err error) string {
	if err == nil {
		return history.OutcomeOK
	}
	return errorCode(err)
}

// withTries adds the tries left of a wrong-PIN error to data.
func withTries(data map[string]any, err error) map[string]any {
	var ce *cardio.Error
	if errors.As(err, &ce) && (ce.Code == cardio.CodePINWrong || ce.Code == cardio.CodeStateChanged) {
		data["tries_left"] = ce.TriesLeft
	}
	return data
}

// recordLocks records a status check that found locked PINs.
func recordLocks(e *Env, st *cardsvc.Status) {
	var locked []string
	for _, id := range pinOrder {
		if p, ok := st.PINs[id]; ok && p.Available && p.Locked {
			locked = append(locked, string(id))
		}
	}
	if len(locked) == 0 {
		return
	}
	record(e, history.Event{Kind: history.KindPINLocked, Outcome: history.OutcomeOK,
		Data: map[string]any{"pins": locked, "reader": st.Reader, "test_card": st.TestCard}})
}

// recordPINChange records a PIN change that reached the card.
func recordPINChange(e *Env, st *cardsvc.Status, id pin.ID, err error) {
	record(e, history.Event{Kind: history.KindPINChange, Outcome: outcome(err),
		Data: withTries(map[string]any{"pin_id": string(id), "reader": st.Reader, "test_card": st.TestCard}, err)})
}

// signRecord describes one signing run for the history.
type signRecord struct {
	files    []string
	opt      signing.Options
	signer   string // the holder's name from the signing certificate, nothing else of it
	testCard bool
}

// recordSigning records each document's result and, for more than one
// document or a failure before any document, the batch.
func recordSigning(e *Env, sr signRecord, results []signing.Result, cardErr error) {
	level := "b-b"
	if sr.opt.TSA != nil {
		level = "b-t"
	}
	var evs []history.Event
	ok := 0
	for _, r := range results {
		format := strings.TrimSuffix(strings.TrimSuffix(r.Format, "-b-b"), "-b-t")
		if format == "" {
			format = string(sr.opt.Format)
		}
		data := map[string]any{"file": filepath.Base(r.Input), "path": absPath(r.Input), "format": format, "level": level, "test_card": sr.testCard}
		if r.InputSHA256 != "" {
			data["input_sha256"] = r.InputSHA256
		}
		if r.OK() {
			ok++
			data["output"] = absPath(r.Output)
			data["output_sha256"] = r.OutputSHA256
			data["bytes"] = r.Bytes
		}
		if sr.signer != "" {
			data["signer"] = sr.signer
		}
		evs = append(evs, history.Event{Kind: history.KindSign, Outcome: outcome(r.Err), Data: data})
	}
	if len(sr.files) > 1 || results == nil {
		data := map[string]any{"total": len(sr.files), "signed": ok, "failed": len(sr.files) - ok, "level": level, "test_card": sr.testCard}
		if sr.signer != "" {
			data["signer"] = sr.signer
		}
		if results == nil {
			var names []any
			for _, f := range sr.files {
				names = append(names, filepath.Base(f))
			}
			data["files"] = names
		}
		out := history.OutcomeOK
		switch {
		case results == nil:
			out = outcome(cardErr)
			withTries(data, cardErr)
		case ok == 0:
			out = history.OutcomeFailed
		case ok < len(sr.files):
			out = history.OutcomePartial
		}
		evs = append(evs, history.Event{Kind: history.KindSignBatch, Outcome: out, Data: data})
	}
	if len(evs) > 0 {
		record(e, evs...)
	}
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
