package cmsv

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
)

// Key bounds: a signature is checked only with a key whose cost is known.
// An RSA modulus beyond 8192 bits (a 16384-bit fake CA made chain checks
// take tens of seconds) or an exponent that is not a small odd number is
// refused before any arithmetic; JPKI uses RSA-2048 with e = 65537.
const (
	MaxRSABits     = 8192
	maxRSAExponent = 1<<32 - 1
)

// ErrKeyTooCostly is the refusal of CheckKey.
var ErrKeyTooCostly = errors.New("the public key is larger than any signature Shomei checks")

// CheckKey refuses a public key whose checks would cost more than the
// bounds allow, or of a type Shomei does not verify with.
func CheckKey(pub any) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N == nil || k.N.BitLen() > MaxRSABits {
			return fmt.Errorf("%w (RSA, %d bits; at most %d)", ErrKeyTooCostly, bitLen(k), MaxRSABits)
		}
		if k.E < 3 || k.E > maxRSAExponent || k.E%2 == 0 {
			return fmt.Errorf("%w (RSA public exponent %d)", ErrKeyTooCostly, k.E)
		}
	case *ecdsa.PublicKey, ed25519.PublicKey:
		// Curves are fixed by crypto/x509: bounded.
	default:
		return fmt.Errorf("unsupported public key type %T", pub)
	}
	return nil
}

func bitLen(k *rsa.PublicKey) int {
	if k.N == nil {
		return 0
	}
	return k.N.BitLen()
}
