package jwtverify

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"math/big"
	"slices"
)

// jwk is one entry of a key set. KeyOps is nil when absent and non-nil
// (possibly empty) when present.
type jwk struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Alg    string   `json:"alg"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	Crv    string   `json:"crv"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
	N      string   `json:"n"`
	E      string   `json:"e"`
}

// forVerifying reports whether the key may verify signatures: use, when
// present, is "sig", and key_ops, when present, lists "verify" (RFC 7517
// §4.2, §4.3).
func (j jwk) forVerifying() bool {
	return (j.Use == "" || j.Use == "sig") && (j.KeyOps == nil || slices.Contains(j.KeyOps, "verify"))
}

// b64 decodes key parameters in their one canonical spelling: no padding,
// zero trailing bits.
var b64 = base64.RawURLEncoding.Strict()

// parse returns the key and its algorithm; a key's alg, when present, must
// agree with its type.
func (j jwk) parse() (string, any, error) {
	var alg string
	var key any
	var err error
	switch {
	case j.Kty == "OKP" && j.Crv == "Ed25519":
		alg = "EdDSA"
		key, err = j.edKey()
	case j.Kty == "EC" && j.Crv == "P-256":
		alg = "ES256"
		key, err = j.ecKey()
	case j.Kty == "RSA":
		alg = "RS256"
		key, err = j.rsaKey()
	default:
		return "", nil, errors.New("unsupported key type")
	}
	if err != nil || (j.Alg != "" && j.Alg != alg) {
		return "", nil, errors.New("unusable key")
	}
	return alg, key, nil
}

func (j jwk) edKey() (ed25519.PublicKey, error) {
	x, err := b64.DecodeString(j.X)
	if err != nil || len(x) != ed25519.PublicKeySize {
		return nil, errors.New("bad Ed25519 key")
	}
	return ed25519.PublicKey(x), nil
}

func (j jwk) ecKey() (*ecdsa.PublicKey, error) {
	x, err1 := b64.DecodeString(j.X)
	y, err2 := b64.DecodeString(j.Y)
	if err1 != nil || err2 != nil || len(x) != 32 || len(y) != 32 {
		return nil, errors.New("bad P-256 coordinates")
	}
	// ParseUncompressedPublicKey also checks that the point is on the curve.
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
}

// minRSABits refuses keys too weak to trust.
const minRSABits = 2048

func (j jwk) rsaKey() (*rsa.PublicKey, error) {
	n, err1 := b64.DecodeString(j.N)
	e, err2 := b64.DecodeString(j.E)
	if err1 != nil || err2 != nil || len(e) == 0 || len(e) > 4 {
		return nil, errors.New("bad RSA key")
	}
	key := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if key.N.BitLen() < minRSABits || key.E < 3 || key.E%2 == 0 {
		return nil, errors.New("weak RSA key")
	}
	return key, nil
}
