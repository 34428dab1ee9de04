package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
)

// Supported JWS algorithms.
const (
	HS256 = "HS256"
	EdDSA = "EdDSA"
	ES256 = "ES256"
	RS256 = "RS256"
)

// minRSABits is the smallest RSA modulus accepted (NIST SP 800-131A).
const minRSABits = 2048

// hmacKID names an HS256 secret by a one-way, domain-separated fingerprint:
// stable across restarts, distinct per secret, and useless to an attacker.
func hmacKID(secret []byte) string {
	h := sha256.New()
	h.Write([]byte("authd/jwt/hs256-kid\x00"))
	h.Write(secret)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))[:16]
}

func parsePrivateKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("unsupported PEM block %q (want PRIVATE KEY)", block.Type)
	}
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("unsupported key type %T", key)
	}
	return signer, nil
}

// checkKey refuses a key that does not fit alg, so a misplaced file is a
// start-up error rather than tokens nobody can verify.
func checkKey(key crypto.Signer, alg string) error {
	switch k := key.(type) {
	case ed25519.PrivateKey:
		if alg == EdDSA {
			return nil
		}
	case *ecdsa.PrivateKey:
		if alg == ES256 {
			if k.Curve != elliptic.P256() {
				return fmt.Errorf("ES256 needs a P-256 key, not %s", k.Curve.Params().Name)
			}
			return nil
		}
	case *rsa.PrivateKey:
		if alg == RS256 {
			if k.N.BitLen() < minRSABits {
				return fmt.Errorf("RSA key has %d bits, RS256 needs at least %d", k.N.BitLen(), minRSABits)
			}
			return nil
		}
	}
	return fmt.Errorf("a %T key does not match AUTHD_JWT_ALG=%s", key, alg)
}

func generateKey(alg string) (crypto.Signer, error) {
	switch alg {
	case EdDSA:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case ES256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RS256:
		return rsa.GenerateKey(rand.Reader, 3072)
	}
	return nil, fmt.Errorf("jwt: cannot generate a key for algorithm %q", alg)
}

var asymmetric = []string{EdDSA, ES256, RS256}

func isAsymmetric(alg string) bool { return slices.Contains(asymmetric, alg) }
