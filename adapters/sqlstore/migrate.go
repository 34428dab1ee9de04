package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

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
// by running Migrate again.
func Migrate(ctx context.Context, db *DB, emails ports.EmailNormaliser) error {
	return migrate(ctx, db.orm(), migrationEnv{emails: emails})
}

func migrate(ctx context.Context, db *gorm.DB, env migrationEnv) error {
	dialect := db.Dialector.Name()
	if _, ok := schemaTable[dialect]; !ok {
		return fmt.Errorf("sqlstore: migrate: unsupported dialect %q", dialect)
	}
	err := db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		if upToDate(conn) {
			return nil
		}
		if dialect == "sqlite" {
			return applyPending(conn, dialect, env, func(fn func(*gorm.DB) error) error { return immediate(conn, fn) })
		}
		unlock, err := lock(conn, dialect)
		if err != nil {
			return err
		}
		defer unlock()
		return applyPending(conn, dialect, env, func(fn func(*gorm.DB) error) error { return conn.Transaction(fn) })
	})
	return classify(err, "migrate")
}

// upToDate reports whether every known migration is recorded. Any error
// (no schema_migrations table yet) means "not known to be": the locked
// path below then creates, checks again and applies.
func upToDate(conn *gorm.DB) bool {
	// A new session, so the expected error does not stick to conn.
	done, err := appliedVersions(conn.Session(&gorm.Session{}))
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

func appliedVersions(conn *gorm.DB) (map[int]bool, error) {
	var applied []int
	if err := conn.Raw("SELECT version FROM schema_migrations").Scan(&applied).Error; err != nil {
		return nil, err
	}
	done := make(map[int]bool, len(applied))
	for _, v := range applied {
		done[v] = true
	}
	return done, nil
}

// immediate runs fn in a BEGIN IMMEDIATE transaction on conn: SQLite's
// write lock is the mutual exclusion between processes (another one waits
// on busy_timeout). BEGIN is issued by hand so it is IMMEDIATE whatever
// the DSN's _txlock says.
func immediate(conn *gorm.DB, fn func(*gorm.DB) error) (err error) {
	if err := conn.Exec("BEGIN IMMEDIATE").Error; err != nil {
		return err
	}
	defer func() {
		if err != nil {
			conn.Exec("ROLLBACK")
			return
		}
		err = conn.Exec("COMMIT").Error
	}()
	return fn(conn)
}

// lock takes the cross-replica migration lock on conn's session.
func lock(conn *gorm.DB, dialect string) (func(), error) {
	switch dialect {
	case "postgres":
		if err := conn.Exec("SELECT pg_advisory_lock(?)", migrateLockKey).Error; err != nil {
			return nil, err
		}
		return func() { detached(conn).Exec("SELECT pg_advisory_unlock(?)", migrateLockKey) }, nil
	default: // mysql
		var got *int
		if err := conn.Raw("SELECT GET_LOCK(?, ?)", migrateLockName, migrateLockSecs).Scan(&got).Error; err != nil {
			return nil, err
		}
		if got == nil || *got != 1 {
			return nil, errors.New("timed out waiting for the migration lock")
		}
		return func() { detached(conn).Exec("SELECT RELEASE_LOCK(?)", migrateLockName) }, nil
	}
}

// detached runs the unlock even when the caller's ctx has ended: a session
// lock left on a pooled connection would block every later migration.
func detached(conn *gorm.DB) *gorm.DB {
	return conn.WithContext(context.WithoutCancel(conn.Statement.Context))
}

// transactor runs its function in one transaction on the migrating connection.
type transactor func(func(*gorm.DB) error) error

// applyPending creates schema_migrations, then applies each unapplied step
// and records it.
func applyPending(conn *gorm.DB, dialect string, env migrationEnv, txn transactor) error {
	if err := conn.Exec(schemaTable[dialect]).Error; err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	done, err := appliedVersions(conn)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		if err := apply(conn, m, m.sql[dialect], env, txn); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// apply runs m's online data step, if any, in its own batches, then m's
// statements and the row recording m in one transaction, so m is recorded
// only once all of it is done.
func apply(conn *gorm.DB, m migration, stmts []string, env migrationEnv, txn transactor) error {
	if m.online != nil {
		if err := m.online(conn, txn, env); err != nil {
			return err
		}
	}
	return txn(func(tx *gorm.DB) error {
		// SQLite holds no lock between steps: another process may have
		// applied this one meanwhile.
		var n int
		if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n).Error; err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if n > 0 {
			return nil
		}
		for _, stmt := range stmts {
			if err := tx.Exec(stmt).Error; err != nil {
				return err
			}
		}
		return tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
			m.version, ts(time.Now())).Error
	})
}
