package domain_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/authd-dev/authd/domain"
)

var ottT0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func newOTT(t *testing.T, purpose domain.TokenPurpose, ttl time.Duration) (domain.OneTimeToken, string) {
	t.Helper()
	tok, secret, err := domain.NewOneTimeToken(rand.Reader, "5f0e7d2c-1b3a-4c5d-8e9f-0a1b2c3d4e5f", purpose, ottT0, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok, secret
}

// The secret is 256 random bits in canonical base64url; only its SHA-256
// is kept, and hashing the presented secret finds it again.
func TestNewOneTimeToken(t *testing.T) {
	tok, secret := newOTT(t, domain.PurposeResetPassword, 30*time.Minute)
	raw, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	if err != nil || len(raw) != domain.OneTimeTokenBytes || len(secret) != 43 {
		t.Fatalf("secret %q: %d bytes, %v", secret, len(raw), err)
	}
	sum := sha256.Sum256(raw)
	if !bytes.Equal(tok.Hash(), sum[:]) {
		t.Fatal("stored hash is not SHA-256 of the secret")
	}
	if bytes.Contains(tok.Hash(), raw) || strings.Contains(string(tok.Hash()), secret) {
		t.Fatal("the token keeps its secret")
	}
	h, ok := domain.HashOneTimeToken(secret)
	if !ok || !bytes.Equal(h, tok.Hash()) {
		t.Fatalf("HashOneTimeToken(secret) = %x, %v", h, ok)
	}
	if tok.Used() || !tok.ExpiresAt().Equal(ottT0.Add(30*time.Minute)) || tok.Purpose() != domain.PurposeResetPassword {
		t.Fatalf("new token: %+v", tok.State())
	}
	_, other := newOTT(t, domain.PurposeResetPassword, time.Minute)
	if other == secret {
		t.Fatal("two tokens share a secret")
	}
}

func TestNewOneTimeTokenRefuses(t *testing.T) {
	cases := map[string]func() error{
		"no user": func() error {
			_, _, err := domain.NewOneTimeToken(rand.Reader, "", domain.PurposeVerifyEmail, ottT0, time.Hour)
			return err
		},
		"unknown purpose": func() error {
			_, _, err := domain.NewOneTimeToken(rand.Reader, "u", "login", ottT0, time.Hour)
			return err
		},
		"no lifetime": func() error {
			_, _, err := domain.NewOneTimeToken(rand.Reader, "u", domain.PurposeVerifyEmail, ottT0, 0)
			return err
		},
		"random source fails": func() error {
			_, _, err := domain.NewOneTimeToken(iotest.ErrReader(iotest.ErrTimeout), "u", domain.PurposeVerifyEmail, ottT0, time.Hour)
			return err
		},
	}
	for name, call := range cases {
		if call() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Only the canonical spelling of 32 bytes hashes: a token has one form.
func TestHashOneTimeTokenRefusesOtherSpellings(t *testing.T) {
	_, secret := newOTT(t, domain.PurposeVerifyEmail, time.Hour)
	raw, _ := base64.RawURLEncoding.DecodeString(secret)
	last := secret[len(secret)-1]
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	trailingBits := alphabet[strings.IndexByte(alphabet, last)^1] // differs only in the 2 unused bits
	for name, in := range map[string]string{
		"empty":                  "",
		"padded":                 base64.URLEncoding.EncodeToString(raw),
		"std alphabet":           base64.RawStdEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)),
		"one char short":         secret[:42],
		"one char long":          secret + "A",
		"31 bytes":               base64.RawURLEncoding.EncodeToString(raw[:31]),
		"non-zero trailing bits": secret[:42] + string(trailingBits),
		"space":                  " " + secret[1:],
		"newline":                secret[:42] + "\n",
		"a refresh token":        "rt1." + secret[:39],
	} {
		if h, ok := domain.HashOneTimeToken(in); ok {
			t.Errorf("%s: %q hashed to %x", name, in, h)
		}
	}
}

func TestOneTimeTokenSpendable(t *testing.T) {
	tok, _ := newOTT(t, domain.PurposeVerifyEmail, time.Hour)
	exp := tok.ExpiresAt()
	used := tok.State()
	used.UsedAt = ottT0.Add(time.Minute)
	tests := []struct {
		name    string
		tok     domain.OneTimeToken
		purpose domain.TokenPurpose
		now     time.Time
		want    bool
	}{
		{"fresh", tok, domain.PurposeVerifyEmail, ottT0, true},
		{"a microsecond before expiry", tok, domain.PurposeVerifyEmail, exp.Add(-time.Microsecond), true},
		{"at expiry", tok, domain.PurposeVerifyEmail, exp, false},
		{"after expiry", tok, domain.PurposeVerifyEmail, exp.Add(time.Hour), false},
		{"another purpose", tok, domain.PurposeResetPassword, ottT0, false},
		{"used", domain.RestoreOneTimeToken(used), domain.PurposeVerifyEmail, ottT0.Add(2 * time.Minute), false},
	}
	for _, tt := range tests {
		if got := tt.tok.SpendableFor(tt.purpose, tt.now); got != tt.want {
			t.Errorf("%s: SpendableFor = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// RestoreOneTimeToken brings times to UTC at TimePrecision and copies the hash.
func TestRestoreOneTimeToken(t *testing.T) {
	h := []byte{1, 2, 3}
	zone := time.FixedZone("x", 3600)
	tok := domain.RestoreOneTimeToken(domain.OneTimeTokenState{Hash: h, UserID: "u", Purpose: domain.PurposeResetPassword,
		CreatedAt: ottT0.In(zone).Add(123), ExpiresAt: ottT0.Add(time.Hour + 456)})
	h[0] = 9
	if tok.Hash()[0] != 1 {
		t.Error("restored token shares the caller's hash slice")
	}
	if tok.CreatedAt().Location() != time.UTC || !tok.CreatedAt().Equal(ottT0) || !tok.ExpiresAt().Equal(ottT0.Add(time.Hour)) {
		t.Errorf("times %v %v", tok.CreatedAt(), tok.ExpiresAt())
	}
}
