package jwt

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func TestPreviousSecretVerifiesButNeverSigns(t *testing.T) {
	old, err := New(Config{Alg: HS256, Secret: secretB, Issuer: "authd", Audience: "authd-api"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	oldToken, _ := old.Issue(sampleClaims())

	cfg := config(HS256, "")
	cfg.PreviousSecrets = [][]byte{secretB}
	cur, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cur.Verify(oldToken, t0); err != nil {
		t.Fatalf("token of a previous secret: %v", err)
	}
	newToken, _ := cur.Issue(sampleClaims())
	if kid := headerOf(t, newToken)["kid"]; kid != hmacKID(secretA) || kid == hmacKID(secretB) {
		t.Fatalf("new token kid %v, want the current secret's", kid)
	}
	if len(cur.VerificationKeys()) != 0 {
		t.Fatal("HS256 must publish no keys")
	}
	// Dropping the previous secret retires its tokens.
	if _, err := newTokens(t, config(HS256, "")).Verify(oldToken, t0); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("retired secret: got %v", err)
	}
}

func TestHMACKIDIsAFingerprint(t *testing.T) {
	kid := hmacKID(secretA)
	if len(kid) != 16 || strings.Contains(string(secretA), kid) || kid == hmacKID(secretB) {
		t.Fatalf("kid %q", kid)
	}
}

func TestRotationAndRetirement(t *testing.T) {
	for _, alg := range algs[1:] {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t, alg)
			oldToken, _ := f.tok.Issue(sampleClaims())

			k2 := newKey(t, alg)
			writeKey(t, f.dir, "k2", k2) // both active since always: "k2" > "k1" signs
			rotated := newTokens(t, config(alg, f.dir))
			if _, err := rotated.Verify(oldToken, t0); err != nil {
				t.Fatalf("old token after rotation: %v", err)
			}
			newToken, _ := rotated.Issue(sampleClaims())
			if kid := headerOf(t, newToken)["kid"]; kid != thumbprintOf(t, k2) {
				t.Fatalf("new token kid %v, want k2's thumbprint", kid)
			}
			if n := len(rotated.VerificationKeys()); n != 2 {
				t.Fatalf("%d published keys, want 2", n)
			}

			if err := os.Remove(filepath.Join(f.dir, "k1.pem")); err != nil {
				t.Fatal(err)
			}
			retired := newTokens(t, config(alg, f.dir))
			if _, err := retired.Verify(oldToken, t0); !errors.Is(err, domain.ErrTokenInvalid) {
				t.Fatalf("token of a retired key: got %v", err)
			}
			if _, err := retired.Verify(newToken, t0); err != nil {
				t.Fatalf("token of the kept key: %v", err)
			}
		})
	}
}

func TestGenerateWhenEmpty(t *testing.T) {
	for _, alg := range []string{EdDSA, ES256} { // RS256 generation is slow; same code path
		t.Run(alg, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			cfg := config(alg, dir)
			if _, err := New(cfg, fixedClock(t0)); err == nil {
				t.Fatal("no keys and no GenerateKey must fail")
			}
			cfg.GenerateKey = true
			tok := newTokensAt(t, cfg, t0)
			keys := tok.VerificationKeys()
			if len(keys) != 1 || keys[0].Algorithm != alg {
				t.Fatalf("keys %+v", keys)
			}
			if kid, _ := Thumbprint(keys[0].Key); keys[0].ID != kid {
				t.Fatalf("kid %s is not the key's thumbprint %s", keys[0].ID, kid)
			}
			assertMode(t, dir, 0o700)
			assertMode(t, filepath.Join(dir, "20261126T221500Z.pem"), 0o600)
			// A second start reuses the key instead of making another.
			again := newTokensAt(t, cfg, t0.Add(time.Hour))
			if ks := again.VerificationKeys(); len(ks) != 1 || ks[0].ID != keys[0].ID {
				t.Fatalf("restart made a new key: %+v", ks)
			}
		})
	}
}

func TestGenerateKeyFileNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	if _, err := GenerateKeyFile(dir, EdDSA, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateKeyFile(dir, EdDSA, t0); err == nil {
		t.Fatal("second key with the same name must fail")
	}
	if _, err := GenerateKeyFile(dir, HS256, t0); err == nil {
		t.Fatal("HS256 has no key file")
	}
}

func TestStartupErrors(t *testing.T) {
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	cases := []struct {
		name, alg, file string
		data            []byte
		secret          []byte
		want            string
	}{
		{"short secret", HS256, "", nil, []byte("short"), "32 bytes"},
		{"unknown alg", "HS512", "", nil, secretA, "unsupported algorithm"},
		{"ed25519 under ES256", ES256, "ed.pem", pkcs8(t, newKey(t, EdDSA)), nil, "ed.pem"},
		{"P-384 under ES256", ES256, "p384.pem", pkcs8(t, ec384), nil, "P-256"},
		{"small RSA", RS256, "small.pem", pkcs8(t, rsa1024), nil, "2048"},
		{"not PEM", EdDSA, "junk.pem", []byte("hello"), nil, "junk.pem"},
		{"public key", EdDSA, "pub.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}}), nil, "pub.pem"},
		{"second algorithm in the folder", EdDSA, "z-rsa.pem", pkcs8(t, newKey(t, RS256)), nil, "z-rsa.pem"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config(tc.alg, t.TempDir())
			cfg.Secret = tc.secret
			if tc.file != "" {
				os.WriteFile(filepath.Join(cfg.KeyDir, tc.file), tc.data, 0o600)
			}
			_, err := New(cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestLegacyPEMBlocks(t *testing.T) {
	dir := t.TempDir()
	ec := newKey(t, ES256).(*ecdsa.PrivateKey)
	der, _ := x509.MarshalECPrivateKey(ec)
	os.WriteFile(filepath.Join(dir, "ec.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
	newTokens(t, config(ES256, dir))

	dir = t.TempDir()
	rk := newKey(t, RS256).(*rsa.PrivateKey)
	os.WriteFile(filepath.Join(dir, "rsa.pem"), pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}), 0o600)
	newTokens(t, config(RS256, dir))
}

func pkcs8(t *testing.T, key any) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Fatalf("%s: mode %o, want %o", path, got, want)
	}
}
