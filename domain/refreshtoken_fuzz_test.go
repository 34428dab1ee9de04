package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

var fuzzRefreshKey, _ = domain.NewRefreshKey([]byte("fuzz-refresh-secret-0123456789abcdef"))

// FuzzParseRefreshToken: any input either parses to a token that re-encodes
// the same, or is domain.ErrRefreshInvalid; nothing panics.
func FuzzParseRefreshToken(f *testing.F) {
	for _, s := range []string{"", "rt1.", "rt1.AAAA", "rt2." + strings.Repeat("A", 75), "rt1." + strings.Repeat("A", 75),
		"rt1." + strings.Repeat("A", 74) + "=", "eyJhbGciOiJub25lIn0.e30.", "rt1.\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := domain.ParseRefreshToken(raw)
		if err != nil {
			if !errors.Is(err, domain.ErrRefreshInvalid) {
				t.Fatalf("domain.ParseRefreshToken(%q) = %v, want domain.ErrRefreshInvalid", raw, err)
			}
			return
		}
		if _, err := domain.ParseID(tok.SessionID); err != nil {
			t.Fatalf("parsed session id %q is not a UUID", tok.SessionID)
		}
		s := fuzzSession(t, tok.SessionID)
		// A parsed token verifies only if it is exactly the minted one.
		if fuzzRefreshKey.Verify(tok, s) != (fuzzRefreshKey.MintRefreshToken(s, tok.Generation) == raw) {
			t.Fatalf("Verify disagrees with minting for %q", raw)
		}
	})
}

// FuzzRefreshTokenRoundTrip: every minted token parses back to its session
// and generation, verifies, and stops verifying under another salt.
func FuzzRefreshTokenRoundTrip(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), uint64(1), []byte("saltsaltsaltsalt"))
	f.Add([]byte{0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, ^uint64(0), make([]byte, 16))
	f.Fuzz(func(t *testing.T, id []byte, gen uint64, salt []byte) {
		if len(id) != 16 || len(salt) != domain.SaltSize {
			return
		}
		s := fuzzSessionSalt(t, domain.FormatID([16]byte(id)), salt)
		raw := fuzzRefreshKey.MintRefreshToken(s, gen)
		tok, err := domain.ParseRefreshToken(raw)
		if err != nil || tok.SessionID != s.ID() || tok.Generation != gen || !fuzzRefreshKey.Verify(tok, s) {
			t.Fatalf("round trip of %q: %+v, %v", raw, tok, err)
		}
		other := append([]byte(nil), salt...)
		other[0] ^= 1
		if fuzzRefreshKey.Verify(tok, fuzzSessionSalt(t, s.ID(), other)) {
			t.Fatal("token verified against another salt")
		}
	})
}

func fuzzSession(t *testing.T, id string) domain.Session {
	return fuzzSessionSalt(t, id, []byte("fixed-fuzz-salt!"))
}

func fuzzSessionSalt(t *testing.T, id string, salt []byte) domain.Session {
	s, err := domain.NewSession(id, "user", salt, domain.Client{}, time.Unix(0, 0), domain.SessionPolicy{RefreshTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
