package domain_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

const rtAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func rtKey(t testing.TB, fill byte) domain.RefreshKey {
	t.Helper()
	k, err := domain.NewRefreshKey(bytes.Repeat([]byte{fill}, domain.MinSecretBytes))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func rtSession(t testing.TB, id string, salt byte) domain.Session {
	t.Helper()
	s, err := domain.NewSession(id, sessTestUser, sessSalt(salt), domain.Client{}, sessNanoTime, domain.SessionPolicy{RefreshTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rtCheck reports whether raw is accepted as a token of s under k.
func rtCheck(k domain.RefreshKey, raw string, s domain.Session) bool {
	tok, err := domain.ParseRefreshToken(raw)
	return err == nil && k.Verify(tok, s)
}

func TestNewRefreshKey(t *testing.T) {
	for _, n := range []int{0, 1, domain.MinSecretBytes - 1} {
		if _, err := domain.NewRefreshKey(make([]byte, n)); !errors.Is(err, domain.ErrWeakSecret) {
			t.Errorf("%d-byte secret: err = %v, want ErrWeakSecret", n, err)
		}
	}
	for _, n := range []int{domain.MinSecretBytes, 64} {
		if _, err := domain.NewRefreshKey(make([]byte, n)); err != nil {
			t.Errorf("%d-byte secret: %v", n, err)
		}
	}
	// The key keeps its own copy of the secret.
	secret := bytes.Repeat([]byte{'k'}, 32)
	k, _ := domain.NewRefreshKey(secret)
	s := rtSession(t, sessTestID, 1)
	before := k.MintRefreshToken(s, 1)
	secret[0] = 'x'
	if after := k.MintRefreshToken(s, 1); after != before {
		t.Fatal("changing the caller's secret slice changed the key")
	}
}

// A token MAC'd with a retired secret verifies under a key that lists it,
// while new tokens are minted with the current secret only; a short retired
// secret is refused.
func TestRefreshKeyRetiredSecrets(t *testing.T) {
	oldSecret, newSecret := bytes.Repeat([]byte{'o'}, 32), bytes.Repeat([]byte{'n'}, 32)
	old, _ := domain.NewRefreshKey(oldSecret)
	rotated, err := domain.NewRefreshKey(newSecret, oldSecret)
	if err != nil {
		t.Fatal(err)
	}
	current, _ := domain.NewRefreshKey(newSecret)
	s := rtSession(t, sessTestID, 1)
	if !rtCheck(rotated, old.MintRefreshToken(s, 1), s) {
		t.Fatal("a token of the retired secret was refused")
	}
	if rtCheck(current, old.MintRefreshToken(s, 1), s) {
		t.Fatal("a token of a secret no longer listed was accepted")
	}
	minted := rotated.MintRefreshToken(s, 2)
	if !rtCheck(current, minted, s) || rtCheck(old, minted, s) {
		t.Fatal("the successor was not minted with the current secret")
	}
	if _, err := domain.NewRefreshKey(newSecret, []byte("short")); !errors.Is(err, domain.ErrWeakSecret) {
		t.Fatalf("short retired secret: %v", err)
	}
}

func TestRefreshTokenRoundTrip(t *testing.T) {
	k := rtKey(t, 'a')
	s := rtSession(t, sessTestID, 1)
	for _, gen := range []uint64{0, 1, 2, 255, 1 << 40, ^uint64(0)} {
		raw := k.MintRefreshToken(s, gen)
		if !strings.HasPrefix(raw, "rt1.") {
			t.Fatalf("token %q lacks the rt1. prefix", raw)
		}
		if len(raw) != domain.MaxRefreshTokenLen {
			t.Fatalf("token is %d chars, want %d", len(raw), domain.MaxRefreshTokenLen)
		}
		if strings.ContainsAny(raw[4:], "+/=.") {
			t.Fatalf("token %q is not unpadded base64url", raw)
		}
		tok, err := domain.ParseRefreshToken(raw)
		if err != nil {
			t.Fatalf("gen %d: parse: %v", gen, err)
		}
		if tok.SessionID != s.ID() || tok.Generation != gen {
			t.Fatalf("parsed (%q, %d), want (%q, %d)", tok.SessionID, tok.Generation, s.ID(), gen)
		}
		if !k.Verify(tok, s) {
			t.Fatalf("gen %d: own token does not verify", gen)
		}
	}
}

func TestRefreshTokenDeterministic(t *testing.T) {
	k := rtKey(t, 'a')
	s := rtSession(t, sessTestID, 1)
	a, b := k.MintRefreshToken(s, 3), k.MintRefreshToken(s, 3)
	if a != b {
		t.Fatalf("same (session, generation) minted %q and %q", a, b)
	}
	// The same row read back from storage, or rotated and read back, mints the same token.
	if c := rtKey(t, 'a').MintRefreshToken(domain.RestoreSession(s.State()), 3); c != a {
		t.Fatalf("restored session minted %q, want %q", c, a)
	}
	rotated := s.Rotated(sessNanoTime.Add(time.Minute), domain.SessionPolicy{RefreshTTL: time.Hour}, domain.Client{UserAgent: "x"})
	if c := k.MintRefreshToken(rotated, 3); c != a {
		t.Fatalf("rotated row minted %q for the same generation, want %q", c, a)
	}
	if k.MintRefreshToken(s, 4) == a {
		t.Fatal("different generations minted the same token")
	}
}

func TestRefreshTokenVerifyRefuses(t *testing.T) {
	k := rtKey(t, 'a')
	s := rtSession(t, sessTestID, 1)
	raw := k.MintRefreshToken(s, 2)
	tok, err := domain.ParseRefreshToken(raw)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  domain.RefreshKey
		sess domain.Session
	}{
		{"wrong key", rtKey(t, 'b'), s},
		{"zero key", domain.RefreshKey{}, s},
		{"same session id, another salt", k, rtSession(t, sessTestID, 2)},
		{"another session", k, rtSession(t, "8c3f2e4a-1b5d-4e6f-a0b1-3c4d5e6f7a8b", 3)},
		{"another session with the same salt", k, rtSession(t, "8c3f2e4a-1b5d-4e6f-a0b1-3c4d5e6f7a8b", 1)},
		{"session with a non-UUID id", k, domain.RestoreSession(domain.SessionState{ID: "not-a-uuid", Salt: sessSalt(1)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.key.Verify(tok, tt.sess) {
				t.Fatal("Verify = true, want false")
			}
		})
	}
}

// Every single-character change of a token either fails to parse or fails
// to verify, wherever it is.
func TestRefreshTokenTamperAnywhere(t *testing.T) {
	k := rtKey(t, 'a')
	s := rtSession(t, sessTestID, 1)
	raw := k.MintRefreshToken(s, 5)
	checked := 0
	for i := 0; i < len(raw); i++ {
		for _, c := range []byte(rtAlphabet + ".+/=! ") {
			if c == raw[i] {
				continue
			}
			tampered := raw[:i] + string(c) + raw[i+1:]
			if rtCheck(k, tampered, s) {
				t.Fatalf("token with byte %d changed to %q still verifies: %s", i, c, tampered)
			}
			checked++
		}
	}
	if checked < len(raw)*60 {
		t.Fatalf("only %d variants checked", checked)
	}
}

// Flipping any bit of the decoded payload (id, generation or MAC) and
// re-encoding it validly never yields a token that verifies for s.
func TestRefreshTokenTamperPayloadBits(t *testing.T) {
	k := rtKey(t, 'a')
	s := rtSession(t, sessTestID, 1)
	raw := k.MintRefreshToken(s, 5)
	payload, err := base64.RawURLEncoding.DecodeString(raw[4:])
	if err != nil {
		t.Fatal(err)
	}
	for i := range payload {
		for bit := 0; bit < 8; bit++ {
			p := bytes.Clone(payload)
			p[i] ^= 1 << bit
			if rtCheck(k, "rt1."+base64.RawURLEncoding.EncodeToString(p), s) {
				t.Fatalf("payload byte %d bit %d flipped still verifies", i, bit)
			}
		}
	}
}

func TestParseRefreshTokenMalformed(t *testing.T) {
	k := rtKey(t, 'a')
	s := rtSession(t, sessTestID, 1)
	raw := k.MintRefreshToken(s, 1)
	body := raw[4:]
	payload, _ := base64.RawURLEncoding.DecodeString(body)
	enc := base64.RawURLEncoding.EncodeToString
	tests := map[string]string{
		"empty":                   "",
		"prefix only":             "rt1.",
		"no prefix":               body,
		"wrong version":           "rt2." + body,
		"upper-case prefix":       "RT1." + body,
		"prefix without dot":      "rt1" + body,
		"leading space":           " " + raw,
		"trailing space":          raw + " ",
		"trailing newline":        raw + "\n",
		"std base64 alphabet":     "rt1." + base64.RawStdEncoding.EncodeToString(append(bytes.Repeat([]byte{0xfb}, 55), 0xff)),
		"padded":                  "rt1." + base64.URLEncoding.EncodeToString(payload),
		"non-base64 byte":         "rt1." + body[:10] + "*" + body[11:],
		"non-zero trailing bits":  "rt1." + body[:len(body)-1] + flipLowBits(body[len(body)-1]),
		"payload one byte short":  "rt1." + enc(payload[:len(payload)-1]),
		"payload one byte long":   "rt1." + enc(append(bytes.Clone(payload), 0)),
		"payload without the MAC": "rt1." + enc(payload[:24]),
		"too long overall":        raw + "AAAA",
		"huge":                    "rt1." + strings.Repeat("A", 1<<16),
		"an access token":         "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			tok, err := domain.ParseRefreshToken(in)
			if !errors.Is(err, domain.ErrRefreshInvalid) {
				t.Fatalf("ParseRefreshToken(%q) = (%+v, %v), want ErrRefreshInvalid", in, tok, err)
			}
		})
	}
}

// flipLowBits returns the base64url character that differs from c only in
// the two bits that fall outside a 56-byte payload, so a lenient decoder
// would still accept it.
func flipLowBits(c byte) string {
	i := strings.IndexByte(rtAlphabet, c)
	return string(rtAlphabet[i^1])
}
