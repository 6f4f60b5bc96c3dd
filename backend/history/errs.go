package history

import (
	"errors"

	"github.com/shomei-app/shomei/internal/errs"
)

// Failure places a history error in the one vocabulary (internal/errs):
// busy, newer, corrupt (naming the file) or failed.
func Failure(err error) *errs.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrBusy):
		return errs.Wrap(err, errs.HistoryBusy)
	case errors.Is(err, ErrNewerSchema):
		return errs.Wrap(err, errs.HistoryNewer)
	case errors.Is(err, ErrCorrupt):
		p, _ := Path()
		return errs.Wrap(err, errs.HistoryCorrupt, p)
	}
	return errs.Wrap(err, errs.HistoryFailed)
}
