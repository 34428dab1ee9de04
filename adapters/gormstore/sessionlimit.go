package gormstore

import (
	"context"
	"time"
)

// overLimitSQL ends a user's live sessions ranked past the limit, keeping
// one id. The inner SELECT sits in a derived table because MySQL refuses
// a subquery on the table being updated, and its LIMIT (which MySQL and
// SQLite require with OFFSET; no user has a billion sessions) keeps MySQL
// from merging it back. The outer "revoked_at IS NULL" keeps the first
// reason when another statement ended a row meanwhile.
const overLimitSQL = "UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE revoked_at IS NULL AND id IN (" +
	"SELECT id FROM (SELECT id FROM sessions WHERE user_id = ? AND id <> ? AND " + liveAt +
	" ORDER BY last_used_at DESC, created_at DESC, id DESC LIMIT 1000000000 OFFSET ?) AS over_limit)"

// RevokeOverLimit ends userID's live sessions beyond the limit most
// recently used, keeping keepID, in one UPDATE. The statement reads the
// rows it ranks from one snapshot (Postgres, SQLite) or with locking reads
// (MySQL), so it sees every session committed before it began.
func (r *Sessions) RevokeOverLimit(ctx context.Context, userID, keepID string, limit int, now time.Time, reason string) (int, error) {
	if limit < 1 {
		return 0, nil
	}
	now = ts(now)
	n, err := r.exec(ctx, "revoke sessions over the limit", r.overLimitQuery,
		now, reason, userID, keepID, now, now, limit-1)
	return int(n), err
}
