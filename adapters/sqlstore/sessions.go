package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/authd-dev/authd/domain"
)

// Sessions implements ports.SessionRepository.
type Sessions struct {
	db        *DB
	overLimit overLimitStmt // RevokeOverLimit's UPDATE in db's dialect
}

// NewSessions returns the session repository on db; each call is bounded by
// pool.QueryTimeout. An unknown dialect panics.
func NewSessions(db *DB) *Sessions {
	return &Sessions{db: db, overLimit: overLimitFor(db.Dialect())}
}

// liveAt is the SQL form of domain.Session.Live; it takes now twice.
const liveAt = "revoked_at IS NULL AND expires_at > ? AND (max_expires_at IS NULL OR max_expires_at > ?)"

// The statements of Sessions.
var insertSessionSQL = insertSQL("sessions", sessionColumns)

const (
	sessionByIDSQL  = "SELECT " + sessionColumns + " FROM sessions WHERE id = ?"
	liveSessionsSQL = "SELECT " + sessionColumns + " FROM sessions WHERE user_id = ? AND " + liveAt +
		" ORDER BY created_at DESC, id DESC"
	revokeSessionSQL      = "UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL"
	revokeUserSessionsSQL = "UPDATE sessions SET revoked_at = ?, revoke_reason = ? " +
		"WHERE user_id = ? AND id <> ? AND revoked_at IS NULL"
	countLiveSQL = "SELECT COUNT(*) FROM sessions WHERE " + liveAt
)

// noSession is the exceptID that spares no session in
// revokeUserSessionsSQL: session ids are never empty.
const noSession = ""

// Create inserts s. A session of an unknown (or concurrently deleted) user
// violates the foreign key and is domain.ErrNotFound.
func (r *Sessions) Create(ctx context.Context, s domain.Session) error {
	_, err := r.db.exec(ctx, "create session", insertSessionSQL, toSessionRow(s).values()...)
	return unknownUser(err, "create session", s.UserID())
}

// ByID returns the session with id, or domain.ErrNotFound.
func (r *Sessions) ByID(ctx context.Context, id string) (domain.Session, error) {
	var row sessionRow
	if err := r.db.queryRow(ctx, "session by id", sessionByIDSQL, []any{id}, row.fields()...); err != nil {
		return domain.Session{}, err
	}
	return row.domain(), nil
}

// ListLive returns userID's live sessions at now, newest first.
func (r *Sessions) ListLive(ctx context.Context, userID string, now time.Time) ([]domain.Session, error) {
	now = ts(now)
	out := []domain.Session{}
	err := r.db.query(ctx, "list live sessions", liveSessionsSQL, []any{userID, now, now}, func(rows *sql.Rows) error {
		var row sessionRow
		if err := rows.Scan(row.fields()...); err != nil {
			return err
		}
		out = append(out, row.domain())
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rotateSQL is the conditional rotation; RotateSQL renders it per dialect.
const rotateSQL = "UPDATE sessions SET generation = ?, rotated_at = ?, last_used_at = ?, expires_at = ?, " +
	"user_agent = ?, ip = ? WHERE id = ? AND generation = ? AND " + liveAt

// RotateSQL is Rotate's statement in dialect's placeholder syntax, exported
// so the load tool's storage floor issues exactly the repository's UPDATE.
// Its arguments: generation, rotated_at, last_used_at, expires_at,
// user_agent, ip, id, previous generation, now, now.
func RotateSQL(dialect string) string { return (&DB{dialect: dialect}).Rebind(rotateSQL) }

// Rotate stores next if the row is still live at generation
// next.Generation()-1: one conditional UPDATE, no read and no row lock held
// across statements, so of concurrent rotators exactly one matches the row.
// The count is of matched rows on every backend (OpenMySQL sets
// clientFoundRows; the generation changes anyway).
func (r *Sessions) Rotate(ctx context.Context, next domain.Session, now time.Time) (bool, error) {
	if next.Generation() < 2 {
		return false, nil // generation 1 is never a successor
	}
	st, now := toSessionRow(next), ts(now)
	n, err := r.db.exec(ctx, "rotate session", rotateSQL, st.Generation, st.RotatedAt, st.LastUsedAt,
		st.ExpiresAt, st.UserAgent, st.IP, st.ID, st.Generation-1, now, now)
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// Revoke ends session id unless it already ended; the first reason stays.
func (r *Sessions) Revoke(ctx context.Context, id string, now time.Time, reason string) (bool, error) {
	n, err := r.db.exec(ctx, "revoke session", revokeSessionSQL, ts(now), reason, id)
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// RevokeAllForUser ends every unrevoked session of userID but exceptID.
func (r *Sessions) RevokeAllForUser(ctx context.Context, userID, exceptID string, now time.Time, reason string) (int, error) {
	n, err := r.db.exec(ctx, "revoke user sessions", revokeUserSessionsSQL, ts(now), reason, userID, exceptID)
	return int(n), err
}

// Purge deletes at most limit sessions that ended (revoked or expired)
// before cutoff: first revoked ones, then expired ones, each in one
// index-ordered DELETE (purge.go). max_expires_at needs no pass of its own:
// the domain caps expires_at at it, so a session past its maximum age is
// past its expiry too.
func (r *Sessions) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	return purgeBatch(ctx, r.db, "sessions", "id", []string{"revoked_at", "expires_at"}, ts(cutoff), limit)
}

// CountLive counts sessions live at now.
func (r *Sessions) CountLive(ctx context.Context, now time.Time) (int, error) {
	now = ts(now)
	var n int64
	if err := r.db.queryRow(ctx, "count live sessions", countLiveSQL, []any{now, now}, &n); err != nil {
		return 0, err
	}
	return int(n), nil
}
