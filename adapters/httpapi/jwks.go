package httpapi

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/authd-dev/authd/ports"
)

// jwk is one public key in RFC 7517 form. Only public parameters exist in
// this type, so a private key can never leak into the document.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
}

type jwkSet struct {
	Keys []jwk `json:"keys"`
}

// JWKSDocument renders keys as the JSON Web Key Set served at
// /.well-known/jwks.json: {"keys":[]} when there are none (HS256). A key of
// an unsupported type (including any private key) is an error.
func JWKSDocument(keys []ports.VerificationKey) ([]byte, error) {
	set := jwkSet{Keys: make([]jwk, 0, len(keys))}
	for _, k := range keys {
		j, err := toJWK(k)
		if err != nil {
			return nil, err
		}
		set.Keys = append(set.Keys, j)
	}
	return json.Marshal(set)
}

var b64 = base64.RawURLEncoding

func toJWK(k ports.VerificationKey) (jwk, error) {
	j := jwk{Kid: k.ID, Alg: k.Algorithm, Use: "sig"}
	switch pub := k.Key.(type) {
	case ed25519.PublicKey:
		j.Kty, j.Crv, j.X = "OKP", "Ed25519", b64.EncodeToString(pub)
	case *ecdsa.PublicKey:
		// Bytes is the uncompressed point 0x04 || X || Y with both
		// coordinates at full curve length, as RFC 7518 §6.2.1.2 requires.
		point, err := pub.Bytes()
		if err != nil {
			return jwk{}, fmt.Errorf("jwks: key %s: %w", k.ID, err)
		}
		size := (len(point) - 1) / 2
		j.Kty, j.Crv = "EC", pub.Curve.Params().Name
		j.X, j.Y = b64.EncodeToString(point[1:1+size]), b64.EncodeToString(point[1+size:])
	case *rsa.PublicKey:
		j.Kty = "RSA"
		j.N = b64.EncodeToString(pub.N.Bytes())
		j.E = b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes())
	default:
		return jwk{}, fmt.Errorf("jwks: key %s: unsupported type %T", k.ID, k.Key)
	}
	return j, nil
}
