package verify

import (
	"errors"
	"os"

	"github.com/shomei-app/shomei/internal/errs"
)

// ExtractFailure places an ExtractRevision error in the one vocabulary.
func ExtractFailure(err error) *errs.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrCancelled):
		return errs.Wrap(err, errs.Cancelled)
	case errors.Is(err, ErrNoSuchSignature):
		return errs.Wrap(err, errs.ExtractNoSuch)
	case errors.Is(err, ErrNotARevision):
		return errs.Wrap(err, errs.ExtractNotRevision)
	case errors.Is(err, os.ErrExist):
		return errs.Wrap(err, errs.OutputTaken)
	case errors.Is(err, ErrChanged):
		return errs.Wrap(err, errs.VerifyChanged)
	case errors.Is(err, ErrUnreadable):
		return errs.Wrap(err, errs.VerifyUnreadable)
	}
	return errs.Wrap(err, errs.ExtractFailed)
}
