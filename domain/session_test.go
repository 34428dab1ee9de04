package domain_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/authd-dev/authd/domain"
)

const (
	sessTestID   = "6a1f0c2e-9b3d-4e5f-8a7b-1c2d3e4f5a6b"
	sessTestUser = "7b2e1d3f-0a4c-4d6e-9f8a-2b3c4d5e6f7a"
)

// sessNanoTime is an instant with sub-microsecond digits, in a non-UTC zone.
var sessNanoTime = time.Date(2025, 6, 1, 14, 30, 0, 123_456_789, time.FixedZone("CEST", 2*3600))

func sessSalt(b byte) []byte { return bytes.Repeat([]byte{b}, domain.SaltSize) }

func TestNewSessionValidation(t *testing.T) {
	p := domain.SessionPolicy{RefreshTTL: time.Hour}
	tests := []struct {
		name, id, user string
		salt           []byte
	}{
		{"empty id", "", sessTestUser, sessSalt(1)},
		{"empty user id", sessTestID, "", sessSalt(1)},
		{"nil salt", sessTestID, sessTestUser, nil},
		{"short salt", sessTestID, sessTestUser, make([]byte, domain.SaltSize-1)},
		{"long salt", sessTestID, sessTestUser, make([]byte, domain.SaltSize+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.NewSession(tt.id, tt.user, tt.salt, domain.Client{}, sessNanoTime, p)
			var v *domain.ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("NewSession error = %v, want a *ValidationError", err)
			}
		})
	}
}

func TestNewSession(t *testing.T) {
	want := time.Date(2025, 6, 1, 12, 30, 0, 123_456_000, time.UTC)
	tests := []struct {
		name        string
		policy      domain.SessionPolicy
		wantExpires time.Time
		wantMax     time.Time
	}{
		{"no max age", domain.SessionPolicy{RefreshTTL: time.Hour}, want.Add(time.Hour), time.Time{}},
		{"max age longer than ttl", domain.SessionPolicy{RefreshTTL: time.Hour, MaxAge: 24 * time.Hour}, want.Add(time.Hour), want.Add(24 * time.Hour)},
		{"max age shorter than ttl caps the idle expiry", domain.SessionPolicy{RefreshTTL: time.Hour, MaxAge: 20 * time.Minute}, want.Add(20 * time.Minute), want.Add(20 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			salt := sessSalt(7)
			s, err := domain.NewSession(sessTestID, sessTestUser, salt, domain.Client{UserAgent: "ua", IP: "192.0.2.1"}, sessNanoTime, tt.policy)
			if err != nil {
				t.Fatal(err)
			}
			salt[0] = 99 // the session keeps its own copy
			st := s.State()
			switch {
			case st.ID != sessTestID || st.UserID != sessTestUser:
				t.Errorf("ids = %q, %q", st.ID, st.UserID)
			case st.Generation != 1:
				t.Errorf("generation = %d, want 1", st.Generation)
			case !bytes.Equal(st.Salt, sessSalt(7)):
				t.Errorf("salt = %x, want a copy of the input", st.Salt)
			case st.UserAgent != "ua" || st.IP != "192.0.2.1":
				t.Errorf("client = %q, %q", st.UserAgent, st.IP)
			case !st.RotatedAt.IsZero() || !st.RevokedAt.IsZero() || st.RevokeReason != "":
				t.Errorf("fresh session has rotation/revocation: %+v", st)
			}
			for name, got := range map[string]time.Time{"created": st.CreatedAt, "lastUsed": st.LastUsedAt} {
				if !got.Equal(want) || got.Location() != time.UTC {
					t.Errorf("%s = %v, want %v in UTC at µs", name, got, want)
				}
			}
			if !st.ExpiresAt.Equal(tt.wantExpires) || st.ExpiresAt.Location() != time.UTC {
				t.Errorf("expires = %v, want %v", st.ExpiresAt, tt.wantExpires)
			}
			if !st.MaxExpiresAt.Equal(tt.wantMax) {
				t.Errorf("max expires = %v, want %v", st.MaxExpiresAt, tt.wantMax)
			}
			if !s.Live(sessNanoTime) || s.Revoked() || s.Expired(sessNanoTime) {
				t.Errorf("a new session must be live")
			}
			if !s.Expired(tt.wantExpires) || s.Expired(tt.wantExpires.Add(-time.Nanosecond)) {
				t.Errorf("expiry instant: expired must begin exactly at %v", tt.wantExpires)
			}
		})
	}
}

