package trust_test

import (
	"crypto"
	"crypto/rsa"
	"math/big"
)

func rsaPub(n *big.Int) crypto.PublicKey { return &rsa.PublicKey{N: n, E: 65537} }
