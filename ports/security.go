package ports

import (
	"context"
	"crypto"
	"time"

	"github.com/authd-dev/authd/domain"
)

// PasswordHasher hashes and checks passwords on a bounded pool of workers,
// so a flood of logins queues instead of starving other requests of CPU.
type PasswordHasher interface {
	// Hash returns a hash of plain at the configured cost. ctx ending while
	// queued for a worker returns ctx.Err().
	Hash(ctx context.Context, plain string) (string, error)
	// Compare reports whether plain matches hash. A mismatch is (false, nil);
	// a malformed hash is domain.ErrInvalidPasswordHash.
	Compare(ctx context.Context, hash, plain string) (bool, error)
	// DummyCompare does the same work as a Compare that fails, so an
	// unknown email costs as much as a wrong password.
	DummyCompare(ctx context.Context, plain string)
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

// LoginThrottle counts failed logins per account and decides when an
// account is throttled. A shared store (Redis) can replace the in-memory one.
type LoginThrottle interface {
	// Check returns a *domain.RateLimitedError if key may not try now.
	Check(ctx context.Context, key string, now time.Time) error
	// Fail records a failed attempt for key at now.
	Fail(ctx context.Context, key string, now time.Time)
	// Reset forgets key's failures (after a successful login).
	Reset(ctx context.Context, key string)
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
