package uiservice

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/internal/errs"
)

// VerifyRequest lists the files to verify. The signed file of a detached
// signature (x.pdf for x.pdf.p7s) is found among them by name and used as
// its data, not verified on its own.
type VerifyRequest struct {
	Files []string `json:"files"`
}

// VerifyReport is a file's verification with the UI's reference.
type VerifyReport struct {
	*verify.FileReport
	Ref  string `json:"ref"`
	Name string `json:"name"`
}

func detachedBase(name string) (string, bool) {
	l := strings.ToLower(name)
	for _, ext := range []string{".p7s", ".sig"} {
		if strings.HasSuffix(l, ext) && len(name) > len(ext) {
			return name[:len(name)-len(ext)], true
		}
	}
	return "", false
}

func (s *Service) trustStore() (*trust.Store, error) {
	st, err := trust.Load(filepath.Join(s.cfg.DataDir, "trust"))
	if err != nil {
		s.logf("trust: %v", err)
		L := s.lang()
		if errors.Is(err, trust.ErrCorrupt) {
			return nil, &Error{Code: "trust_corrupt", Message: i18n.T(L, "trust.store.corrupt", filepath.Join(s.cfg.DataDir, "trust", "anchors.json"))}
		}
		return nil, &Error{Code: "trust_failed", Message: i18n.T(L, "trust.store.failed")}
	}
	return st, nil
}

// Verify verifies every signature of each file against the stored trust
// anchors and records the verdicts in the history.
func (s *Service) Verify(req VerifyRequest) ([]VerifyReport, error) {
	if len(req.Files) == 0 {
		return nil, s.userErr("no_files", "api.no_files")
	}
	type in struct{ ref, path, name string }
	var ins []in
	byName := map[string]string{}
	for _, ref := range req.Files {
		p, e := s.input(ref)
		if e != nil {
			return nil, e
		}
		ins = append(ins, in{ref, p, filepath.Base(p)})
		byName[filepath.Base(p)] = p
	}
	data := map[string]bool{}
	for _, f := range ins {
		if base, ok := detachedBase(f.name); ok && byName[base] != "" {
			data[base] = true
		}
	}
	ts, err := s.trustStore()
	if err != nil {
		return nil, err
	}
	out := []VerifyReport{}
	var evs []history.Event
	for _, f := range ins {
		if data[f.name] {
			continue
		}
		opt := verify.Options{Trust: ts, Render: s.pdf}
		if base, ok := detachedBase(f.name); ok && byName[base] != "" {
			opt.Data = byName[base]
		}
		r, err := verify.File(f.path, opt)
		if err != nil {
			s.logf("verify %s: %v", f.name, err)
			if errors.Is(err, verify.ErrChanged) {
				return nil, &Error{Code: string(errs.VerifyChanged), Message: fmt.Sprintf("%s: %s", f.name, i18n.T(s.lang(), "verify.changed"))}
			}
			return nil, &Error{Code: "unreadable", Message: fmt.Sprintf("%s: %s", f.name, i18n.T(s.lang(), "verify.unreadable"))}
		}
		out = append(out, VerifyReport{FileReport: r, Ref: f.ref, Name: f.name})
		var sigs []any
		for _, sg := range r.Signatures {
			sigs = append(sigs, map[string]any{"index": sg.Index, "type": sg.Type, "indication": sg.Indication, "sub_indication": sg.Subindication, "changes_after": sg.ChangesAfter})
		}
		d := map[string]any{"file": f.name, "sha256": r.SHA256, "kind": r.Kind, "signatures": sigs}
		if s.cfg.Mode == "desktop" {
			d["path"] = f.path
		}
		evs = append(evs, history.Event{Kind: history.KindVerify, Outcome: strings.ToLower(r.Indication), Data: d})
	}
	if len(evs) > 0 {
		s.record(evs...)
	}
	return out, nil
}

// ExtractRequest asks for the revision a signature covers.
type ExtractRequest struct {
	Ref   string `json:"ref"`
	Index int    `json:"index"` // 1-based, as in the report
}

// ExtractRevision writes what signature Index of a PDF covers (an earlier
// revision) next to it, as NAME.signed-rev-N.pdf, and returns it.
func (s *Service) ExtractRevision(req ExtractRequest) (*FileInfo, error) {
	p, e := s.input(req.Ref)
	if e != nil {
		return nil, e
	}
	if req.Index < 1 {
		return nil, s.userErr("bad_request", "api.bad_request")
	}
	base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	out := FreeName(filepath.Dir(p), fmt.Sprintf("%s.signed-rev-%d.pdf", base, req.Index))
	n, err := verify.ExtractRevision(p, req.Index, out)
	if err != nil {
		s.logf("extract %s #%d: %v", filepath.Base(p), req.Index, err)
		return nil, &Error{Code: "extract_failed", Message: i18n.T(s.lang(), "api.extract_failed")}
	}
	return &FileInfo{Ref: s.cfg.Files.Ref(out), Name: filepath.Base(out), Size: n, PDF: true}, nil
}
