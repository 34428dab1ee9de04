package gormstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// The hottest reads (a refresh's session+user, /me's and login's user) go
// to database/sql on GORM's own pool, same connections and driver, and are
// scanned directly, skipping GORM's statement builder and reflective scan,
// the largest share of their allocations. Everything else stays on GORM.

// rebind rewrites ? placeholders into the dialect's syntax: database/sql
// passes the query through untouched, and Postgres wants $1, $2, …
// authd's queries have no ? inside literals.
func rebind(dialect, query string) string {
	if dialect != "postgres" {
		return query
	}
	var b strings.Builder
	n := 0
	for {
		i := strings.IndexByte(query, '?')
		if i < 0 {
			b.WriteString(query)
			return b.String()
		}
		n++
		b.WriteString(query[:i])
		b.WriteString("$" + strconv.Itoa(n))
		query = query[i+1:]
	}
}

// userColumns are userRow's columns, in the order of its fields().
const userColumns = "id, email, role, password_hash, email_verified, created_at, updated_at"

// fields are the scan destinations of userColumns.
func (u *userRow) fields() []any {
	return []any{&u.ID, &u.Email, &u.Role, &u.PasswordHash, &u.EmailVerified, &u.CreatedAt, &u.UpdatedAt}
}

// queryRow runs a one-row query on GORM's pool into dest; errors are
// classified under op (no row is domain.ErrNotFound). On Postgres and
// MySQL it is bounded by Pool.QueryTimeout; on SQLite, see inProcessRead.
func (r repo) queryRow(ctx context.Context, op, query string, args []any, dest ...any) error {
	db, err := r.db.DB()
	if err != nil {
		return classify(err, op)
	}
	if r.db.Dialector.Name() == "sqlite" {
		return classify(inProcessRead(ctx, db, query, args, dest), op)
	}
	ctx, cancel := withTimeout(ctx, r.pool.QueryTimeout)
	defer cancel()
	return classify(db.QueryRowContext(ctx, query, args...).Scan(dest...), op)
}

// inProcessRead is queryRow on SQLite: it waits for a connection as long
// as ctx lives, then reads without ctx. The read is a B-tree lookup inside
// this process, and in WAL mode a reader does not wait for writers, so
// there is little to interrupt (another process's checkpoint or recovery
// is waited out under the 5 s busy_timeout). The wait for the connection
// ends when its holder is done, and holders are bounded: other reads, and
// writes under Pool.QueryTimeout and busy_timeout. A deadline or a
// cancelable context on the read would cost a timer and two goroutines per
// read (database/sql's watcher and the driver's interrupter).
func inProcessRead(ctx context.Context, db *sql.DB, query string, args, dest []any) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.QueryRowContext(context.Background(), query, args...).Scan(dest...)
}

// exec runs a statement on GORM's pool, bounded by Pool.QueryTimeout, and
// returns the rows it matched; errors are classified under op.
func (r repo) exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	ctx, cancel := withTimeout(ctx, r.pool.QueryTimeout)
	defer cancel()
	db, err := r.db.DB()
	if err != nil {
		return 0, classify(err, op)
	}
	res, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, classify(err, op)
	}
	n, err := res.RowsAffected()
	return n, classify(err, op)
}
