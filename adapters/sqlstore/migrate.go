package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/authd-dev/authd/ports"
)

// migrateLockKey names the advisory lock every replica takes before
// migrating (an arbitrary constant shared by all authd versions).
const (
	migrateLockKey  = 0x61757468645f6d67 // "authd_mg"
	migrateLockName = "authd_migrate"
	migrateLockSecs = 60
)

// Migrate applies every pending migration, in order, recording each in
// schema_migrations once it is complete. Replicas starting together
// serialise on a database lock held on one dedicated connection, so no
// step is applied twice. Versions this binary does not know (a newer
// replica migrated first) are left alone: migrations are additive, so an
// older binary keeps working. A schema already up to date is only read,
// so authd starts on a database that refuses writes (a replica) and
// reports it through readiness. emails rewrites stored addresses into
// their normalised form, in batches that each commit on their own; two
// users whose addresses normalise to one make Migrate fail, naming their
// ids, before any row is changed. A run that stops half-way is finished
// by running Migrate again. A dialect other than sqlite, postgres or
// mysql is an error.
func Migrate(ctx context.Context, db *DB, emails ports.EmailNormaliser) error {
	return migrate(ctx, db, migrationEnv{emails: emails})
}

func migrate(ctx context.Context, db *DB, env migrationEnv) error {
	if _, err := schemaTableSQL(db.dialect); err != nil {
		return err
	}
	c, err := db.sql.Conn(ctx)
	if err != nil {
		return classify(err, "migrate")
	}
	defer c.Close()
	return classify(migrateOn(ctx, db, c, env), "migrate")
}

// migrateOn migrates through the dedicated connection c: the lock, every
// statement and every transaction of the run are on it.
func migrateOn(ctx context.Context, db *DB, c *sql.Conn, env migrationEnv) error {
	conn := runner{db, c}
	if upToDate(ctx, conn) {
		return nil
	}
	txn, unlock, err := serialise(ctx, db, c)
	if err != nil {
		return err
	}
	defer unlock()
	return applyPending(ctx, conn, env, txn)
}

// serialise keeps replicas from migrating at once, per dialect: Postgres
// and MySQL hold a session lock on c for the whole run and run each step in
// a transaction on c; SQLite holds nothing between steps and runs each in
// a BEGIN IMMEDIATE transaction, whose write lock excludes other processes.
// The unlock it returns runs even when ctx has ended: a session lock left
// on a pooled connection would block every later migration.
func serialise(ctx context.Context, db *DB, c *sql.Conn) (transactor, func(), error) {
	conn := runner{db, c}
	switch db.dialect {
	case DriverSQLite:
		return func(fn func(tx runner) error) error { return immediate(ctx, conn, fn) }, func() {}, nil
	case DriverPostgres:
		if _, err := conn.exec(ctx, "SELECT pg_advisory_lock(?)", migrateLockKey); err != nil {
			return nil, nil, fmt.Errorf("take the migration lock: %w", err)
		}
		unlock := func() { _, _ = conn.exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrateLockKey) }
		return connTx(ctx, db, c), unlock, nil
	case DriverMySQL:
		var got sql.NullInt64
		if err := conn.queryRow(ctx, "SELECT GET_LOCK(?, ?)", []any{migrateLockName, migrateLockSecs}, &got); err != nil {
			return nil, nil, fmt.Errorf("take the migration lock: %w", err)
		}
		if !got.Valid || got.Int64 != 1 {
			return nil, nil, errors.New("timed out waiting for the migration lock")
		}
		unlock := func() { _, _ = conn.exec(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(?)", migrateLockName) }
		return connTx(ctx, db, c), unlock, nil
	}
	return nil, nil, fmt.Errorf("sqlstore: migrate: unsupported dialect %q", db.dialect)
}

// upToDate reports whether every known migration is recorded. Any error
// (no schema_migrations table yet) means "not known to be": the locked
// path then creates, checks again and applies.
func upToDate(ctx context.Context, conn runner) bool {
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return false
	}
	for _, m := range migrations {
		if !done[m.version] {
			return false
		}
	}
	return true
}

func appliedVersions(ctx context.Context, conn runner) (map[int]bool, error) {
	done := map[int]bool{}
	err := conn.query(ctx, "SELECT version FROM schema_migrations", nil, func(rows *sql.Rows) error {
		var v int
		if err := rows.Scan(&v); err != nil {
			return err
		}
		done[v] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return done, nil
}

// immediate runs fn in a BEGIN IMMEDIATE transaction on conn: SQLite's
// write lock is the mutual exclusion between processes (another one waits
// on busy_timeout). BEGIN is issued by hand so it is IMMEDIATE whatever
// the DSN's _txlock says. The rollback runs even when ctx has ended, so
// the connection never goes back to the pool inside a transaction.
func immediate(ctx context.Context, conn runner, fn func(tx runner) error) (err error) {
	if _, err := conn.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	defer func() {
		if err == nil {
			_, err = conn.exec(ctx, "COMMIT")
		}
		if err != nil {
			_, _ = conn.exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	return fn(conn)
}

// connTx is a transactor running each function in a transaction on c.
func connTx(ctx context.Context, db *DB, c *sql.Conn) transactor {
	return func(fn func(tx runner) error) error {
		tx, err := c.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(runner{db, tx}); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
}

// transactor runs its function in one transaction on the migrating connection.
type transactor func(fn func(tx runner) error) error

// applyPending creates schema_migrations, then applies each unapplied step
// and records it.
func applyPending(ctx context.Context, conn runner, env migrationEnv, txn transactor) error {
	create, err := schemaTableSQL(conn.db.dialect)
	if err != nil {
		return err
	}
	if _, err := conn.exec(ctx, create); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		if err := apply(ctx, conn, m, env, txn); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// apply runs m's online data step, if any, in its own batches, then m's
// statements and the row recording m in one transaction, so m is recorded
// only once all of it is done.
func apply(ctx context.Context, conn runner, m migration, env migrationEnv, txn transactor) error {
	stmts, err := m.statements(conn.db.dialect)
	if err != nil {
		return err
	}
	if m.online != nil {
		if err := m.online(ctx, conn, txn, env); err != nil {
			return err
		}
	}
	return txn(func(tx runner) error {
		// SQLite holds no lock between steps: another process may have
		// applied this one meanwhile.
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", []any{m.version}, &n); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if n > 0 {
			return nil
		}
		for _, stmt := range stmts {
			if _, err := tx.exec(ctx, stmt); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", m.version, ts(time.Now()))
		return err
	})
}
