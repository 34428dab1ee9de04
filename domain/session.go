package domain

import (
	"slices"
	"strings"
	"time"
)

// TimePrecision is the resolution every stored time is truncated to, so a
// session reads back equal on every backend (Postgres and MySQL keep µs).
const TimePrecision = time.Microsecond

// Revoke reasons recorded on a session.
const (
	RevokeLogout         = "logout"
	RevokeLogoutAll      = "logout_all"
	RevokeReuse          = "reuse"
	RevokePasswordChange = "password_change"
	RevokePasswordReset  = "password_reset"
	RevokeUserDeleted    = "user_deleted"
	RevokeEnded          = "ended"
	RevokeSessionLimit   = "session_limit" // the user's newer sessions exceeded the per-user cap
	RevokeMFAReset       = "mfa_reset"
)

// SaltSize is the number of random bytes mixed into every session's MACs.
const SaltSize = 16

// SessionPolicy holds the lifetimes that govern sessions and rotation.
type SessionPolicy struct {
	RefreshTTL time.Duration // idle timeout: a token lives this long from its issue
	MaxAge     time.Duration // absolute lifetime of a session; 0 means none
	Grace      time.Duration // window in which the just-spent token is replayed
}

// Session is one login's family of refresh tokens: a single row whose
// generation counts rotations.
type Session struct {
	s SessionState
}

// SessionState is the plain form of a Session, for storage adapters.
// Zero times mean "never" (RotatedAt, RevokedAt) or "none" (MaxExpiresAt).
type SessionState struct {
	ID           string
	UserID       string
	Generation   uint64
	Salt         []byte
	CreatedAt    time.Time
	RotatedAt    time.Time
	LastUsedAt   time.Time
	ExpiresAt    time.Time
	MaxExpiresAt time.Time
	RevokedAt    time.Time
	RevokeReason string
	UserAgent    string
	IP           string
	// AMR is how the session's user authenticated (RFC 8176 values, see
	// AMRPasswordOnly); every access token of the session carries it. Empty
	// reads as AMRPasswordOnly.
	AMR []string
}

// Client describes who opened or used a session.
type Client struct {
	UserAgent string
	IP        string
}

// The most bytes of a Client's strings a session keeps. Every backend's
// column holds at least this many characters, and a character is at least
// one byte.
const (
	MaxUserAgentBytes = 512
	MaxIPBytes        = 64
)

// Normalized returns c as a session stores it: each string valid UTF-8
// (every run of invalid bytes, and every NUL, which Postgres text cannot
// hold, replaced by U+FFFD) and cut at a character boundary to
// MaxUserAgentBytes / MaxIPBytes. Client strings come from request headers,
// which may carry any bytes.
func (c Client) Normalized() Client {
	return Client{UserAgent: clientString(c.UserAgent, MaxUserAgentBytes), IP: clientString(c.IP, MaxIPBytes)}
}

func clientString(s string, max int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	return truncateString(s, max)
}

// NewSession starts a session at generation 1 for client, normalized (see
// Client.Normalized).
func NewSession(id, userID string, salt []byte, client Client, now time.Time, p SessionPolicy) (Session, error) {
	if id == "" || userID == "" {
		return Session{}, NewValidationError("session", "id and user id are required")
	}
	if len(salt) != SaltSize {
		return Session{}, NewValidationError("session", "salt must be 16 bytes")
	}
	now, client = Truncate(now), client.Normalized()
	st := SessionState{
		ID: id, UserID: userID, Generation: 1, Salt: append([]byte(nil), salt...),
		CreatedAt: now, LastUsedAt: now, UserAgent: client.UserAgent, IP: client.IP, AMR: AMRPasswordOnly(),
	}
	if p.MaxAge > 0 {
		st.MaxExpiresAt = now.Add(p.MaxAge)
	}
	st.ExpiresAt = capTime(now.Add(p.RefreshTTL), st.MaxExpiresAt)
	return Session{s: st}, nil
}

