package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// overLimitSelect ranks a user's live sessions but one, most recently used
// first, and skips the first OFFSET of them. LIMIT is there because MySQL
// and SQLite require it with OFFSET (no user has a billion sessions).
const overLimitSelect = "SELECT id FROM sessions WHERE user_id = ? AND id <> ? AND " + liveAt +
	" ORDER BY last_used_at DESC, created_at DESC, id DESC LIMIT 1000000000 OFFSET ?"

// overLimitStmt is RevokeOverLimit's UPDATE in one dialect and where its
// SET arguments go relative to the ranking's.
type overLimitStmt struct {
	query    string
	setFirst bool
}

// overLimitFor ends the sessions overLimitSelect yields, joined to them by
// primary key: each backend ranks the user's rows through the user_id index
// and then touches only the rows it ends. (An "id IN (subquery)" form made
// MariaDB scan the whole table and SQLite every live session.) The
// "revoked_at IS NULL" keeps the first reason of a row another statement
// ended meanwhile. MySQL has its own multi-table UPDATE syntax, which puts
// the subquery's arguments first; Postgres and SQLite take UPDATE … FROM.
func overLimitFor(dialect string) overLimitStmt {
	switch dialect {
	case DriverMySQL:
		return overLimitStmt{query: "UPDATE sessions JOIN (" + overLimitSelect + ") AS over_limit ON sessions.id = over_limit.id " +
			"SET sessions.revoked_at = ?, sessions.revoke_reason = ? WHERE sessions.revoked_at IS NULL"}
	case DriverPostgres, DriverSQLite:
		return overLimitStmt{setFirst: true, query: "UPDATE sessions SET revoked_at = ?, revoke_reason = ? FROM (" +
			overLimitSelect + ") AS over_limit WHERE sessions.id = over_limit.id AND sessions.revoked_at IS NULL"}
	}
	panic(fmt.Sprintf("sqlstore: sessions: unknown dialect %q", dialect))
}

// args orders the ranking's and the SET's arguments for the statement.
func (s overLimitStmt) args(rank, set []any) []any {
	if s.setFirst {
		return append(set, rank...)
	}
	return append(rank, set...)
}

// RevokeOverLimit ends userID's live sessions beyond the limit most
// recently used, keeping keepID, in one UPDATE. Each backend evaluates the
// ranking against every session committed before the statement began.
func (r *Sessions) RevokeOverLimit(ctx context.Context, userID, keepID string, limit int, now time.Time, reason string) (int, error) {
	if limit < 1 {
		return 0, nil
	}
	now = ts(now)
	rank := []any{userID, keepID, now, now, limit - 1}
	set := []any{now, reason}
	n, err := r.db.exec(ctx, "revoke sessions over the limit", r.overLimit.query, r.overLimit.args(rank, set)...)
	return int(n), err
}
