package uiservice

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/internal/errs"
)

// Stamp places a visible signature: page from 1, rectangle in PDF points
// from the page's bottom left (the UI converts a click on its preview).
type Stamp struct {
	Page int     `json:"page"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

// SignRequest signs a batch with one entry of the signing password.
type SignRequest struct {
	Guard
	// Job is an ID the UI chooses: progress events carry it and
	// CancelSign takes it.
	Job              string   `json:"job"`
	PIN              Secret   `json:"pin"`
	AcceptDisclosure bool     `json:"accept_disclosure"`
	Files            []string `json:"files"`
	Format           string   `json:"format"` // auto | cms | pades
	Enveloping       bool     `json:"enveloping"`
	Level            string   `json:"level"`             // b-b | b-t
	TSA              string   `json:"tsa"`               // b-t: "" takes the one in the settings
	Visible          *Stamp   `json:"visible,omitempty"` // every PDF alike
	// Stamps places a stamp on single documents, keyed by their file
	// reference: the UI places each on that document's own preview.
	Stamps    map[string]*Stamp `json:"stamps,omitempty"`
	Reason    string            `json:"reason"`
	Location  string            `json:"location"`
	Certify   string            `json:"certify"` // "" | no-changes | form-filling | annotations
	Overwrite bool              `json:"overwrite"`
	// Profile is where the document goes: "" (anywhere), or "touki" for
	// 登記・供託オンライン申請 (backend/touki's rules, checked before the card).
	Profile string `json:"profile"`
}

// FileResult is one file's outcome.
type FileResult struct {
	Ref        string `json:"ref"`
	Name       string `json:"name"`
	OK         bool   `json:"ok"`
	Output     string `json:"output,omitempty"` // a reference (web) or a path (desktop)
	OutputName string `json:"output_name,omitempty"`
	Format     string `json:"format,omitempty"`
	Bytes      int64  `json:"bytes,omitempty"`
	Code       string `json:"code,omitempty"`
	Message    string `json:"message,omitempty"`
}

// SignResponse is a batch's outcome.
type SignResponse struct {
	Job     string       `json:"job"`
	Results []FileResult `json:"results"`
	Signed  int          `json:"signed"`
	Total   int          `json:"total"`
}

// Progress is the EventProgress payload.
type Progress struct {
	Job     string      `json:"job"`
	Done    int         `json:"done"`
	Total   int         `json:"total"`
	Current string      `json:"current,omitempty"` // name of the file being signed
	Result  *FileResult `json:"result,omitempty"`
}

// options turns the request's choices into signing.Options, refusing
// anything it does not know before the card is touched.
func (s *Service) options(req *SignRequest) (signing.Options, error) {
	c := signing.Choices{Format: req.Format, Level: req.Level, Certify: req.Certify, Enveloping: req.Enveloping,
		Overwrite: req.Overwrite, Reason: req.Reason, Location: req.Location, Profile: req.Profile}
	if req.Level == "b-t" {
		c.TSA = req.TSA
		if c.TSA == "" {
			s.mu.Lock()
			c.TSA = s.set.TSA
			s.mu.Unlock()
		}
	}
	opt, err := c.Options()
	if errs.CodeOf(err) == errs.TSAURL {
		err = errs.New(errs.TSAMissing) // the settings' URL is the one to fix
	}
	if err != nil {
		return opt, s.fail("sign options", err)
	}
	if req.Visible != nil {
		st, err := s.stamp(req.Visible)
		if err != nil {
			return opt, err
		}
		opt.Visible = st
	}
	return opt, nil
}

func (s *Service) stamp(v *Stamp) (*pades.Stamp, error) {
	if v == nil {
		return nil, s.fail("stamp", errs.New(errs.BadStamp))
	}
	st, err := signing.NewStamp(v.Page, v.X, v.Y, v.W, v.H)
	return st, s.fail("stamp", err)
}

// Sign signs the files of the request: the signing password is verified
// once (through the guard: the card and tries left the UI showed), and
// every file is signed in one card session. Progress goes out as
// EventProgress events with the request's Job. One bad file does not stop
// the batch; a card error does.
func (s *Service) Sign(req SignRequest) (*SignResponse, error) {
	defer req.PIN.wipe()
	if len(req.Files) == 0 {
		return nil, s.userErr("no_files", "api.no_files")
	}
	opt, err := s.options(&req)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(req.Files))
	byPath := map[string]string{}
	for i, ref := range req.Files {
		p, e := s.input(ref)
		if e != nil {
			return nil, e
		}
		paths[i] = p
		byPath[p] = ref
	}
	// Each stamp goes with the document it names, and only with one of
	// this batch's documents.
	for ref, v := range req.Stamps {
		i := slices.Index(req.Files, ref)
		if i < 0 {
			return nil, s.userErr("bad_request", "api.bad_request")
		}
		st, e := s.stamp(v)
		if e != nil {
			return nil, e
		}
		if opt.Stamps == nil {
			opt.Stamps = map[string]*pades.Stamp{}
		}
		opt.Stamps[paths[i]] = st
	}
	if e := s.lockPIN(); e != nil {
		return nil, e
	}
	defer s.unlockPIN()
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	if req.Job != "" {
		s.mu.Lock()
		s.jobs[req.Job] = cancel
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			delete(s.jobs, req.Job)
			s.mu.Unlock()
		}()
	}
	L := s.lang()
	ui := &reqUI{s: s, guard: req.Guard, current: req.PIN, accept: req.AcceptDisclosure, job: req.Job, byPath: byPath}
	o, err := s.flows().SignBatch(ctx, ui, flow.SignJob{Reader: req.Reader, Files: paths, Options: opt})
	if o == nil {
		return nil, s.fail("sign", err)
	}
	if o.Cert != nil {
		s.mu.Lock()
		s.certs[req.CardID] = signBrief(o.Cert, s.now())
		s.mu.Unlock()
	}
	out := &SignResponse{Job: req.Job, Total: len(o.Results)}
	for _, r := range o.Results {
		if !o.Checked && r.Err == nil { // refused with the others: nothing was signed
			r.Err = err
		}
		fr := s.fileResult(L, r, byPath)
		if fr.OK {
			out.Signed++
		}
		out.Results = append(out.Results, fr)
	}
	return out, nil
}

func (s *Service) fileResult(L i18n.Lang, r signing.Result, byPath map[string]string) FileResult {
	fr := FileResult{Ref: byPath[r.Input], Name: filepath.Base(r.Input), OK: r.OK(), Format: r.Format, Bytes: r.Bytes}
	if r.OK() {
		fr.Output = s.cfg.Files.Ref(r.Output)
		fr.OutputName = filepath.Base(r.Output)
		return fr
	}
	var fe *signing.FileError
	switch {
	case errors.As(r.Err, &fe):
		fr.Code = string(fe.Code)
		fr.Message = i18n.T(L, "file."+string(fe.Code))
	case cardio.CodeOf(r.Err) != "":
		fr.Code = string(cardio.CodeOf(r.Err))
		fr.Message = i18n.Error(L, r.Err)
	default:
		fr.Code = "internal"
		fr.Message = i18n.Error(L, r.Err)
	}
	if fr.Code == string(signing.CodeExists) {
		fr.Message = i18n.T(L, "api.output_exists")
	}
	s.logf("sign %s: %v", strings.TrimSpace(fr.Name), r.Err)
	return fr
}

// CancelSign stops a running batch after the document at hand; the rest
// are reported as cancelled. Unknown jobs are ignored.
func (s *Service) CancelSign(job string) {
	s.mu.Lock()
	cancel := s.jobs[job]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}
