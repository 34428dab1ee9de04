package ports

import (
	"context"
	"time"

	"github.com/authd-dev/authd/domain"
)

// OneTimeTokenRepository stores the one-time tokens of email verification
// and password reset, by hash only (domain.OneTimeToken). Spending a token
// is one conditional UPDATE (unused, unexpired, of its purpose), so of
// concurrent spenders of one token exactly one wins; what the spend does to
// the account happens in the same transaction or not at all. The storage
// errors of storage.go apply to every method.
type OneTimeTokenRepository interface {
	// Create inserts t. A token of an unknown user is domain.ErrNotFound.
	Create(ctx context.Context, t domain.OneTimeToken) error
	// Replace inserts t and, in the same transaction, voids every unused
	// token of t's user and purpose (marks it used at t's creation time):
	// a newer reset request kills the older links. Unknown user:
	// domain.ErrNotFound, and nothing is voided.
	Replace(ctx context.Context, t domain.OneTimeToken) error
	// ByHash returns the token whose hash is hash, spent, expired or not, or
	// domain.ErrNotFound.
	ByHash(ctx context.Context, hash []byte) (domain.OneTimeToken, error)
	// SpendVerification spends t (found by hash, and only while it is an
	// unused verification token of t's user that has not expired at now)
	// and, in the same transaction, marks the user's email verified and
	// voids the user's other verification tokens. It reports whether this
	// call spent it; a token spent, voided, expired or deleted meanwhile is
	// (false, nil) with nothing changed.
	SpendVerification(ctx context.Context, t domain.OneTimeToken, now time.Time) (bool, error)
	// SpendReset spends t as SpendVerification does for a reset token and,
	// in the same transaction, stores passwordHash as the user's password
	// (updated at now), marks the email verified, ends every unrevoked
	// session of the user (reason domain.RevokePasswordReset) and voids the
	// user's other reset tokens. It returns how many sessions it ended and
	// whether this call won; a lost spend is (0, false, nil), nothing changed.
	SpendReset(ctx context.Context, t domain.OneTimeToken, passwordHash string, now time.Time) (sessionsEnded int, won bool, err error)
	// Void marks every unused token of userID with purpose used at now and
	// returns how many it voided; an unknown user has none.
	Void(ctx context.Context, userID string, purpose domain.TokenPurpose, now time.Time) (int, error)
	// Purge deletes at most limit tokens used or expired before cutoff and
	// returns how many it deleted: fewer than limit means none are left. A
	// limit below 1 deletes nothing. Like SessionRepository.Purge, callers
	// loop over short batches.
	Purge(ctx context.Context, cutoff time.Time, limit int) (int, error)
}
