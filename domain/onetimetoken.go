package domain

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"time"
)

// Errors of the email flows; the HTTP edge maps each to its own code.
var (
	ErrVerificationTokenInvalid = errors.New("the verification link is invalid, used or expired")
	ErrResetTokenInvalid        = errors.New("the password reset link is invalid, used or expired")
	ErrEmailNotVerified         = errors.New("the email address of this account is not verified")
)

// TokenPurpose says what a one-time token may be spent on.
type TokenPurpose string

// The purposes of one-time tokens.
const (
	// PurposeVerifyEmail proves that the owner of an address received a mail.
	PurposeVerifyEmail TokenPurpose = "verify"
	// PurposeResetPassword lets the owner of an address set a new password.
	PurposeResetPassword TokenPurpose = "reset"
)

// OneTimeTokenBytes is the entropy of a one-time token: 256 random bits.
const OneTimeTokenBytes = 32

// oneTimeTokenChars is the length of its unpadded base64url form.
const oneTimeTokenChars = 43

// OneTimeToken is an emailed, single-use token as storage keeps it: only the
// SHA-256 of its secret, which a copy of the database cannot turn back into
// a working link (the secret has 256 random bits, so no salt or slow hash
// is needed).
type OneTimeToken struct {
	s OneTimeTokenState
}

// OneTimeTokenState is the plain form of a OneTimeToken, for storage
// adapters. A zero UsedAt means unused.
type OneTimeTokenState struct {
	Hash      []byte
	UserID    string
	Purpose   TokenPurpose
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// NewOneTimeToken draws a secret from rnd (crypto/rand.Reader in
// production) and returns the token to store and the secret to mail, in
// unpadded base64url. The secret exists nowhere else: it is never stored.
func NewOneTimeToken(rnd io.Reader, userID string, purpose TokenPurpose, now time.Time, ttl time.Duration) (OneTimeToken, string, error) {
	if userID == "" {
		return OneTimeToken{}, "", NewValidationError("token", "user id is required")
	}
	if purpose != PurposeVerifyEmail && purpose != PurposeResetPassword {
		return OneTimeToken{}, "", NewValidationError("token", "unknown purpose")
	}
	if ttl <= 0 {
		return OneTimeToken{}, "", NewValidationError("token", "lifetime must be positive")
	}
	var raw [OneTimeTokenBytes]byte
	if _, err := io.ReadFull(rnd, raw[:]); err != nil {
		return OneTimeToken{}, "", fmt.Errorf("read random token: %w", err)
	}
	sum := sha256.Sum256(raw[:])
	now = Truncate(now)
	t := OneTimeToken{s: OneTimeTokenState{
		Hash: sum[:], UserID: userID, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(ttl),
	}}
	return t, base64.RawURLEncoding.EncodeToString(raw[:]), nil
}

// HashOneTimeToken returns the storage hash of a presented secret. Anything
// but the canonical 43-character base64url form of 32 bytes (padding,
// another alphabet, non-zero trailing bits, white space) is refused, so
// one token has exactly one spelling.
func HashOneTimeToken(secret string) ([]byte, bool) {
	if len(secret) != oneTimeTokenChars {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	if err != nil || len(raw) != OneTimeTokenBytes {
		return nil, false
	}
	sum := sha256.Sum256(raw)
	return sum[:], true
}

// RestoreOneTimeToken rebuilds a token from storage.
func RestoreOneTimeToken(st OneTimeTokenState) OneTimeToken {
	st.Hash = append([]byte(nil), st.Hash...)
	st.CreatedAt, st.ExpiresAt, st.UsedAt = Truncate(st.CreatedAt), Truncate(st.ExpiresAt), Truncate(st.UsedAt)
	return OneTimeToken{s: st}
}

// State returns the plain form of t.
func (t OneTimeToken) State() OneTimeTokenState {
	st := t.s
	st.Hash = append([]byte(nil), st.Hash...)
	return st
}

func (t OneTimeToken) Hash() []byte          { return append([]byte(nil), t.s.Hash...) }
func (t OneTimeToken) UserID() string        { return t.s.UserID }
func (t OneTimeToken) Purpose() TokenPurpose { return t.s.Purpose }
func (t OneTimeToken) CreatedAt() time.Time  { return t.s.CreatedAt }
func (t OneTimeToken) ExpiresAt() time.Time  { return t.s.ExpiresAt }
func (t OneTimeToken) UsedAt() time.Time     { return t.s.UsedAt }

// Used reports whether the token was spent or voided.
func (t OneTimeToken) Used() bool { return !t.s.UsedAt.IsZero() }

// SpendableFor reports whether t may be spent on purpose at now: unused,
// not expired (expiry is exclusive, as for sessions) and of that purpose.
func (t OneTimeToken) SpendableFor(purpose TokenPurpose, now time.Time) bool {
	return !t.Used() && now.Before(t.s.ExpiresAt) && t.s.Purpose == purpose
}