func TestNewSessionTruncatesClient(t *testing.T) {
	ua := strings.Repeat("a", 511) + "é" + "tail" // the 2-byte rune straddles byte 512
	ip := strings.Repeat("1", 70)
	s, err := domain.NewSession(sessTestID, sessTestUser, sessSalt(1), domain.Client{UserAgent: ua, IP: ip}, sessNanoTime,
		domain.SessionPolicy{RefreshTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.UserAgent(); len(got) != 511 || !utf8.ValidString(got) {
		t.Errorf("user agent: %d bytes, valid UTF-8 %v; want 511 bytes without a cut rune", len(got), utf8.ValidString(got))
	}
	if got := s.IP(); len(got) != 64 {
		t.Errorf("ip: %d bytes, want 64", len(got))
	}
}

func TestClientNormalized(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"valid stays", "Mozilla/5.0 (X11) é 語", "Mozilla/5.0 (X11) é 語"},
		{"a run of invalid bytes is one U+FFFD", "a\xff\xfeb", "a\uFFFDb"},
		{"a cut sequence at the end", "ab\xe8\xaa", "ab\uFFFD"},
		{"NUL", "a\x00b", "a\uFFFDb"},
		{"replacement counts toward the limit", strings.Repeat("a", 510) + "\xff", strings.Repeat("a", 510)},
		{"cut before a straddling rune", "x" + strings.Repeat("é", 300), "x" + strings.Repeat("é", 255)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.Client{UserAgent: tt.in, IP: tt.in}.Normalized()
			if got.UserAgent != tt.want {
				t.Errorf("UserAgent = %q, want %q", got.UserAgent, tt.want)
			}
			if !utf8.ValidString(got.IP) || len(got.IP) > domain.MaxIPBytes || !strings.HasPrefix(tt.want, got.IP) {
				t.Errorf("IP = %q: not a valid prefix of %q within %d bytes", got.IP, tt.want, domain.MaxIPBytes)
			}
		})
	}
}

