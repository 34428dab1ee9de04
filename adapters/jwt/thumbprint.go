package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
)

// Thumbprint is the RFC 7638 JWK thumbprint of a public key: base64url
// (unpadded) of the SHA-256 of its required JWK members, in lexicographic
// order with no whitespace. It is the kid of asymmetric keys, so two
// different keys never share a kid and equal keys always do, wherever they
// were loaded. Supported: ed25519.PublicKey (OKP, RFC 8037), *ecdsa.PublicKey
// (EC) and *rsa.PublicKey (RSA); anything else is an error.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	var members string
	enc := base64.RawURLEncoding
	switch k := pub.(type) {
	case ed25519.PublicKey:
		members = `{"crv":"Ed25519","kty":"OKP","x":"` + enc.EncodeToString(k) + `"}`
	case *ecdsa.PublicKey:
		// The uncompressed point 0x04 || X || Y holds both coordinates at
		// full curve length, as RFC 7518 §6.2.1.2 requires.
		point, err := k.Bytes()
		if err != nil {
			return "", fmt.Errorf("jwt: thumbprint: %w", err)
		}
		size := (len(point) - 1) / 2
		members = `{"crv":"` + k.Curve.Params().Name + `","kty":"EC","x":"` + enc.EncodeToString(point[1:1+size]) +
			`","y":"` + enc.EncodeToString(point[1+size:]) + `"}`
	case *rsa.PublicKey:
		e := big.NewInt(int64(k.E)).Bytes()
		members = `{"e":"` + enc.EncodeToString(e) + `","kty":"RSA","n":"` + enc.EncodeToString(k.N.Bytes()) + `"}`
	default:
		return "", fmt.Errorf("jwt: thumbprint: unsupported key type %T", pub)
	}
	sum := sha256.Sum256([]byte(members))
	return enc.EncodeToString(sum[:]), nil
}
