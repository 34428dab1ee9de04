package jwtverify

import (
	"crypto/elliptic"
	"math/big"
)

// compactJWS reports whether token is three non-empty base64url segments
// with nothing else: no padding, no white space (which Go's decoder would
// skip), so one token has exactly one spelling. Non-canonical trailing
// bits are refused by the parser's strict decoding.
func compactJWS(token string) bool {
	dots, segment := 0, 0
	for i := 0; i < len(token); i++ {
		c := token[i]
		switch {
		case c == '.':
			if segment == 0 {
				return false
			}
			dots, segment = dots+1, 0
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			segment++
		default:
			return false
		}
	}
	return dots == 2 && segment > 0
}

// p256HalfOrder is n/2 of P-256: an ECDSA signature (r, s) also verifies
// as (r, n-s), so only the half with s <= n/2 is accepted, giving each
// signed token a single valid signature.
var p256HalfOrder = new(big.Int).Rsh(elliptic.P256().Params().N, 1)

// lowS reports whether an ES256 signature (r || s, 32 bytes each) has
// s <= n/2. Other lengths are left to the signature check, which refuses
// them.
func lowS(sig []byte) bool {
	if len(sig) != 64 {
		return true
	}
	return new(big.Int).SetBytes(sig[32:]).Cmp(p256HalfOrder) <= 0
}
