package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/authd-dev/authd/domain"
)

// Tokens implements ports.OneTimeTokenRepository.
type Tokens struct {
	db *DB
}

// NewTokens returns the one-time token repository on db; each call is
// bounded by pool.QueryTimeout.
func NewTokens(db *DB) *Tokens { return &Tokens{db: db} }

// tokenRow is the one_time_tokens table; a NULL used_at is unused.
type tokenRow struct {
	Hash      []byte
	UserID    string
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    sql.NullTime
}

// tokenColumns are tokenRow's columns, in the order of its fields() and
// values().
const tokenColumns = "hash, user_id, purpose, created_at, expires_at, used_at"

// fields are the scan destinations of tokenColumns.
func (r *tokenRow) fields() []any {
	return []any{&r.Hash, &r.UserID, &r.Purpose, &r.CreatedAt, &r.ExpiresAt, &r.UsedAt}
}

// values are the insert arguments of tokenColumns.
func (r tokenRow) values() []any {
	return []any{r.Hash, r.UserID, r.Purpose, r.CreatedAt, r.ExpiresAt, r.UsedAt}
}

func toTokenRow(t domain.OneTimeToken) tokenRow {
	st := t.State()
	return tokenRow{Hash: st.Hash, UserID: st.UserID, Purpose: string(st.Purpose),
		CreatedAt: ts(st.CreatedAt), ExpiresAt: ts(st.ExpiresAt), UsedAt: nullTime(st.UsedAt)}
}

func (r tokenRow) domain() domain.OneTimeToken {
	return domain.RestoreOneTimeToken(domain.OneTimeTokenState{Hash: r.Hash, UserID: r.UserID,
		Purpose: domain.TokenPurpose(r.Purpose), CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, UsedAt: fromNull(r.UsedAt)})
}

var (
	insertTokenSQL = insertSQL("one_time_tokens", tokenColumns)
	tokenByHashSQL = "SELECT " + tokenColumns + " FROM one_time_tokens WHERE hash = ?"
)

// voidTokensSQL marks a user's unused tokens of one purpose used.
const voidTokensSQL = "UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL"

// Create inserts t; a token of an unknown user violates the foreign key
// and is domain.ErrNotFound.
func (r *Tokens) Create(ctx context.Context, t domain.OneTimeToken) error {
	_, err := r.db.exec(ctx, "create token", insertTokenSQL, toTokenRow(t).values()...)
	return unknownUser(err, "create token", t.UserID())
}

// Replace voids the user's unused tokens of t's purpose and inserts t, in
// one transaction.
func (r *Tokens) Replace(ctx context.Context, t domain.OneTimeToken) error {
	err := r.db.inTx(ctx, "replace token", func(ctx context.Context, tx runner) error {
		if _, err := tx.exec(ctx, voidTokensSQL, ts(t.CreatedAt()), t.UserID(), string(t.Purpose())); err != nil {
			return err
		}
		_, err := tx.exec(ctx, insertTokenSQL, toTokenRow(t).values()...)
		return err
	})
	return unknownUser(err, "replace token", t.UserID())
}

// ByHash returns the token with hash, or domain.ErrNotFound.
func (r *Tokens) ByHash(ctx context.Context, hash []byte) (domain.OneTimeToken, error) {
	var row tokenRow
	if err := r.db.queryRow(ctx, "token by hash", tokenByHashSQL, []any{hash}, row.fields()...); err != nil {
		return domain.OneTimeToken{}, err
	}
	return row.domain(), nil
}

// Void marks userID's unused tokens of purpose used at now.
func (r *Tokens) Void(ctx context.Context, userID string, purpose domain.TokenPurpose, now time.Time) (int, error) {
	n, err := r.db.exec(ctx, "void tokens", voidTokensSQL, ts(now), userID, string(purpose))
	return int(n), err
}

// Purge deletes at most limit tokens used or expired before cutoff, used
// ones first, each in one index-ordered DELETE (purge.go).
func (r *Tokens) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	return purgeBatch(ctx, r.db, "one_time_tokens", "hash", []string{"used_at", "expires_at"}, ts(cutoff), limit)
}
