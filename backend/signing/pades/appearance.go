package pades

import "errors"

// ErrNoVisible is returned until visible stamps are rendered.
var ErrNoVisible = errors.New("visible signatures are not available yet")

// writeAppearance writes the stamp's appearance stream and returns its
// object number.
func (u *update) writeAppearance(s *Stamp) (uint32, error) {
	return 0, ErrNoVisible
}
