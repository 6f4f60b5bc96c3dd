package uiservice

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
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
	bad := s.userErr("bad_request", "api.bad_request")
	opt := signing.Options{Enveloping: req.Enveloping, Overwrite: req.Overwrite, Reason: req.Reason, Location: req.Location}
	switch req.Format {
	case "", "auto":
		opt.Format = signing.FormatAuto
	case "cms":
		opt.Format = signing.FormatCMS
	case "pades":
		opt.Format = signing.FormatPAdES
	default:
		return opt, bad
	}
	switch req.Level {
	case "", "b-b":
	case "b-t":
		u := req.TSA
		if u == "" {
			s.mu.Lock()
			u = s.set.TSA
			s.mu.Unlock()
		}
		p, err := url.Parse(u)
		if u == "" || err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return opt, s.userErr("tsa_missing", "api.tsa_missing")
		}
		opt.TSA = &tsa.Client{URL: u}
	default:
		return opt, bad
	}
	switch req.Certify {
	case "":
	case "no-changes":
		opt.Certify = pades.NoChanges
	case "form-filling":
		opt.Certify = pades.FormFilling
	case "annotations":
		opt.Certify = pades.Annotations
	default:
		return opt, bad
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
	if v == nil || v.Page < 1 || v.X < 0 || v.Y < 0 || v.W < 20 || v.H < 10 {
		return nil, s.userErr("bad_stamp", "api.bad_stamp")
	}
	return &pades.Stamp{Page: v.Page, X: v.X, Y: v.Y, W: v.W, H: v.H}, nil
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
	if !req.AcceptDisclosure {
		return nil, s.userErr("disclosure", "sign.disclosure.no")
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
	secret, err := req.PIN.parse(pin.Sign)
	if err != nil {
		return nil, s.fail("sign", err)
	}
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
	progress := func(ev signing.Event) {
		p := Progress{Job: req.Job, Done: ev.Done, Total: ev.Total}
		if ev.Result != nil {
			r := s.fileResult(L, *ev.Result, byPath)
			p.Result = &r
		} else {
			p.Current = filepath.Base(ev.Current)
		}
		s.emit(EventProgress, p)
	}
	var results []signing.Result
	var holder string
	err = s.cfg.Cards.WithSigner(req.Reader, jpki.SignKey, req.Guard.attempt(pin.Sign, secret), func(g *jpki.Signer) error {
		b := signBrief(g.Certificate(), s.now())
		holder = b.Holder
		s.mu.Lock()
		s.certs[req.CardID] = b
		s.mu.Unlock()
		results = signing.Files(ctx, g, paths, opt, progress)
		return nil
	})
	if results == nil {
		if reached(err) {
			s.record(history.Event{Kind: history.KindSignBatch, Outcome: outcome(err),
				Data: withTries(map[string]any{"total": len(paths), "signed": 0, "failed": len(paths), "test_card": s.isTest(req.CardID)}, err)})
		}
		if err == nil {
			err = errors.New("no results")
		}
		return nil, s.fail("sign", err)
	}
	if err != nil {
		s.logf("sign: closing the card session: %v", err)
	}
	out := &SignResponse{Job: req.Job, Total: len(results)}
	for _, r := range results {
		fr := s.fileResult(L, r, byPath)
		if fr.OK {
			out.Signed++
		}
		out.Results = append(out.Results, fr)
	}
	s.recordSigning(req, opt, results, holder)
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

// recordSigning keeps each document's result and, for a batch, the batch:
// file names, digests, format and the holder's name, nothing else of the
// certificate.
func (s *Service) recordSigning(req SignRequest, opt signing.Options, results []signing.Result, holder string) {
	level := "b-b"
	if opt.TSA != nil {
		level = "b-t"
	}
	test := s.isTest(req.CardID)
	var evs []history.Event
	ok := 0
	for _, r := range results {
		format := strings.TrimSuffix(strings.TrimSuffix(r.Format, "-b-b"), "-b-t")
		if format == "" {
			format = string(opt.Format)
		}
		data := map[string]any{"file": filepath.Base(r.Input), "format": format, "level": level, "test_card": test, "signer": holder}
		if s.cfg.Mode == "desktop" {
			data["path"] = r.Input
		}
		if r.InputSHA256 != "" {
			data["input_sha256"] = r.InputSHA256
		}
		if r.OK() {
			ok++
			data["output"] = filepath.Base(r.Output)
			data["output_sha256"] = r.OutputSHA256
		}
		evs = append(evs, history.Event{Kind: history.KindSign, Outcome: outcome(r.Err), Data: data})
	}
	if len(results) > 1 {
		o := history.OutcomeOK
		switch {
		case ok == 0:
			o = history.OutcomeFailed
		case ok < len(results):
			o = history.OutcomePartial
		}
		evs = append(evs, history.Event{Kind: history.KindSignBatch, Outcome: o,
			Data: map[string]any{"total": len(results), "signed": ok, "failed": len(results) - ok, "signer": holder, "test_card": test}})
	}
	s.record(evs...)
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