func TestSessionNormalizesClientOnRotation(t *testing.T) {
	s, err := domain.NewSession(sessTestID, sessTestUser, sessSalt(2), domain.Client{UserAgent: "\xff", IP: "192.0.2.1\x00"},
		sessNanoTime, domain.SessionPolicy{RefreshTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if s.UserAgent() != "\uFFFD" || s.IP() != "192.0.2.1\uFFFD" {
		t.Errorf("new session client = %q, %q", s.UserAgent(), s.IP())
	}
	next := s.Rotated(sessNanoTime, domain.SessionPolicy{RefreshTTL: time.Hour}, domain.Client{UserAgent: "b\xc3"})
	if next.UserAgent() != "b\uFFFD" || next.IP() != s.IP() {
		t.Errorf("rotated client = %q, %q", next.UserAgent(), next.IP())
	}
}

func TestSessionRotated(t *testing.T) {
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		policy      domain.SessionPolicy
		at          time.Time
		wantExpires time.Time
	}{
		{"idle expiry extended from the rotation", domain.SessionPolicy{RefreshTTL: time.Hour},
			start.Add(50*time.Minute + 999*time.Nanosecond), start.Add(110 * time.Minute)},
		{"extension capped by the max age", domain.SessionPolicy{RefreshTTL: time.Hour, MaxAge: 90 * time.Minute},
			start.Add(50 * time.Minute), start.Add(90 * time.Minute)},
		{"extension below the max age is not capped", domain.SessionPolicy{RefreshTTL: time.Hour, MaxAge: 3 * time.Hour},
			start.Add(50 * time.Minute), start.Add(110 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := domain.NewSession(sessTestID, sessTestUser, sessSalt(3), domain.Client{UserAgent: "old-ua", IP: "192.0.2.1"}, start, tt.policy)
			if err != nil {
				t.Fatal(err)
			}
			before := s.State()
			at := tt.at.In(time.FixedZone("X", -5*3600))
			next := s.Rotated(at, tt.policy, domain.Client{})
			ns := next.State()
			wantAt := tt.at.UTC().Truncate(time.Microsecond)
			if ns.Generation != before.Generation+1 {
				t.Errorf("generation = %d, want %d", ns.Generation, before.Generation+1)
			}
			if !ns.RotatedAt.Equal(wantAt) || !ns.LastUsedAt.Equal(wantAt) ||
				ns.RotatedAt.Location() != time.UTC || ns.RotatedAt.Nanosecond()%1000 != 0 {
				t.Errorf("rotated/lastUsed = %v/%v, want %v (UTC, µs)", ns.RotatedAt, ns.LastUsedAt, wantAt)
			}
			if !ns.ExpiresAt.Equal(tt.wantExpires) || ns.ExpiresAt.Location() != time.UTC {
				t.Errorf("expires = %v, want %v", ns.ExpiresAt, tt.wantExpires)
			}
			if ns.ID != before.ID || ns.UserID != before.UserID || !bytes.Equal(ns.Salt, before.Salt) ||
				!ns.CreatedAt.Equal(before.CreatedAt) || !ns.MaxExpiresAt.Equal(before.MaxExpiresAt) {
				t.Errorf("rotation changed identity fields: before %+v after %+v", before, ns)
			}
			if ns.UserAgent != "old-ua" || ns.IP != "192.0.2.1" {
				t.Errorf("empty client must keep the stored one, got %q %q", ns.UserAgent, ns.IP)
			}
			if s.Generation() != before.Generation || !s.RotatedAt().IsZero() {
				t.Errorf("Rotated modified its receiver")
			}
		})
	}
}

func TestSessionRotatedClient(t *testing.T) {
	p := domain.SessionPolicy{RefreshTTL: time.Hour}
	s, err := domain.NewSession(sessTestID, sessTestUser, sessSalt(3), domain.Client{UserAgent: "old", IP: "192.0.2.1"}, sessNanoTime, p)
	if err != nil {
		t.Fatal(err)
	}
	next := s.Rotated(sessNanoTime, p, domain.Client{UserAgent: "new", IP: "198.51.100.7"})
	if next.UserAgent() != "new" || next.IP() != "198.51.100.7" {
		t.Errorf("client = %q %q, want the new one", next.UserAgent(), next.IP())
	}
	next = next.Rotated(sessNanoTime, p, domain.Client{UserAgent: strings.Repeat("u", 600)})
	if len(next.UserAgent()) != 512 || next.IP() != "198.51.100.7" {
		t.Errorf("client = %d bytes %q, want 512 bytes and the kept ip", len(next.UserAgent()), next.IP())
	}
}

func TestSessionStateIsACopy(t *testing.T) {
	s := domain.RestoreSession(domain.SessionState{ID: sessTestID, UserID: sessTestUser, Generation: 2, Salt: sessSalt(5)})
	st := s.State()
	st.Salt[0] = 0
	s.Salt()[1] = 0
	if !bytes.Equal(s.Salt(), sessSalt(5)) {
		t.Fatalf("salt changed through a returned slice: %x", s.Salt())
	}
}

func TestRestoreSessionTruncates(t *testing.T) {
	s := domain.RestoreSession(domain.SessionState{
		ID: sessTestID, UserID: sessTestUser, Generation: 4, Salt: sessSalt(1),
		CreatedAt: sessNanoTime, RotatedAt: sessNanoTime, LastUsedAt: sessNanoTime, ExpiresAt: sessNanoTime,
		MaxExpiresAt: sessNanoTime, RevokedAt: sessNanoTime,
	})
	want := sessNanoTime.UTC().Truncate(time.Microsecond)
	st := s.State()
	for name, got := range map[string]time.Time{
		"created": st.CreatedAt, "rotated": st.RotatedAt, "lastUsed": st.LastUsedAt,
		"expires": st.ExpiresAt, "maxExpires": st.MaxExpiresAt, "revoked": st.RevokedAt,
	} {
		if got != want { // == on purpose: same instant, same location, no monotonic reading
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	zero := domain.RestoreSession(domain.SessionState{ID: sessTestID}).State()
	if !zero.RotatedAt.IsZero() || !zero.RevokedAt.IsZero() || !zero.MaxExpiresAt.IsZero() {
		t.Errorf("zero times must stay zero: %+v", zero)
	}
}

func TestSessionLive(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	base := domain.SessionState{ID: sessTestID, UserID: sessTestUser, Generation: 1, ExpiresAt: now.Add(time.Hour)}
	tests := []struct {
		name string
		edit func(*domain.SessionState)
		live bool
	}{
		{"live", func(*domain.SessionState) {}, true},
		{"revoked", func(st *domain.SessionState) { st.RevokedAt = now.Add(-time.Second) }, false},
		{"revoked in the future still counts", func(st *domain.SessionState) { st.RevokedAt = now.Add(time.Minute) }, false},
		{"idle expired", func(st *domain.SessionState) { st.ExpiresAt = now }, false},
		{"max age passed", func(st *domain.SessionState) { st.MaxExpiresAt = now.Add(-time.Microsecond) }, false},
		{"max age ahead", func(st *domain.SessionState) { st.MaxExpiresAt = now.Add(time.Microsecond) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := base
			tt.edit(&st)
			if got := domain.RestoreSession(st).Live(now); got != tt.live {
				t.Fatalf("Live = %v, want %v", got, tt.live)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	if got := domain.Truncate(time.Time{}); !got.IsZero() {
		t.Errorf("Truncate(zero) = %v, want zero", got)
	}
	got := domain.Truncate(sessNanoTime)
	if got.Location() != time.UTC || got.Nanosecond() != 123_456_000 || !got.Equal(sessNanoTime.Add(-789)) {
		t.Errorf("Truncate = %v", got)
	}
}
