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
}
