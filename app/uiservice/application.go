package uiservice

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"time"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/backend/canonjson"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/i18n"
)

// AppFile is one file of an application as the screen shows it.
type AppFile struct {
	Name      string              `json:"name"`
	Size      int64               `json:"size"`
	SHA256    string              `json:"sha256"`
	MediaType string              `json:"media_type"`
	Preview   []application.Field `json:"preview,omitempty"` // values by path, made safe to show
	More      bool                `json:"more,omitempty"`
	NoPreview bool                `json:"no_preview,omitempty"` // a document too large to list
}

// ApplicationView is what will be signed: every file with its size and
// SHA-256, and the values of JSON and XML documents.
type ApplicationView struct {
	Files []AppFile `json:"files"`
	Lines []string  `json:"lines"` // the same summary as text
	// Digest names exactly these files (names, sizes, hashes): the
	// signature request sends it back, and a file changed since is refused.
	Digest string `json:"digest"`
	More   string `json:"more_text"`
	Large  string `json:"no_preview_text"`
}

func (s *Service) collect(refs []string) (*application.Application, error) {
	if len(refs) == 0 {
		return nil, s.userErr("application_empty", "app.err.empty")
	}
	paths := make([]string, len(refs))
	for i, r := range refs {
		p, e := s.input(r)
		if e != nil {
			return nil, e
		}
		paths[i] = p
	}
	a, err := application.Collect(paths)
	if err != nil {
		return nil, s.appErr(err)
	}
	return a, nil
}

// appErr explains why an application's files cannot be signed, naming the
// file (never its folder: in a browser that is the server's work folder).
func (s *Service) appErr(err error) error {
	s.logf("application: %v", err)
	return &Error{Code: string(application.Code(err)), Message: application.Message(s.lang(), err, filepath.Base)}
}

func appDigest(a *application.Application) string {
	entries := make([]application.Entry, len(a.Files))
	for i, f := range a.Files {
		entries[i] = f.Entry
	}
	b, err := canonjson.Marshal(entries)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ApplicationOpen reads the data an e-application system handed over (a
// JSON or XML document, any file, or several) and shows what will be
// signed. JSON and XML must be well formed.
func (s *Service) ApplicationOpen(refs []string) (*ApplicationView, error) {
	a, err := s.collect(refs)
	if err != nil {
		return nil, err
	}
	L := s.lang()
	v := &ApplicationView{Files: []AppFile{}, Lines: a.Lines(L), Digest: appDigest(a), More: i18n.T(L, "app.more"), Large: i18n.T(L, "app.nopreview")}
	for _, f := range a.Files {
		af := AppFile{Name: application.Shown(f.Name), Size: f.Size, SHA256: f.SHA256, MediaType: f.MediaType, More: f.More}
		for _, fl := range f.Preview {
			af.Preview = append(af.Preview, application.Field{Path: application.Shown(fl.Path), Value: application.Shown(fl.Value)})
		}
		af.NoPreview = f.Preview == nil && (f.MediaType == "application/json" || f.MediaType == "application/xml") && f.Size > application.MaxPreview
		v.Files = append(v.Files, af)
	}
	return v, nil
}

// ApplicationSignRequest signs the files the screen showed.
type ApplicationSignRequest struct {
	Guard
	Files            []string `json:"files"`
	Digest           string   `json:"digest"` // ApplicationView.Digest
	PIN              Secret   `json:"pin"`
	AcceptDisclosure bool     `json:"accept_disclosure"`
}

// ApplicationResult is the response file.
type ApplicationResult struct {
	Output     string `json:"output"` // a reference (web) or a path (desktop)
	OutputName string `json:"output_name"`
	SHA256     string `json:"sha256"`
	SignedAt   string `json:"signed_at"`
	Files      int    `json:"files"`
	Message    string `json:"message"`
}

// ApplicationSign signs the application's files with the signing
// certificate into one response file (an enveloping CMS over a manifest of
// every file's name, size and SHA-256), next to the first file. The files
// must be the ones the screen showed (Digest); each is hashed again just
// before the signature and a change is refused before the card signs.
func (s *Service) ApplicationSign(req ApplicationSignRequest) (*ApplicationResult, error) {
	defer req.PIN.wipe()
	a, err := s.collect(req.Files)
	if err != nil {
		return nil, err
	}
	if appDigest(a) != req.Digest {
		return nil, s.appErr(application.ErrChanged)
	}
	first, _ := s.input(req.Files[0])
	out := FreeName(filepath.Dir(first), filepath.Base(first)+".response.p7m")
	var o *flow.ApplicationOutcome
	err = s.signing(req.Guard, req.PIN, req.AcceptDisclosure, func(ui flow.UI) (flow.Signature, error) {
		var err error
		if o, err = s.flows().SignApplication(s.ctx, ui, req.Reader, a, out, false); err != nil {
			return flow.Signature{}, err
		}
		return o.Signature, nil
	})
	var pe *application.PathError
	if errors.As(err, &pe) {
		return nil, s.appErr(err) // a file changed or vanished: nothing was signed
	}
	if err != nil {
		return nil, s.fail("application", err)
	}
	return &ApplicationResult{Output: s.cfg.Files.Ref(out), OutputName: filepath.Base(out), SHA256: o.Response.SHA256,
		SignedAt: o.At.UTC().Truncate(time.Second).Format(time.RFC3339), Files: len(a.Files),
		Message: i18n.T(s.lang(), "app.signed", len(a.Files), filepath.Base(out))}, nil
}
