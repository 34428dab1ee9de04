package domain

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"
)

// The second login step of an account with MFA on: the login answers with
// an mfaToken, which a code must follow within MFAChallengeTTL, in at most
// MaxMFAAttempts tries, once.
const (
	MFAChallengeTTL = 5 * time.Minute
	MaxMFAAttempts  = 5
	mfaTokenPrefix  = "mfa1."
	mfaTokenBytes   = 32
	// MFATokenLen is the length of every mfaToken authd mints.
	MFATokenLen = len(mfaTokenPrefix) + (mfaTokenBytes*8+5)/6
)

// MFAChallenge is a pending second step. Only the SHA-256 of its token is
// kept: 256 random bits need no key, and a database copy yields no token.
type MFAChallenge struct {
	s MFAChallengeState
}

// MFAChallengeState is the plain form of MFAChallenge, for storage adapters.
type MFAChallengeState struct {
	Hash   []byte // SHA-256 of the mfaToken
	UserID string
	// DeviceID and CookieTransport bind the second step to the login that
	// asked for it: the device it proved (or "") and whether tokens go into
	// cookies.
	DeviceID        string
	CookieTransport bool
	// Credential is a digest of the user's password hash at the login, so
	// a password changed or reset meanwhile voids the second step.
	Credential []byte
	Attempts   int // codes tried so far, right or wrong
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     time.Time // zero until a right code spent it
}

// NewMFAChallenge draws a token from rnd (crypto/rand.Reader in
// production) and starts the challenge of u's login at now.
func NewMFAChallenge(rnd io.Reader, u User, deviceID string, cookie bool, now time.Time) (string, MFAChallenge, error) {
	if u.ID() == "" {
		return "", MFAChallenge{}, NewValidationError("mfa challenge", "user id is required")
	}
	var b [mfaTokenBytes]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", MFAChallenge{}, fmt.Errorf("read random mfa token: %w", err)
	}
	raw := mfaTokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	now = Truncate(now)
	sum := sha256.Sum256([]byte(raw))
	return raw, MFAChallenge{s: MFAChallengeState{
		Hash: sum[:], UserID: u.ID(), DeviceID: deviceID, CookieTransport: cookie, Credential: credentialOf(u),
		CreatedAt: now, ExpiresAt: now.Add(MFAChallengeTTL),
	}}, nil
}

// MFATokenHash returns the storage key of a presented mfaToken. Anything
// that cannot be a token authd minted is ErrMFATokenInvalid, without a read.
func MFATokenHash(raw string) ([]byte, error) {
	if len(raw) != MFATokenLen || !strings.HasPrefix(raw, mfaTokenPrefix) {
		return nil, ErrMFATokenInvalid
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(raw[len(mfaTokenPrefix):])
	if err != nil || len(b) != mfaTokenBytes {
		return nil, ErrMFATokenInvalid
	}
	sum := sha256.Sum256([]byte(raw))
	return sum[:], nil
}

// RestoreMFAChallenge rebuilds a challenge from storage.
func RestoreMFAChallenge(st MFAChallengeState) MFAChallenge {
	st.Hash, st.Credential = append([]byte(nil), st.Hash...), append([]byte(nil), st.Credential...)
	st.CreatedAt, st.ExpiresAt, st.UsedAt = Truncate(st.CreatedAt), Truncate(st.ExpiresAt), Truncate(st.UsedAt)
	return MFAChallenge{s: st}
}

// State returns the plain form of c.
func (c MFAChallenge) State() MFAChallengeState {
	st := c.s
	st.Hash, st.Credential = append([]byte(nil), st.Hash...), append([]byte(nil), st.Credential...)
	return st
}

// IssuedFor reports whether c was started by a login of u as u is now:
// same user, same password. The digest is unkeyed: it stands next to the
// password hash it is made from, and reveals less than that hash.
func (c MFAChallenge) IssuedFor(u User) bool {
	return c.s.UserID == u.ID() && subtle.ConstantTimeCompare(c.s.Credential, credentialOf(u)) == 1
}

func credentialOf(u User) []byte {
	sum := sha256.Sum256([]byte("authd mfa challenge credential\x00" + u.PasswordHash()))
	return sum[:credentialTagLen]
}

func (c MFAChallenge) Hash() []byte          { return append([]byte(nil), c.s.Hash...) }
func (c MFAChallenge) UserID() string        { return c.s.UserID }
func (c MFAChallenge) DeviceID() string      { return c.s.DeviceID }
func (c MFAChallenge) CookieTransport() bool { return c.s.CookieTransport }
func (c MFAChallenge) Attempts() int         { return c.s.Attempts }
func (c MFAChallenge) ExpiresAt() time.Time  { return c.s.ExpiresAt }
func (c MFAChallenge) Used() bool            { return !c.s.UsedAt.IsZero() }

// Usable reports whether c may take another code at now: not spent, not
// expired, and fewer than MaxMFAAttempts codes tried. Storage applies the
// same rule in one conditional update (ports.MFAChallengeRepository), so
// parallel tries cannot exceed it.
func (c MFAChallenge) Usable(now time.Time) bool {
	return !c.Used() && now.Before(c.s.ExpiresAt) && c.s.Attempts < MaxMFAAttempts
}

// ExpiresIn is what is left of c's lifetime at now, at TimePrecision (so a
// new challenge says MFAChallengeTTL), never negative.
func (c MFAChallenge) ExpiresIn(now time.Time) time.Duration {
	return max(c.s.ExpiresAt.Sub(Truncate(now)), 0)
}
