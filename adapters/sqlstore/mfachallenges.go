package sqlstore

import (
	"context"
	"time"

	"github.com/authd-dev/authd/domain"
)

// MFAChallenges implements ports.MFAChallengeRepository.
type MFAChallenges struct {
	db *DB
}

// NewMFAChallenges returns the second-login-step repository on db; each
// call is bounded by pool.QueryTimeout.
func NewMFAChallenges(db *DB) *MFAChallenges {
	return &MFAChallenges{db: db}
}

var (
	insertChallengeSQL = insertSQL("mfa_challenges", challengeColumns)
	challengeByHashSQL = "SELECT " + challengeColumns + " FROM mfa_challenges WHERE hash = ?"
)

// Create inserts c; an unknown user violates the foreign key and is
// domain.ErrNotFound.
func (r *MFAChallenges) Create(ctx context.Context, c domain.MFAChallenge) error {
	_, err := r.db.exec(ctx, "create mfa challenge", insertChallengeSQL, toChallengeRow(c).values()...)
	return unknownUser(err, "create mfa challenge", c.UserID())
}

// ByHash returns the challenge of hash, or domain.ErrNotFound.
func (r *MFAChallenges) ByHash(ctx context.Context, hash []byte) (domain.MFAChallenge, error) {
	var row challengeRow
	if err := r.db.queryRow(ctx, "mfa challenge by hash", challengeByHashSQL, []any{hash}, row.fields()...); err != nil {
		return domain.MFAChallenge{}, err
	}
	return row.domain(), nil
}

// Attempt is domain.MFAChallenge.Usable as one conditional UPDATE: each
// winner raises attempts, so parallel tries past the budget match nothing.
func (r *MFAChallenges) Attempt(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	n, err := r.db.exec(ctx, "count mfa attempt", "UPDATE mfa_challenges SET attempts = attempts + 1 "+
		"WHERE hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?", hash, ts(now), domain.MaxMFAAttempts)
	return err == nil && n == 1, err
}

// Spend marks the challenge used in one conditional UPDATE.
func (r *MFAChallenges) Spend(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	n, err := r.db.exec(ctx, "spend mfa challenge",
		"UPDATE mfa_challenges SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?", ts(now), hash, ts(now))
	return err == nil && n == 1, err
}

// Purge deletes at most limit challenges that expired before cutoff, in
// one index-ordered DELETE (purge.go).
func (r *MFAChallenges) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	if limit < 1 {
		return 0, nil
	}
	return purgeBatch(ctx, r.db, "mfa_challenges", "hash", []string{"expires_at"}, ts(cutoff), limit)
}
