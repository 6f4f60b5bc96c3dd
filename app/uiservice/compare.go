package uiservice

import (
	"encoding/base64"

	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/internal/errs"
)

// CompareRequest asks for one page of what a signature covers and of the
// file now, drawn side by side.
type CompareRequest struct {
	Ref   string `json:"ref"`
	Index int    `json:"index"` // the signature, 1-based as in the report
	Page  int    `json:"page"`  // 1-based
}

// PagePictures are the two drawings of a page, as PNG data URLs ("" when
// that version has no such page). They are drawn for each call and kept
// nowhere.
type PagePictures struct {
	Page   int    `json:"page"`
	Signed string `json:"signed"`
	Now    string `json:"now"`
}

// ComparePage draws page Page of the revision signature Index covers and
// of the file as it is now.
func (s *Service) ComparePage(req CompareRequest) (*PagePictures, error) {
	p, e := s.input(req.Ref)
	if e != nil {
		return nil, e
	}
	if req.Index < 1 || req.Page < 1 {
		return nil, s.userErr("bad_request", "api.bad_request")
	}
	a, b, err := verify.PagePair(p, req.Index, req.Page, s.pdf)
	if err != nil {
		s.logf("compare %d/%d: %v", req.Index, req.Page, err)
		return nil, s.userErr(string(errs.CompareFailed), "api.compare_failed")
	}
	url := func(png []byte) string {
		if len(png) == 0 {
			return ""
		}
		return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	}
	return &PagePictures{Page: req.Page, Signed: url(a.PNG), Now: url(b.PNG)}, nil
}
