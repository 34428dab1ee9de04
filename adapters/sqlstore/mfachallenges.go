package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/authd-dev/authd/domain"
)

// MFAChallenges implements ports.MFAChallengeRepository.
type MFAChallenges struct{ repo }

// NewMFAChallenges returns the second-login-step repository on db; each
// call is bounded by pool.QueryTimeout.
func NewMFAChallenges(db *DB) *MFAChallenges {
	return &MFAChallenges{repo: newRepo(db)}
}

// Create inserts c; an unknown user violates the foreign key and is
// domain.ErrNotFound.
func (r *MFAChallenges) Create(ctx context.Context, c domain.MFAChallenge) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	row := toChallengeRow(c)
	err := db.Create(&row).Error
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return fmt.Errorf("sqlstore: create mfa challenge: user %s: %w", c.UserID(), domain.ErrNotFound)
	}
	return classify(err, "create mfa challenge")
}

// ByHash returns the challenge of hash, or domain.ErrNotFound.
func (r *MFAChallenges) ByHash(ctx context.Context, hash []byte) (domain.MFAChallenge, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	var row challengeRow
	if err := db.Where("hash = ?", hash).Take(&row).Error; err != nil {
		return domain.MFAChallenge{}, classify(err, "mfa challenge by hash")
	}
	return row.domain(), nil
}

// Attempt is domain.MFAChallenge.Usable as one conditional UPDATE: each
// winner raises attempts, so parallel tries past the budget match nothing.
func (r *MFAChallenges) Attempt(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Exec("UPDATE mfa_challenges SET attempts = attempts + 1 "+
		"WHERE hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?", hash, ts(now), domain.MaxMFAAttempts)
	if res.Error != nil {
		return false, classify(res.Error, "count mfa attempt")
	}
	return res.RowsAffected == 1, nil
}

// Spend marks the challenge used in one conditional UPDATE.
func (r *MFAChallenges) Spend(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Exec("UPDATE mfa_challenges SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?",
		ts(now), hash, ts(now))
	if res.Error != nil {
		return false, classify(res.Error, "spend mfa challenge")
	}
	return res.RowsAffected == 1, nil
}

// Purge deletes at most limit challenges that expired before cutoff, in
// one index-ordered DELETE (purge.go).
func (r *MFAChallenges) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	if limit < 1 {
		return 0, nil
	}
	return purgeBatch(ctx, r.repo.store, "mfa_challenges", "hash", []string{"expires_at"}, ts(cutoff), limit)
}
