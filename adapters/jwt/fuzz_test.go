package jwt_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/domain"
)

var (
	fuzzSecret = []byte("fuzz-jwt-secret-0123456789abcdefghijkl")
	fuzzNow    = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
)

// FuzzVerify: Verify never panics, and accepts only tokens whose three
// segments are canonical base64url and whose HS256 signature was made with
// the configured secret over exactly the signed bytes (checked here
// independently of golang-jwt).
func FuzzVerify(f *testing.F) {
	tokens, err := jwt.New(jwt.Config{Secret: fuzzSecret, Issuer: "authd", Audience: "authd", Skew: 30 * time.Second}, nil)
	if err != nil {
		f.Fatal(err)
	}
	good, err := tokens.Issue(domain.AccessClaims{
		Subject: "0b9a3c1e-7d4f-4b8a-9c2e-5f6a7b8c9d0e", Role: "user", SessionID: "s", ID: "j",
		IssuedAt: fuzzNow, ExpiresAt: fuzzNow.Add(15 * time.Minute),
	})
	if err != nil {
		f.Fatal(err)
	}
	h, p, _ := strings.Cut(good, ".")
	p, s, _ := strings.Cut(p, ".")
	for _, seed := range []string{
		good, h + "." + p + ".", h + "." + p, "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0." + p + ".",
		h + "." + p + "." + s + "=", h + "." + p + "." + strings.ToUpper(s), "..", "", "a.b.c.d",
		strings.Repeat("A", 9000), h + ".e30." + s,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := tokens.Verify(token, fuzzNow)
		if err != nil {
			if err != domain.ErrTokenInvalid && err != domain.ErrTokenExpired {
				t.Fatalf("Verify(%q) = %v, want ErrTokenInvalid or ErrTokenExpired", token, err)
			}
			return
		}
		if !canonicalSegments(token) {
			t.Fatalf("Verify accepted %q, which has a non-canonical segment", token)
		}
		if !signedWith(token, fuzzSecret) {
			t.Fatalf("Verify accepted %q, which the secret did not sign", token)
		}
		if claims.Subject == "" {
			t.Fatalf("Verify accepted %q without a subject", token)
		}
	})
}

// signedWith checks an HS256 JWS signature by hand.
func signedWith(token string, secret []byte) bool {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || strings.Count(token, ".") != 2 {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(token[:i]))
	return hmac.Equal(sig, m.Sum(nil))
}

// canonicalSegments reports whether every segment is unpadded base64url
// with zero trailing bits, the one spelling of its bytes.
func canonicalSegments(token string) bool {
	for _, seg := range strings.Split(token, ".") {
		if _, err := base64.RawURLEncoding.Strict().DecodeString(seg); err != nil {
			return false
		}
	}
	return true
}
