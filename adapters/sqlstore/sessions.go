package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/authd-dev/authd/domain"
)

// Sessions implements ports.SessionRepository.
type Sessions struct {
	repo
	// in the dialect's placeholder syntax
	sessionUserQuery, rotateQuery, overLimitQuery string
}

// NewSessions returns the session repository on db; each call is bounded by
// pool.QueryTimeout.
func NewSessions(db *DB) *Sessions {
	d := db.Dialect()
	return &Sessions{repo: newRepo(db), sessionUserQuery: rebind(d, sessionUserSQL), rotateQuery: RotateSQL(d),
		overLimitQuery: overLimitSQL(d)}
}

// liveAt is the SQL form of domain.Session.Live; it takes now twice.
const liveAt = "revoked_at IS NULL AND expires_at > ? AND (max_expires_at IS NULL OR max_expires_at > ?)"

// Create inserts s. A session of an unknown (or concurrently deleted) user
// violates the foreign key and is domain.ErrNotFound.
func (r *Sessions) Create(ctx context.Context, s domain.Session) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	row := toSessionRow(s)
	err := db.Create(&row).Error
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return fmt.Errorf("sqlstore: create session: user %s: %w", s.UserID(), domain.ErrNotFound)
	}
	return classify(err, "create session")
}

// ByID returns the session with id, or domain.ErrNotFound.
func (r *Sessions) ByID(ctx context.Context, id string) (domain.Session, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	var row sessionRow
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.Session{}, classify(err, "session by id")
	}
	return row.domain(), nil
}

// ListLive returns userID's live sessions at now, newest first.
func (r *Sessions) ListLive(ctx context.Context, userID string, now time.Time) ([]domain.Session, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	now = ts(now)
	var rows []sessionRow
	err := db.Where("user_id = ? AND "+liveAt, userID, now, now).
		Order("created_at DESC").Order("id DESC").Find(&rows).Error
	if err != nil {
		return nil, classify(err, "list live sessions")
	}
	out := make([]domain.Session, len(rows))
	for i, row := range rows {
		out[i] = row.domain()
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
func RotateSQL(dialect string) string { return rebind(dialect, rotateSQL) }

// Rotate stores next if the row is still live at generation
// next.Generation()-1: one conditional UPDATE, no read and no row lock held
// across statements, so of concurrent rotators exactly one matches the row.
// RowsAffected is the number of matched rows on every backend (OpenMySQL
// sets clientFoundRows; the generation changes anyway). Every refresh runs
// it, so it goes through database/sql (rawsql.go).
func (r *Sessions) Rotate(ctx context.Context, next domain.Session, now time.Time) (bool, error) {
	if next.Generation() < 2 {
		return false, nil // generation 1 is never a successor
	}
	st, now := toSessionRow(next), ts(now)
	n, err := r.exec(ctx, "rotate session", r.rotateQuery, st.Generation, st.RotatedAt, st.LastUsedAt,
		st.ExpiresAt, st.UserAgent, st.IP, st.ID, st.Generation-1, now, now)
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// Revoke ends session id unless it already ended; the first reason stays.
func (r *Sessions) Revoke(ctx context.Context, id string, now time.Time, reason string) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Exec("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL",
		ts(now), reason, id)
	if res.Error != nil {
		return false, classify(res.Error, "revoke session")
	}
	return res.RowsAffected == 1, nil
}

// RevokeAllForUser ends every unrevoked session of userID but exceptID.
func (r *Sessions) RevokeAllForUser(ctx context.Context, userID, exceptID string, now time.Time, reason string) (int, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Exec("UPDATE sessions SET revoked_at = ?, revoke_reason = ? "+
		"WHERE user_id = ? AND id <> ? AND revoked_at IS NULL", ts(now), reason, userID, exceptID)
	if res.Error != nil {
		return 0, classify(res.Error, "revoke user sessions")
	}
	return int(res.RowsAffected), nil
}

// Purge deletes at most limit sessions that ended (revoked or expired)
// before cutoff: first revoked ones, then expired ones, each in one
// index-ordered DELETE (purge.go). max_expires_at needs no pass of its own:
// the domain caps expires_at at it, so a session past its maximum age is
// past its expiry too.
func (r *Sessions) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	return purgeBatch(ctx, r.repo, "sessions", "id", []string{"revoked_at", "expires_at"}, ts(cutoff), limit)
}

// CountLive counts sessions live at now.
func (r *Sessions) CountLive(ctx context.Context, now time.Time) (int, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	now = ts(now)
	var n int64
	if err := db.Model(&sessionRow{}).Where(liveAt, now, now).Count(&n).Error; err != nil {
		return 0, classify(err, "count live sessions")
	}
	return int(n), nil
}
