package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/authd-dev/authd/domain"
)

// sessionUserSQL is portable to SQLite, Postgres and MySQL but for the
// placeholder (see sessionUserQuery).
const sessionUserSQL = "SELECT s.id, s.user_id, s.generation, s.salt, s.created_at, s.rotated_at, s.last_used_at, " +
	"s.expires_at, s.max_expires_at, s.revoked_at, s.revoke_reason, s.user_agent, s.ip, " +
	"u.id, u.email, u.role, u.password_hash, u.created_at, u.updated_at " +
	"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"

// sessionUserQuery is sessionUserSQL in the dialect's placeholder syntax:
// it goes straight to database/sql, which does not rewrite placeholders.
func sessionUserQuery(dialect string) string {
	if dialect == "postgres" {
		return strings.Replace(sessionUserSQL, "?", "$1", 1)
	}
	return sessionUserSQL
}

// ByIDWithUser reads session id and its user in one query (a refresh then
// costs two round trips, this and the conditional UPDATE, instead of three).
//
// It is every refresh's read, so it bypasses GORM's statement builder and
// reflective scanning for database/sql on GORM's own pool (same
// connections, same driver): measured, GORM's path was over half of a
// refresh's allocations.
func (r *Sessions) ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error) {
	ctx, cancel := withTimeout(ctx, r.pool.QueryTimeout)
	defer cancel()
	db, err := r.db.DB()
	if err != nil {
		return domain.Session{}, domain.User{}, classify(err, "session with user by id")
	}
	var s sessionRow
	var u userRow
	err = db.QueryRowContext(ctx, r.sessionUserQuery, id).Scan(
		&s.ID, &s.UserID, &s.Generation, &s.Salt, &s.CreatedAt, &s.RotatedAt, &s.LastUsedAt,
		&s.ExpiresAt, &s.MaxExpiresAt, &s.RevokedAt, &s.RevokeReason, &s.UserAgent, &s.IP,
		&u.ID, &u.Email, &u.Role, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return domain.Session{}, domain.User{}, fmt.Errorf("gormstore: session with user by id: %w", domain.ErrNotFound)
	case err != nil:
		return domain.Session{}, domain.User{}, classify(err, "session with user by id")
	}
	du, err := u.domain()
	if err != nil {
		return domain.Session{}, domain.User{}, fmt.Errorf("gormstore: session with user: stored user %s: %w", u.ID, err)
	}
	return s.domain(), du, nil
}
