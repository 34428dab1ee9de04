package gormstore

import (
	"context"
	"fmt"

	"github.com/authd-dev/authd/domain"
)

// sessionUserRow is one row of sessions joined with its user; the user's
// columns carry a u_ prefix.
type sessionUserRow struct {
	Session sessionRow `gorm:"embedded"`
	User    userRow    `gorm:"embedded;embeddedPrefix:u_"`
}

// sessionUserSQL is portable to SQLite, Postgres and MySQL.
const sessionUserSQL = "SELECT s.id, s.user_id, s.generation, s.salt, s.created_at, s.rotated_at, s.last_used_at, " +
	"s.expires_at, s.max_expires_at, s.revoked_at, s.revoke_reason, s.user_agent, s.ip, " +
	"u.id AS u_id, u.email AS u_email, u.role AS u_role, u.password_hash AS u_password_hash, " +
	"u.created_at AS u_created_at, u.updated_at AS u_updated_at " +
	"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"

// ByIDWithUser reads session id and its user in one query (a refresh then
// costs two round trips, this and the conditional UPDATE, instead of three).
func (r *Sessions) ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	var rows []sessionUserRow
	// Find, not Scan: GORM's Scan records the statement through a logger
	// that always renders the SQL with its values interpolated (regexps,
	// a tenth of a refresh's allocations), even when logging is off.
	if err := db.Raw(sessionUserSQL, id).Find(&rows).Error; err != nil {
		return domain.Session{}, domain.User{}, classify(err, "session with user by id")
	}
	if len(rows) == 0 {
		return domain.Session{}, domain.User{}, fmt.Errorf("gormstore: session with user by id: %w", domain.ErrNotFound)
	}
	u, err := rows[0].User.domain()
	if err != nil {
		return domain.Session{}, domain.User{}, fmt.Errorf("gormstore: session with user: stored user %s: %w", rows[0].User.ID, err)
	}
	return rows[0].Session.domain(), u, nil
}
