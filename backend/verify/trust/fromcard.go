package trust

import "errors"

// CardRoot is what became of one of the card's CA certificates.
type CardRoot struct {
	Which   string  // "sign" (EF 0002) or "auth" (EF 000B)
	Absent  bool    // not on the card
	Added   *Anchor // a pinned J-LIS root, now an anchor
	Test    bool    // a test root (virtual card): never taken from a card
	Unknown string  // the SHA-256 of a certificate that matches no pin
}

// FromCard is the one rule for "trust from the card", in every shell: a
// card's CA certificate becomes an anchor only when it matches a pinned
// J-LIS root. A card cannot vouch for an issuer it carries itself, so a
// virtual card's test root is never taken from the card; the person adds
// it as a file, on their own decision (shomei trust add, or the settings'
// "add from a file"), and reports mark it TEST.
func (s *Store) FromCard(sign, auth []byte) ([]CardRoot, error) {
	var out []CardRoot
	for _, f := range []struct {
		which string
		der   []byte
	}{{"sign", sign}, {"auth", auth}} {
		r := CardRoot{Which: f.which}
		switch {
		case f.der == nil:
			r.Absent = true
		default:
			a, err := s.AddJLIS(f.der)
			var np *NotPinnedError
			switch {
			case errors.As(err, &np):
				if cs, perr := ParseCerts(f.der); perr == nil && len(cs) > 0 && IsTestRoot(cs[0]) {
					r.Test = true
				} else {
					r.Unknown = np.SHA256
				}
			case err != nil:
				return out, err
			default:
				r.Added = &a
			}
		}
		out = append(out, r)
	}
	return out, nil
}
