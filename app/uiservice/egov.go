package uiservice

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/shomei-app/shomei/backend/egov"
	"github.com/shomei-app/shomei/backend/flow"
	"github.com/shomei-app/shomei/backend/i18n"
)

// EgovView is what an e-Gov application will be signed as: the files
// kousei.xml names (size, SHA-256) and the form's main values.
type EgovView struct {
	Folder string       `json:"folder"`
	Files  []egov.File  `json:"files"`
	Fields []egov.Field `json:"fields"`
	Extra  []string     `json:"extra"`  // files kousei.xml does not name: neither signed nor included
	Digest string       `json:"digest"` // names exactly what was shown; EgovSign sends it back
}

// EgovSignRequest signs the application the screen showed.
type EgovSignRequest struct {
	Guard
	Ref              string `json:"ref"`    // the application's zip, or its kousei.xml (desktop)
	Digest           string `json:"digest"` // EgovView.Digest
	PIN              Secret `json:"pin"`
	AcceptDisclosure bool   `json:"accept_disclosure"`
}

// EgovResult is the signed application, zipped for submission.
type EgovResult struct {
	Output     string `json:"output"` // the zip: a reference (web) or a path (desktop)
	OutputName string `json:"output_name"`
	Files      int    `json:"files"`
	Message    string `json:"message"`
}

// egovOpen reads the application behind ref: a zip is opened into a
// folder of its own (removed by done), a kousei.xml is read in its folder.
func (s *Service) egovOpen(ref string) (p *egov.Package, done func(), err error) {
	path, e := s.input(ref)
	if e != nil {
		return nil, nil, e
	}
	done = func() {}
	dir := filepath.Dir(path)
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		tmp, err := os.MkdirTemp("", "shomei-egov-")
		if err != nil {
			return nil, nil, s.fail("egov", err)
		}
		done = func() { os.RemoveAll(tmp) }
		if dir, err = egov.Unzip(path, tmp); err != nil {
			done()
			return nil, nil, s.fail("egov", err)
		}
	} else if !strings.EqualFold(filepath.Base(path), egov.KouseiName) {
		return nil, nil, s.fail("egov", egov.ErrNoKousei)
	}
	p, err = egov.Load(dir)
	if err != nil {
		done()
		return nil, nil, s.fail("egov", err)
	}
	return p, done, nil
}

func egovDigest(p *egov.Package) string {
	h := sha256.New()
	for _, f := range p.Files {
		h.Write([]byte(f.Name + "\x00" + f.SHA256 + "\x00"))
	}
	for _, f := range p.Fields {
		h.Write([]byte(f.Source + "\x00" + f.Name + "\x00" + f.Value + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// EgovOpen shows what an e-Gov application (its zip, or its kousei.xml)
// will be signed as. Nothing is written.
func (s *Service) EgovOpen(ref string) (*EgovView, error) {
	p, done, err := s.egovOpen(ref)
	if err != nil {
		return nil, err
	}
	defer done()
	v := &EgovView{Folder: egov.Printable(filepath.Base(p.Dir)), Files: p.Files, Fields: p.Fields, Extra: []string{}, Digest: egovDigest(p)}
	for i := range v.Files {
		v.Files[i].Name = egov.Printable(v.Files[i].Name)
	}
	for _, x := range p.Extra {
		v.Extra = append(v.Extra, egov.Printable(x))
	}
	return v, nil
}

// EgovSign signs the application the screen showed (Digest) with one card
// operation and writes the signed application as a zip ready for e-Gov.
func (s *Service) EgovSign(req EgovSignRequest) (*EgovResult, error) {
	defer req.PIN.wipe()
	p, done, err := s.egovOpen(req.Ref)
	if err != nil {
		return nil, err
	}
	defer done()
	path, _ := s.input(req.Ref)
	if egovDigest(p) != req.Digest {
		return nil, s.fail("egov", egov.ErrChanged)
	}
	if s.cfg.Files == nil {
		return nil, s.userErr("file_missing", "api.file_missing", req.Ref)
	}
	zipPath, err := s.cfg.Files.NewOutput(filepath.Base(p.Dir) + ".signed.zip")
	if err != nil {
		return nil, s.fail("egov", err)
	}
	out := strings.TrimSuffix(zipPath, ".zip")
	source := filepath.Dir(path) // a kousei.xml: its folder
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		source = path
	}
	var o *flow.EgovOutcome
	err = s.signing(req.Guard, req.PIN, req.AcceptDisclosure, func(ui flow.UI) (flow.Signature, error) {
		var err error
		if o, err = s.flows().SignEgov(s.ctx, ui, flow.EgovJob{Reader: req.Reader, Pkg: p, Source: source, Out: out}); err != nil {
			return flow.Signature{}, err
		}
		return o.Signature, nil
	})
	if err != nil {
		return nil, s.fail("egov", err)
	}
	// The folder stays beside the zip (desktop); the browser downloads the zip.
	name := filepath.Base(o.Output.Zip)
	return &EgovResult{Output: s.cfg.Files.Ref(o.Output.Zip), OutputName: name, Files: len(p.Files),
		Message: i18n.T(s.lang(), "egov.ui.signed", len(p.Files), name)}, nil
}
