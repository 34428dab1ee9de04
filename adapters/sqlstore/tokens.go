package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/authd-dev/authd/domain"
)

// Tokens implements ports.OneTimeTokenRepository.
type Tokens struct{ repo }

// NewTokens returns the one-time token repository on db; each call is
// bounded by pool.QueryTimeout.
func NewTokens(db *DB) *Tokens { return &Tokens{repo: newRepo(db)} }

// tokenRow is the one_time_tokens table; a NULL used_at is unused.
type tokenRow struct {
	Hash      []byte       `gorm:"column:hash;primaryKey"`
	UserID    string       `gorm:"column:user_id"`
	Purpose   string       `gorm:"column:purpose"`
	CreatedAt time.Time    `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt time.Time    `gorm:"column:expires_at"`
	UsedAt    sql.NullTime `gorm:"column:used_at"`
}

func (tokenRow) TableName() string { return "one_time_tokens" }

func toTokenRow(t domain.OneTimeToken) tokenRow {
	st := t.State()
	return tokenRow{Hash: st.Hash, UserID: st.UserID, Purpose: string(st.Purpose),
		CreatedAt: ts(st.CreatedAt), ExpiresAt: ts(st.ExpiresAt), UsedAt: nullTime(st.UsedAt)}
}

func (r tokenRow) domain() domain.OneTimeToken {
	return domain.RestoreOneTimeToken(domain.OneTimeTokenState{Hash: r.Hash, UserID: r.UserID,
		Purpose: domain.TokenPurpose(r.Purpose), CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, UsedAt: fromNull(r.UsedAt)})
}

// Create inserts t; a token of an unknown user violates the foreign key.
func (r *Tokens) Create(ctx context.Context, t domain.OneTimeToken) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	return classifyToken(insertToken(db, t), "create token", t)
}

// Replace voids the user's unused tokens of t's purpose and inserts t, in
// one transaction.
func (r *Tokens) Replace(ctx context.Context, t domain.OneTimeToken) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	err := db.Transaction(func(tx *gorm.DB) error {
		if _, err := voidTokens(tx, t.UserID(), t.Purpose(), t.CreatedAt()); err != nil {
			return err
		}
		return insertToken(tx, t)
	})
	return classifyToken(err, "replace token", t)
}

func insertToken(db *gorm.DB, t domain.OneTimeToken) error {
	row := toTokenRow(t)
	return db.Create(&row).Error
}

func classifyToken(err error, op string, t domain.OneTimeToken) error {
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return fmt.Errorf("sqlstore: %s: user %s: %w", op, t.UserID(), domain.ErrNotFound)
	}
	return classify(err, op)
}

// ByHash returns the token with hash, or domain.ErrNotFound.
func (r *Tokens) ByHash(ctx context.Context, hash []byte) (domain.OneTimeToken, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	var row tokenRow
	if err := db.Where("hash = ?", hash).Take(&row).Error; err != nil {
		return domain.OneTimeToken{}, classify(err, "token by hash")
	}
	return row.domain(), nil
}

// Void marks userID's unused tokens of purpose used at now.
func (r *Tokens) Void(ctx context.Context, userID string, purpose domain.TokenPurpose, now time.Time) (int, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	n, err := voidTokens(db, userID, purpose, now)
	return n, classify(err, "void tokens")
}

func voidTokens(db *gorm.DB, userID string, purpose domain.TokenPurpose, now time.Time) (int, error) {
	res := db.Exec("UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
		ts(now), userID, string(purpose))
	return int(res.RowsAffected), res.Error
}

// Purge deletes at most limit tokens used or expired before cutoff, used
// ones first, each in one index-ordered DELETE (purge.go).
func (r *Tokens) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	return purgeBatch(ctx, r.repo.store, "one_time_tokens", "hash", []string{"used_at", "expires_at"}, ts(cutoff), limit)
}
