package ports

import (
	"context"
	"crypto"
	"time"

	"github.com/authd-dev/authd/domain"
)

// PasswordHasher hashes and checks passwords on a bounded pool of workers,
// so a flood of logins queues instead of starving other requests of CPU.
// Work waits for a worker in a bounded queue, served in turn across the
// FairnessKey of each call's ctx. When that queue is full, or the wait
// outlasts its limit, the call returns domain.ErrBusy without having done
// the work; ctx ending while queued returns ctx.Err() the same way.
type PasswordHasher interface {
	// Hash returns a hash of plain at the configured cost.
	Hash(ctx context.Context, plain string) (string, error)
	// Compare reports whether plain matches hash. A mismatch is (false, nil);
	// a malformed hash is domain.ErrInvalidPasswordHash.
	Compare(ctx context.Context, hash, plain string) (bool, error)
	// DummyCompare does the same work as a Compare that fails, so an
	// unknown email costs as much as a wrong password. It fails only as
	// queueing fails (domain.ErrBusy, ctx.Err()), so a caller can refuse
	// an unknown email exactly as it refuses a known one.
	DummyCompare(ctx context.Context, plain string) error
	// NeedsRehash reports whether hash was made at a lower cost than the
	// configured one.
	NeedsRehash(hash string) bool
}

// AccessTokenIssuer signs access tokens.
type AccessTokenIssuer interface {
	// Issue signs c with the current signing key.
	Issue(c domain.AccessClaims) (string, error)
}

// AccessTokenVerifier checks access tokens.
type AccessTokenVerifier interface {
	// Verify checks token's signature, algorithm, key id, type, issuer,
	// audience and times at now (allowing the configured skew) and returns
	// its claims. A token past exp is domain.ErrTokenExpired; anything else
	// wrong is domain.ErrTokenInvalid.
	Verify(token string, now time.Time) (domain.AccessClaims, error)
}

// Clock tells the time; tests use a manual one.
type Clock interface {
	Now() time.Time
}

// AuditLog records security events. Implementations must not fail the
// request: errors are theirs to report.
type AuditLog interface {
	Record(ctx context.Context, e domain.AuditEvent)
}

// LoginThrottle keeps counters of failed attempts under opaque keys. The
// application decides which counters an attempt touches (domain.ThrottleRule);
// a store only counts. Each counter counts failures in a fixed window of
// its Window that starts at its first attempt, plus attempts in flight
// (passed Check, outcome not yet reported), so parallel guesses cannot all
// pass before the first failure lands. Safe for concurrent use. A store
// that cannot reach its backing service must still answer (counting in
// process), never fail the request.
type LoginThrottle interface {
	// Check refuses with a *domain.RateLimitedError when any counter's
	// failures plus attempts in flight have reached its Limit; RetryAfter is
	// the longest wait among the refusing counters. Otherwise it counts one
	// attempt in flight on every counter. All or none: a refused Check
	// changes nothing. An empty list passes; a counter whose Limit or Window
	// is not positive is off and never stored.
	Check(ctx context.Context, counters []domain.FailureCounter, now time.Time) error
	// Fail counts a failure on each counter, settling one attempt in flight.
	Fail(ctx context.Context, counters []domain.FailureCounter, now time.Time)
	// Release settles one attempt in flight on each counter without counting
	// a failure: the attempt succeeded, or ended on an error that says
	// nothing about the password.
	Release(ctx context.Context, counters []domain.FailureCounter, now time.Time)
	// Reset forgets each counter: its failures and attempts in flight.
	Reset(ctx context.Context, counters []domain.FailureCounter)
}

// VerificationKey is a public key that verifies access tokens, published in
// the JWKS. Key is an ed25519.PublicKey, *ecdsa.PublicKey or *rsa.PublicKey.
type VerificationKey struct {
	ID        string // kid
	Algorithm string // JWS alg: EdDSA, ES256, RS256
	Key       crypto.PublicKey
}

// KeySet lists the public keys that verify access tokens; empty under HS256.
type KeySet interface {
	VerificationKeys() []VerificationKey
}

// RateLimiter meters requests per key (a client address) with a token
// bucket. A shared store (Redis) can replace the in-memory one.
type RateLimiter interface {
	// Allow takes one token for key at now, or returns a
	// *domain.RateLimitedError saying when one will be free.
	Allow(ctx context.Context, key string, now time.Time) error
}

// ClaimsHook adds claims to access tokens: the one extension point for
// what a token carries (a tenant, a plan, a feature flag). It is called at
// every access-token issue (register, login, device login, the second
// step of an MFA login, refresh including the grace-period answer) with the user and the session the
// token is for, and must be safe for concurrent use.
//
// The returned claims travel in the token beside authd's own, and verifiers
// expose them (httpapi.ClaimsFrom's Extra, jwtverify.Claims.Extra). Values
// must encode as JSON. A nil or empty map adds nothing. An error, a value
// that does not encode, or a claim named like a registered one
// (domain.RegisteredClaims, any letter case) fails the request with a
// logged 500 INTERNAL naming the cause; no token is issued.
type ClaimsHook interface {
	AccessClaims(ctx context.Context, u domain.User, s domain.Session) (map[string]any, error)
}

// ClaimsFunc adapts a function to ClaimsHook.
type ClaimsFunc func(ctx context.Context, u domain.User, s domain.Session) (map[string]any, error)

// AccessClaims calls f.
func (f ClaimsFunc) AccessClaims(ctx context.Context, u domain.User, s domain.Session) (map[string]any, error) {
	return f(ctx, u, s)
}
