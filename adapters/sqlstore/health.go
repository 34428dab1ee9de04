package sqlstore

import "context"

// Health implements ports.HealthChecker: a ping, then a write check.
type Health struct{ db *DB }

// NewHealth returns a health check on db.
func NewHealth(db *DB) *Health { return &Health{db: db} }

// writeCheckSQL is an UPDATE that matches no row. Every backend refuses it
// as it would any write (read-only transaction or replica, read-only file,
// missing grant) before looking at rows; on a writable database it changes
// nothing and matches no row to lock (SQLite takes its write lock for the
// moment, as any write does).
const writeCheckSQL = "UPDATE sessions SET generation = generation WHERE 1 = 0"

// Ping returns nil when the database answers within ctx's deadline and
// would accept a write to sessions, else an error wrapping
// domain.ErrUnavailable: a database that refuses writes is not ready, since
// every login and refresh writes.
func (h *Health) Ping(ctx context.Context) error {
	sqlDB := h.db.sql
	if err := sqlDB.PingContext(ctx); err != nil {
		return unreachable(err, "ping") // whatever the cause, it does not answer
	}
	if _, err := sqlDB.ExecContext(ctx, writeCheckSQL); err != nil {
		return unreachable(err, "write check")
	}
	return nil
}
