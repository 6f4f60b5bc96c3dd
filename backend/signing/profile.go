package signing

import (
	"fmt"
	"os"

	"github.com/shomei-app/shomei/backend/signing/pades"
	"github.com/shomei-app/shomei/backend/touki"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// Profile names a receiving system's format.
type Profile string

// ProfileTouki is 登記・供託オンライン申請's 電子署名付きPDF (see backend/touki).
const ProfileTouki Profile = "touki"

// CheckProfile refuses, before the card is used, a batch the profile cannot
// produce: options that break it, a file that is not a PDF, a PDF whose
// earlier signatures already fail the requirements. It returns the first
// problem as a *FileError (Path "" for an option).
func CheckProfile(inputs []string, opt Options) error {
	switch opt.Profile {
	case "":
		return nil
	case ProfileTouki:
	default:
		return &FileError{Code: CodeUnsupported, Err: fmt.Errorf("unknown profile %q", opt.Profile)}
	}
	switch {
	case opt.TSA != nil:
		return &FileError{Code: CodeToukiTimestamp, Err: touki.ErrTimestamp}
	case opt.Certify == pades.NoChanges:
		return &FileError{Code: CodeToukiCertify, Err: touki.ErrCertify}
	case opt.Format == FormatCMS || opt.Enveloping:
		return &FileError{Code: CodeToukiNotPDF, Err: touki.ErrNotPDF}
	}
	for _, in := range inputs {
		if !isPDF(in) {
			return &FileError{Code: CodeToukiNotPDF, Path: in, Err: touki.ErrNotPDF}
		}
		f, err := os.Open(in)
		if err != nil {
			return &FileError{Code: CodeRead, Path: in, Err: err}
		}
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			f.Close()
			return &FileError{Code: CodeRead, Path: in, Err: err}
		}
		sigs, err := pdfv.Check(f, st.Size())
		f.Close()
		if err != nil {
			return &FileError{Code: CodeNotPDF, Path: in, Err: err}
		}
		if len(sigs) > 0 && !touki.FromSignatures(sigs).Met {
			return &FileError{Code: CodeToukiEarlier, Path: in, Err: touki.ErrEarlier}
		}
	}
	return nil
}