// RestoreSession rebuilds a Session from storage.
func RestoreSession(st SessionState) Session {
	st.CreatedAt, st.RotatedAt, st.LastUsedAt = Truncate(st.CreatedAt), Truncate(st.RotatedAt), Truncate(st.LastUsedAt)
	st.ExpiresAt, st.MaxExpiresAt, st.RevokedAt = Truncate(st.ExpiresAt), Truncate(st.MaxExpiresAt), Truncate(st.RevokedAt)
	st.Salt = append([]byte(nil), st.Salt...)
	st.AMR = amrOrPassword(st.AMR)
	return Session{s: st}
}

// State returns the plain form of s.
func (s Session) State() SessionState {
	st := s.s
	st.Salt = append([]byte(nil), st.Salt...)
	st.AMR = slices.Clone(st.AMR)
	return st
}

// WithAMR returns s recording that its user authenticated by amr; NewSession
// starts with AMRPasswordOnly. Empty means AMRPasswordOnly.
func (s Session) WithAMR(amr []string) Session {
	st := s.State()
	st.AMR = amrOrPassword(amr)
	return Session{s: st}
}

// AMR returns how the session's user authenticated (RFC 8176 values).
func (s Session) AMR() []string { return slices.Clone(s.s.AMR) }

func amrOrPassword(amr []string) []string {
	if len(amr) == 0 {
		return AMRPasswordOnly()
	}
	return slices.Clone(amr)
}

func (s Session) ID() string            { return s.s.ID }
func (s Session) UserID() string        { return s.s.UserID }
func (s Session) Generation() uint64    { return s.s.Generation }
func (s Session) Salt() []byte          { return append([]byte(nil), s.s.Salt...) }
func (s Session) CreatedAt() time.Time  { return s.s.CreatedAt }
func (s Session) RotatedAt() time.Time  { return s.s.RotatedAt }
func (s Session) LastUsedAt() time.Time { return s.s.LastUsedAt }
func (s Session) ExpiresAt() time.Time  { return s.s.ExpiresAt }
func (s Session) RevokedAt() time.Time  { return s.s.RevokedAt }
func (s Session) RevokeReason() string  { return s.s.RevokeReason }
func (s Session) UserAgent() string     { return s.s.UserAgent }
func (s Session) IP() string            { return s.s.IP }

// Revoked reports whether the session has been ended.
func (s Session) Revoked() bool { return !s.s.RevokedAt.IsZero() }

// Expired reports whether the session is past its idle or absolute lifetime.
func (s Session) Expired(now time.Time) bool {
	return !now.Before(s.s.ExpiresAt) || (!s.s.MaxExpiresAt.IsZero() && !now.Before(s.s.MaxExpiresAt))
}

// Live reports whether the session can still be refreshed.
func (s Session) Live(now time.Time) bool { return !s.Revoked() && !s.Expired(now) }

// Rotated returns the successor state after a winning rotation at now:
// the next generation with a fresh idle lifetime, capped by the absolute one.
func (s Session) Rotated(now time.Time, p SessionPolicy, client Client) Session {
	now, client = Truncate(now), client.Normalized()
	next := s.State()
	next.Generation++
	next.RotatedAt, next.LastUsedAt = now, now
	next.ExpiresAt = capTime(now.Add(p.RefreshTTL), next.MaxExpiresAt)
	if client.UserAgent != "" {
		next.UserAgent = client.UserAgent
	}
	if client.IP != "" {
		next.IP = client.IP
	}
	return Session{s: next}
}

// Truncate brings t to UTC at TimePrecision; the zero time stays zero.
func Truncate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(TimePrecision)
}

func capTime(t, limit time.Time) time.Time {
	if !limit.IsZero() && t.After(limit) {
		return limit
	}
	return t
}

// truncateString cuts valid UTF-8 s to at most n bytes without splitting a
// character.
func truncateString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // do not cut a UTF-8 sequence in half
		n--
	}
	return s[:n]
}
