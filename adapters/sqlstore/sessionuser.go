package sqlstore

import (
	"context"
	"fmt"

	"github.com/authd-dev/authd/domain"
)

// sessionUserSQL is portable to SQLite, Postgres and MySQL (after rebind).
const sessionUserSQL = "SELECT s.id, s.user_id, s.generation, s.salt, s.created_at, s.rotated_at, s.last_used_at, " +
	"s.expires_at, s.max_expires_at, s.revoked_at, s.revoke_reason, s.user_agent, s.ip, s.amr, " +
	"u.id, u.email, u.role, u.password_hash, u.email_verified, u.created_at, u.updated_at " +
	"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"

// ByIDWithUser reads session id and its user in one query (a refresh then
// costs two round trips, this and the conditional UPDATE, instead of three).
// It is every refresh's read, so it goes through database/sql (rawsql.go).
func (r *Sessions) ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error) {
	var s sessionRow
	var u userRow
	dest := append([]any{&s.ID, &s.UserID, &s.Generation, &s.Salt, &s.CreatedAt, &s.RotatedAt, &s.LastUsedAt,
		&s.ExpiresAt, &s.MaxExpiresAt, &s.RevokedAt, &s.RevokeReason, &s.UserAgent, &s.IP, &s.AMR}, u.fields()...)
	if err := r.queryRow(ctx, "session with user by id", r.sessionUserQuery, []any{id}, dest...); err != nil {
		return domain.Session{}, domain.User{}, err
	}
	du, err := u.domain()
	if err != nil {
		return domain.Session{}, domain.User{}, fmt.Errorf("sqlstore: session with user: stored user %s: %w", u.ID, err)
	}
	return s.domain(), du, nil
}
