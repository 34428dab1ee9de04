package jwtverify

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

func TestNewRefusesBadConfig(t *testing.T) {
	ok := Config{JWKSURL: "https://auth.example.com/jwks.json", Issuer: "a", Audience: "b"}
	for name, edit := range map[string]func(*Config){
		"no URL":                     func(c *Config) { c.JWKSURL = "" },
		"no issuer":                  func(c *Config) { c.Issuer = "" },
		"HS256":                      func(c *Config) { c.Algorithms = []string{"HS256"} },
		"none":                       func(c *Config) { c.Algorithms = []string{"none"} },
		"negative leeway":            func(c *Config) { c.Leeway = -time.Second },
		"leeway of a day":            func(c *Config) { c.Leeway = 24 * time.Hour },
		"leeway over a minute":       func(c *Config) { c.Leeway = 61 * time.Second },
		"negative refresh interval":  func(c *Config) { c.MinRefreshInterval = -time.Second },
		"refresh interval above TTL": func(c *Config) { c.MinRefreshInterval = time.Hour },
		"TTL under 30s":              func(c *Config) { c.CacheTTL = time.Second },
		"TTL over a day":             func(c *Config) { c.CacheTTL = 25 * time.Hour },
	} {
		cfg := ok
		edit(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(ok); err != nil {
		t.Fatal(err)
	}
}

// TestDefaultLeeway is 30s: a token expired 20s ago passes, 40s ago not.
func TestDefaultLeeway(t *testing.T) {
	s := newAuthServer(t)
	k := s.add(t, "k1", "EdDSA")
	v := newVerifier(t, s, &clock{})
	expiredAgo := func(d time.Duration) string {
		c := goodClaims()
		c["iat"], c["exp"] = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-d).Unix()
		return sign(t, "EdDSA", "k1", k, c, nil)
	}
	if _, err := v.Verify(context.Background(), expiredAgo(20*time.Second)); err != nil {
		t.Fatalf("within the default leeway: %v", err)
	}
	if _, err := v.Verify(context.Background(), expiredAgo(40*time.Second)); !errors.Is(err, ErrExpired) {
		t.Fatalf("past the default leeway: %v", err)
	}
}

// TestOneSpellingPerToken: padding, white space, non-zero trailing bits
// and a high-S ECDSA signature all re-spell a valid token; each is refused.
func TestOneSpellingPerToken(t *testing.T) {
	s := newAuthServer(t)
	ed := s.add(t, "ed", "EdDSA")
	ec := s.add(t, "ec", "ES256")
	v := newVerifier(t, s, &clock{})
	good := sign(t, "EdDSA", "ed", ed, goodClaims(), nil)
	high, _ := withS(t, sign(t, "ES256", "ec", ec, goodClaims(), nil), true)
	for name, token := range map[string]string{
		"padding":                  good + "==",
		"padded header":            strings.Replace(good, ".", "=.", 1),
		"newline":                  good[:10] + "\n" + good[10:],
		"non-zero trailing bits":   flipTrailingBit(good),
		"high-S ECDSA":             high,
		"empty signature":          good[:strings.LastIndexByte(good, '.')+1],
		"standard base64 alphabet": strings.NewReplacer("-", "+", "_", "/").Replace(good) + "+",
	} {
		if _, err := v.Verify(context.Background(), token); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	low, _ := withS(t, high, false)
	for _, token := range []string{good, low} {
		if _, err := v.Verify(context.Background(), token); err != nil {
			t.Fatalf("canonical token refused: %v", err)
		}
	}
}

// TestUnknownHeaderSemanticsAreRefused: crit (RFC 7515 §4.1.11) and b64
// (RFC 7797) change how a token must be read; this verifier implements
// neither, so it refuses them.
func TestUnknownHeaderSemanticsAreRefused(t *testing.T) {
	s := newAuthServer(t)
	k := s.add(t, "k1", "EdDSA")
	v := newVerifier(t, s, &clock{})
	for name, edit := range map[string]map[string]any{
		"crit":       {"crit": []string{"exp"}},
		"empty crit": {"crit": []string{}},
		"b64":        {"b64": false},
		"long kid":   {"kid": strings.Repeat("k", maxKIDBytes+1)},
	} {
		if _, err := v.Verify(context.Background(), sign(t, "EdDSA", "k1", k, goodClaims(), edit)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// TestDatesMustBeNumbers: exp, iat and nbf are JSON numbers (RFC 7519
// §2); a string or null is refused, even one holding a valid time.
func TestDatesMustBeNumbers(t *testing.T) {
	s := newAuthServer(t)
	k := s.add(t, "k1", "EdDSA")
	v := newVerifier(t, s, &clock{})
	past := time.Now().Add(-time.Minute).Unix()
	future := time.Now().Add(time.Hour).Unix()
	for name, tc := range map[string]struct {
		claim string
		value any
		ok    bool
	}{
		"exp as string":   {"exp", "9999999999", false},
		"iat as string":   {"iat", "1700000000", false},
		"nbf as string":   {"nbf", "1700000000", false},
		"iat null":        {"iat", nil, false},
		"nbf null":        {"nbf", nil, false},
		"exp as object":   {"exp", map[string]int64{"t": future}, false},
		"exp fractional":  {"exp", float64(future) + 0.5, true},
		"nbf number":      {"nbf", past, true},
		"exp as exponent": {"exp", json.Number("1e10"), true},
	} {
		c := goodClaims()
		c[tc.claim] = tc.value
		_, err := v.Verify(context.Background(), sign(t, "EdDSA", "k1", k, gojwt.MapClaims(c), nil))
		if tc.ok != (err == nil) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
