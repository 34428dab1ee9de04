package domain

import (
	"fmt"
	"strings"
	"time"
)

// AccessClaims is what an access token asserts about its bearer.
type AccessClaims struct {
	Subject   string // user id
	Role      Role
	SessionID string
	ID        string // jti
	IssuedAt  time.Time
	ExpiresAt time.Time
	// AMR is how the session's user authenticated (RFC 8176), e.g. ["pwd"]
	// or ["pwd","otp","mfa"]; see HasMFA.
	AMR []string
	// Extra holds the claims an embedding team adds (ports.ClaimsHook),
	// keyed by claim name; nil when there are none. Values are what JSON
	// decodes to (string, float64, bool, nil, []any, map[string]any).
	// Treat it as read-only: a verified token's map may be shared.
	Extra map[string]any
}

// RegisteredClaims are the claim names authd sets or checks itself; an
// extra claim may not use any of them, in any letter case, so no hook can
// change who a token is for, what it allows or when it ends.
var RegisteredClaims = []string{
	"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "role", "sid", "typ", "amr",
	"auth_time", "acr", "azp", "client_id", "scope", "cnf",
}

// ReservedClaimError names an extra claim that tried to use a registered
// claim's name.
type ReservedClaimError struct{ Name string }

func (e *ReservedClaimError) Error() string {
	return fmt.Sprintf("extra claim %q is a registered claim and cannot be set", e.Name)
}

// CheckExtraClaims refuses extra claims that use a registered name (compared
// case-insensitively, since some decoders match names that way) or an empty
// name, with a *ReservedClaimError naming the first such claim.
func CheckExtraClaims(extra map[string]any) error {
	for name := range extra {
		if name == "" || IsRegisteredClaim(name) {
			return &ReservedClaimError{Name: name}
		}
	}
	return nil
}

// IsRegisteredClaim reports whether name is one of RegisteredClaims under
// Unicode case folding, the matching encoding/json applies to field names.
func IsRegisteredClaim(name string) bool {
	for _, r := range RegisteredClaims {
		if strings.EqualFold(r, name) {
			return true
		}
	}
	return false
}
