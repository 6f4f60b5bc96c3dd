package signing

import (
	"errors"
	"fmt"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/internal/errs"
)

// Code classifies a per-file failure that is not a card error: a code of
// the one vocabulary (internal/errs).
type Code = errs.Code

const (
	CodeRead        = errs.ReadFailed
	CodeNotPDF      = errs.PDFUnreadable
	CodeEncrypted   = errs.PDFEncrypted
	CodeCertified   = errs.PDFCertified
	CodeCertifyLate = errs.PDFCertifyNotFirst
	CodeNoPage      = errs.PDFNoPage
	CodeNoFont      = errs.NoFont
	CodeTimestamp   = errs.TimestampFailed
	CodeWrite       = errs.WriteFailed
	CodeExists      = errs.OutputExists
	CodeUnsupported = errs.FormatUnavailable
	CodeSkipped     = errs.NotSigned // the batch stopped before this file
	CodeCancelled   = errs.Cancelled
	CodeMissing     = errs.InputMissing
	CodeIsDir       = errs.InputIsDir
	CodeChanged     = errs.FileChanged // the input was written to while it was signed
	CodeUnsafeText  = errs.UnsafeText  // a reason or location with control or direction characters

	// The 登記 profile's refusals (CheckProfile).
	CodeToukiTimestamp = errs.ToukiTimestamp
	CodeToukiCertify   = errs.ToukiCertify
	CodeToukiNotPDF    = errs.ToukiNotPDF
	CodeToukiEarlier   = errs.ToukiEarlier
)

// FileError is a failure of one file.
type FileError struct {
	Code Code
	Path string
	Err  error
}

func (e *FileError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Path, e.Code, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Code)
}

func (e *FileError) Unwrap() error { return e.Err }

// Errs places the failure in the one vocabulary; the path stays out of the
// sentence (the shells name the file beside it).
func (e *FileError) Errs() *errs.Error { return &errs.Error{Code: e.Code, Cause: e} }

// pdfCode maps the PDF signer's refusals to file error codes.
func pdfCode(err error) Code {
	switch {
	case errors.Is(err, pades.ErrEncrypted):
		return CodeEncrypted
	case errors.Is(err, pades.ErrCertified):
		return CodeCertified
	case errors.Is(err, pades.ErrCertifyNow):
		return CodeCertifyLate
	case errors.Is(err, pades.ErrNoPage):
		return CodeNoPage
	case errors.Is(err, pades.ErrNoFont):
		return CodeNoFont
	case errors.Is(err, pades.ErrNotPDF):
		return CodeNotPDF
	case errors.Is(err, pades.ErrChanged):
		return CodeChanged
	case errors.Is(err, cms.ErrTimestamp), errors.Is(err, pades.ErrTooLarge):
		return CodeTimestamp
	}
	return CodeWrite
}
