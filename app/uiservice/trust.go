package uiservice

import (
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/internal/errs"
)

// AnchorView is a trust anchor as the Settings screen lists it.
type AnchorView struct {
	ID       string    `json:"id"` // its SHA-256: what RemoveAnchor takes
	Name     string    `json:"name"`
	Source   string    `json:"source"` // jlis | user
	Test     bool      `json:"test"`   // a test root: always labelled TEST
	SHA256   string    `json:"sha256"`
	Subject  string    `json:"subject"`
	NotAfter time.Time `json:"not_after"`
	Expired  bool      `json:"expired"`
}

func (s *Service) anchors(st *trust.Store) []AnchorView {
	out := []AnchorView{}
	now := s.now()
	for _, a := range st.Anchors() {
		out = append(out, AnchorView{ID: a.SHA256, Name: a.Name, Source: a.Source, Test: a.Test, SHA256: a.SHA256,
			Subject: a.Cert.Subject.String(), NotAfter: a.Cert.NotAfter, Expired: now.After(a.Cert.NotAfter)})
	}
	return out
}

// Anchors lists the stored trust anchors: J-LIS roots, the user's, test
// roots (flagged).
func (s *Service) Anchors() ([]AnchorView, error) {
	st, err := s.trustStore()
	if err != nil {
		return nil, err
	}
	return s.anchors(st), nil
}

func (s *Service) trustFail(err error) error {
	s.logf("trust: %v", err)
	L := s.lang()
	switch {
	case errors.Is(err, trust.ErrNotFound):
		return &Error{Code: "not_found", Message: i18n.T(L, "trust.remove.notfound")}
	case errors.Is(err, trust.ErrBadHex):
		return &Error{Code: "bad_request", Message: i18n.T(L, "trust.remove.badhex")}
	case errors.Is(err, trust.ErrCorrupt):
		return &Error{Code: "trust_corrupt", Message: i18n.T(L, "trust.store.corrupt", filepath.Join(s.cfg.DataDir, "trust", "anchors.json"))}
	}
	return &Error{Code: "trust_failed", Message: i18n.T(L, "trust.store.failed")}
}

// AddAnchor adds the certificates of a file (PEM or DER) as the user's
// anchors, named after the file; a J-LIS root (by its pinned fingerprint)
// goes in as that root.
func (s *Service) AddAnchor(ref string) ([]AnchorView, error) {
	p, e := s.input(ref)
	if e != nil {
		return nil, e
	}
	certs, err := trust.ReadCerts(p)
	if err != nil || len(certs) == 0 {
		s.logf("trust: %v", err)
		return nil, &Error{Code: "not_certificate", Message: i18n.T(s.lang(), "trust.file.unreadable", filepath.Base(p))}
	}
	st, err := s.trustStore()
	if err != nil {
		return nil, err
	}
	label := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	for _, c := range certs {
		if _, err := st.AddUser(c.Raw, label); err != nil {
			return nil, s.trustFail(err)
		}
	}
	return s.anchors(st), nil
}

// RemoveAnchor removes the anchor with this SHA-256.
func (s *Service) RemoveAnchor(id string) ([]AnchorView, error) {
	st, err := s.trustStore()
	if err != nil {
		return nil, err
	}
	if err := st.Remove(id); err != nil {
		return nil, s.trustFail(err)
	}
	return s.anchors(st), nil
}

// AddCardRoots takes the CA certificates the card in reader carries (no
// PIN): a real card's are accepted only as pinned J-LIS roots; a virtual
// card's test root is added as a user anchor that every screen labels TEST
// (for developers).
func (s *Service) AddCardRoots(reader string) ([]AnchorView, error) {
	cc, err := s.cfg.Cards.CACertificates(reader)
	if err != nil {
		return nil, s.fail("card roots", err)
	}
	st, err := s.trustStore()
	if err != nil {
		return nil, err
	}
	roots, err := st.FromCard(cc.Sign, cc.Auth)
	if err != nil {
		return nil, s.trustFail(err)
	}
	added := 0
	for _, r := range roots {
		if r.Added != nil {
			added++
		}
	}
	if added == 0 {
		return nil, s.fail("card roots", errs.New(errs.NoRoots))
	}
	return s.anchors(st), nil
}
