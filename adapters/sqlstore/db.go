package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// The dialects, named as AUTHD_DB_DRIVER spells them.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
	DriverMySQL    = "mysql" // MariaDB too
)

// DB is an open database: its pool, its dialect and the bound on each
// repository call. Every statement of this package is SQL text run through
// DB's helpers, written with ? placeholders.
type DB struct {
	sql     *sql.DB
	dialect string
	pool    Pool
}

// Open opens dsn with driver ("sqlite", "postgres" or "mysql"), sizes the
// pool and pings within Pool.ConnectTimeout. It does not migrate. An
// unknown driver is an error.
func Open(ctx context.Context, driver, dsn string, pool Pool) (*DB, error) {
	switch driver {
	case DriverSQLite:
		return openSQLite(ctx, dsn, pool)
	case DriverPostgres:
		return openPostgres(ctx, dsn, pool)
	case DriverMySQL:
		return openMySQL(ctx, dsn, pool)
	}
	return nil, fmt.Errorf("sqlstore: unknown driver %q (want sqlite, postgres or mysql)", driver)
}

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }

// Dialect is the driver name db was opened with.
func (db *DB) Dialect() string { return db.dialect }

// SQL is db's pool, for tools that issue their own statements (the load
// tool's storage floor, tests that set up old schemas).
func (db *DB) SQL() *sql.DB { return db.sql }

// Rebind rewrites query's ? placeholders into db's syntax: Postgres wants
// $1, $2, …; the others take ? as written. No query of authd has a ?
// inside a literal.
func (db *DB) Rebind(query string) string {
	if db.dialect != DriverPostgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
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

// forUpdate is the clause that makes a SELECT inside a transaction lock
// its rows until commit. SQLite has none and needs none: its transactions
// hold the database's write lock from BEGIN (_txlock=immediate).
func (db *DB) forUpdate() string {
	if db.dialect == DriverSQLite {
		return ""
	}
	return " FOR UPDATE"
}

// queryer is what statements run on: the pool, a transaction or a conn.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// runner runs statements on q in db's dialect. Its errors are the
// driver's, unclassified: DB's methods and inTx classify them once.
type runner struct {
	db *DB
	q  queryer
}

// exec runs a statement and returns the rows it matched (OpenMySQL sets
// clientFoundRows, so MySQL counts matched rows too).
func (r runner) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := r.q.ExecContext(ctx, r.db.Rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// queryRow scans one row into dest; no row is sql.ErrNoRows.
func (r runner) queryRow(ctx context.Context, query string, args []any, dest ...any) error {
	return r.q.QueryRowContext(ctx, r.db.Rebind(query), args...).Scan(dest...)
}

// query calls each for every row, with the rows positioned on it.
func (r runner) query(ctx context.Context, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := r.q.QueryContext(ctx, r.db.Rebind(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// exec is runner.exec on the pool, bounded by Pool.QueryTimeout; errors
// are classified under op.
func (db *DB) exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	ctx, cancel := withTimeout(ctx, db.pool.QueryTimeout)
	defer cancel()
	n, err := runner{db, db.sql}.exec(ctx, query, args...)
	return n, classify(err, op)
}

// queryRow is runner.queryRow on the pool, bounded by Pool.QueryTimeout;
// no row is domain.ErrNotFound.
func (db *DB) queryRow(ctx context.Context, op, query string, args []any, dest ...any) error {
	ctx, cancel := withTimeout(ctx, db.pool.QueryTimeout)
	defer cancel()
	return classify(runner{db, db.sql}.queryRow(ctx, query, args, dest...), op)
}

// query is runner.query on the pool, bounded by Pool.QueryTimeout.
func (db *DB) query(ctx context.Context, op, query string, args []any, each func(*sql.Rows) error) error {
	ctx, cancel := withTimeout(ctx, db.pool.QueryTimeout)
	defer cancel()
	return classify(runner{db, db.sql}.query(ctx, query, args, each), op)
}

// inTx runs fn in one transaction, bounded by Pool.QueryTimeout as a
// whole: committed if fn returns nil, rolled back otherwise. On SQLite
// the transaction takes the write lock at BEGIN (_txlock=immediate).
// Errors are classified under op.
func (db *DB) inTx(ctx context.Context, op string, fn func(ctx context.Context, tx runner) error) error {
	ctx, cancel := withTimeout(ctx, db.pool.QueryTimeout)
	defer cancel()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return classify(err, op)
	}
	if err := fn(ctx, runner{db, tx}); err != nil {
		_ = tx.Rollback()
		return classify(err, op)
	}
	return classify(tx.Commit(), op)
}

// placeholders is "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// insertSQL is an INSERT of one row into table's columns.
func insertSQL(table, columns string) string {
	return "INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders(strings.Count(columns, ",")+1) + ")"
}
