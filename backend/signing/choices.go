package signing

import (
	"net/url"

	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/internal/errs"
)

// Choices are the signing options as a person names them (the command
// line's flags, the sign form's fields): read into Options once, here.
type Choices struct {
	Format     string // auto (or ""), cms, pades
	Level      string // "", b-b, b-t (b-t needs TSA)
	TSA        string // the timestamp server's URL (implies b-t)
	Certify    string // "", no-changes, form-filling, annotations
	Enveloping bool
	Overwrite  bool
	Reason     string
	Location   string
	OutDir     string
	Profile    string // "", touki (登記・供託オンライン申請)
}

// ChoiceError names the option whose value is not valid, and its code:
// bad_request, tsa_missing or tsa_url.
type ChoiceError struct {
	Option, Value string
	Allowed       string // the values it takes, when it is a choice
	Code          errs.Code
}

func (e *ChoiceError) Error() string { return "--" + e.Option + " " + e.Value }

// Errs places the error in the one vocabulary.
func (e *ChoiceError) Errs() *errs.Error { return &errs.Error{Code: e.Code, Cause: e} }

// Options reads the choices.
func (c Choices) Options() (Options, error) {
	opt := Options{Enveloping: c.Enveloping, Overwrite: c.Overwrite, Reason: c.Reason, Location: c.Location, OutDir: c.OutDir}
	switch c.Format {
	case "", "auto":
		opt.Format = FormatAuto
	case "cms":
		opt.Format = FormatCMS
	case "pades":
		opt.Format = FormatPAdES
	default:
		return opt, &ChoiceError{Option: "format", Value: c.Format, Allowed: "auto, cms, pades", Code: errs.BadRequest}
	}
	switch c.Profile {
	case "":
	case string(ProfileTouki):
		opt.Profile = ProfileTouki
	default:
		return opt, &ChoiceError{Option: "profile", Value: c.Profile, Allowed: "touki", Code: errs.BadRequest}
	}
	switch c.Level {
	case "", "b-b", "b-t":
	default:
		return opt, &ChoiceError{Option: "level", Value: c.Level, Allowed: "b-b, b-t", Code: errs.BadRequest}
	}
	switch {
	case c.Level == "b-t" && c.TSA == "":
		return opt, &ChoiceError{Option: "tsa", Code: errs.TSAMissing}
	case c.Level == "b-b" && c.TSA != "":
		return opt, &ChoiceError{Option: "level", Value: c.Level, Code: errs.BadRequest}
	case c.TSA != "":
		u, err := url.Parse(c.TSA)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return opt, &ChoiceError{Option: "tsa", Value: c.TSA, Code: errs.TSAURL}
		}
		opt.TSA = &tsa.Client{URL: c.TSA}
	}
	switch c.Certify {
	case "":
	case "no-changes":
		opt.Certify = pades.NoChanges
	case "form-filling":
		opt.Certify = pades.FormFilling
	case "annotations":
		opt.Certify = pades.Annotations
	default:
		return opt, &ChoiceError{Option: "certify", Value: c.Certify, Allowed: "no-changes, form-filling, annotations", Code: errs.BadRequest}
	}
	return opt, opt.CheckText()
}

// NewStamp checks a visible stamp's place: page from 1, a rectangle from
// the page's bottom left at least 20 pt wide and 10 pt high.
func NewStamp(page int, x, y, w, h float64) (*pades.Stamp, error) {
	if page < 1 || x < 0 || y < 0 || w < 20 || h < 10 {
		return nil, errs.New(errs.BadStamp)
	}
	return &pades.Stamp{Page: page, X: x, Y: y, W: w, H: h}, nil
}
