package domain

import "time"

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
}
