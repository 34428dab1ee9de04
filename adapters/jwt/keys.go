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
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
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

// keyFile is one private key loaded from the key folder.
type keyFile struct {
	kid string
	key crypto.Signer
}

// hmacKID names an HS256 secret by a one-way, domain-separated fingerprint:
// stable across restarts, distinct per secret, and useless to an attacker.
func hmacKID(secret []byte) string {
	h := sha256.New()
	h.Write([]byte("authd/jwt/hs256-kid\x00"))
	h.Write(secret)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))[:16]
}

// loadKeyDir reads every *.pem in dir, sorted by kid, checking each against
// alg. With no keys it generates one when allowed, named after now.
func loadKeyDir(dir, alg string, generate bool, now time.Time) ([]keyFile, error) {
	if dir == "" {
		return nil, fmt.Errorf("jwt: %s needs a key directory", alg)
	}
	keys, err := readKeyDir(dir, alg)
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 {
		return keys, nil
	}
	if !generate {
		return nil, fmt.Errorf("jwt: no *.pem private keys in %s", dir)
	}
	if _, err := GenerateKeyFile(dir, alg, now); err != nil {
		return nil, err
	}
	return readKeyDir(dir, alg)
}

func readKeyDir(dir, alg string) ([]keyFile, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("jwt: reading key directory: %w", err)
	}
	var keys []keyFile
	for _, e := range entries { // os.ReadDir sorts by name
		kid, ok := strings.CutSuffix(e.Name(), ".pem")
		if !ok || e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if !validKID(kid) {
			return nil, fmt.Errorf("jwt: key file %s: name must match [A-Za-z0-9._-]+", path)
		}
		key, err := readKeyFile(path, alg)
		if err != nil {
			return nil, err
		}
		keys = append(keys, keyFile{kid: kid, key: key})
	}
	return keys, nil
}

// validKID keeps kids safe to splice into the precomputed JSON header.
func validKID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	})
}

func readKeyFile(path, alg string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jwt: %w", err)
	}
	key, err := parsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("jwt: key file %s: %w", path, err)
	}
	if err := checkKey(key, alg); err != nil {
		return nil, fmt.Errorf("jwt: key file %s: %w", path, err)
	}
	return key, nil
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

// GenerateKeyFile creates a new private key for alg in dir (made 0700 if
// missing), named after now in UTC (e.g. 20261126T221500Z.pem) so that it
// sorts after older keys and becomes the signing key. It never overwrites.
func GenerateKeyFile(dir, alg string, now time.Time) (string, error) {
	key, err := generateKey(alg)
	if err != nil {
		return "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", fmt.Errorf("jwt: encoding key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("jwt: creating key directory: %w", err)
	}
	path := filepath.Join(dir, now.UTC().Format("20060102T150405Z")+".pem")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("jwt: creating key file: %w", err)
	}
	err = pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return "", fmt.Errorf("jwt: writing key file: %w", err)
	}
	return path, nil
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
