package trust

import (
	"errors"
	"path/filepath"

	"github.com/shomei-app/shomei/internal/errs"
)

// Failure places an error of the anchors kept in dir in the one vocabulary
// (internal/errs): corrupt (naming the file), not found, bad fingerprint,
// not a certificate, or failed.
func Failure(err error, dir string) *errs.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrCorrupt):
		return errs.Wrap(err, errs.TrustCorrupt, filepath.Join(dir, "anchors.json"))
	case errors.Is(err, ErrNotFound):
		return errs.Wrap(err, errs.TrustNotFound)
	case errors.Is(err, ErrBadHex):
		return errs.Wrap(err, errs.TrustBadHex)
	}
	if x := errs.From(err); x.Code != errs.Internal {
		return x
	}
	return errs.Wrap(err, errs.TrustFailed)
}
