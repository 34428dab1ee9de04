package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// TestMigrateConcurrentReplicas starts several "replicas" (separate pools)
// migrating one empty database at once, then migrates again: every step is
// recorded exactly once and nothing fails.
func TestMigrateConcurrentReplicas(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			tg := backends.Fresh(t, server)
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for i := 0; i < 4; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					db, err := sqlstore.Open(context.Background(), tg.Driver, tg.DSN, backends.TestPool())
					if err != nil {
						errs <- err
						return
					}
					defer db.Close()
					errs <- sqlstore.Migrate(context.Background(), db, emailnorm.New())
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("concurrent Migrate: %v", err)
				}
			}
			db := backends.Open(t, tg) // migrates once more
			var rows, distinct int
			mustScan(t, db, "SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations", nil, &rows, &distinct)
			if rows == 0 || rows != distinct {
				t.Errorf("schema_migrations has %d rows, %d distinct versions", rows, distinct)
			}
		})
	}
}

// open connects without migrating, as a replica starting up would, and
// closes the pool in t.Cleanup.
func open(t testing.TB, tg backends.Target) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), tg.Driver, tg.DSN, backends.TestPool())
	if err != nil {
		t.Fatalf("open %s: %v", tg.Name, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// mustExec runs query, written with ? placeholders, on db's pool.
func mustExec(t testing.TB, db *sqlstore.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.SQL().ExecContext(context.Background(), db.Rebind(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// mustScan reads the one row query returns into dest.
func mustScan(t testing.TB, db *sqlstore.DB, query string, args []any, dest ...any) {
	t.Helper()
	if err := db.SQL().QueryRowContext(context.Background(), db.Rebind(query), args...).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestUnreachableIsUnavailable: a server that does not answer is
// domain.ErrUnavailable at open, and an ended context is too.
func TestUnreachableIsUnavailable(t *testing.T) {
	ctx := context.Background()
	pool := sqlstore.DefaultPool()
	_, err := sqlstore.Open(ctx, sqlstore.DriverPostgres, "postgres://postgres@127.0.0.1:1/x?sslmode=disable", pool)
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Open postgres on a closed port: %v, want ErrUnavailable", err)
	}
	_, err = sqlstore.Open(ctx, sqlstore.DriverMySQL, "root@tcp(127.0.0.1:1)/x", pool)
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Open mysql on a closed port: %v, want ErrUnavailable", err)
	}
	db := backends.Open(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}))
	ended, cancel := context.WithCancel(ctx)
	cancel()
	_, err = sqlstore.NewUsers(db).ByID(ended, "x")
	if !errors.Is(err, domain.ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("ByID with ended ctx: %v, want ErrUnavailable wrapping context.Canceled", err)
	}
	if err := sqlstore.NewHealth(db).Ping(ended); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Ping with ended ctx: %v, want ErrUnavailable", err)
	}
}

// TestOpenSQLiteDefaults: the parent directory is created and WAL is on.
func TestOpenSQLiteDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "authd.db")
	db, err := sqlstore.Open(context.Background(), sqlstore.DriverSQLite, "file:"+path, sqlstore.DefaultPool())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlstore.Migrate(context.Background(), db, emailnorm.New()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
	var mode string
	var fk, busy int
	mustScan(t, db, "PRAGMA journal_mode", nil, &mode)
	mustScan(t, db, "PRAGMA foreign_keys", nil, &fk)
	mustScan(t, db, "PRAGMA busy_timeout", nil, &busy)
	if mode != "wal" || fk != 1 || busy < 1000 {
		t.Errorf("journal_mode=%q foreign_keys=%d busy_timeout=%d; want wal, 1, >=1000", mode, fk, busy)
	}
	if n := db.SQL().Stats().MaxOpenConnections; n != 1 {
		t.Errorf("max open connections %d; want 1", n)
	}
}

// TestOpenSQLiteConcurrentFreshFile: processes that open one new file at
// once race to switch it to WAL; every opener must still get a database.
// Without openRetryingLocked, some round of 25 loses that race (SQLITE_BUSY)
// in nearly every run.
func TestOpenSQLiteConcurrentFreshFile(t *testing.T) {
	for round := range 25 {
		dsn := "file:" + filepath.Join(t.TempDir(), "authd.db")
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				db, err := sqlstore.Open(context.Background(), sqlstore.DriverSQLite, dsn, sqlstore.DefaultPool())
				if err == nil {
					_ = db.Close()
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}

// atVersionOne gives db the schema an authd of schema version 1 left
// behind, recorded as applied at now.
func atVersionOne(t testing.TB, db *sqlstore.DB, now time.Time) {
	t.Helper()
	for _, stmt := range append(sqlstore.StepSQL(1, db.Dialect()), sqlstore.SchemaTableSQL(db.Dialect())) {
		mustExec(t, db, stmt)
	}
	mustExec(t, db, "INSERT INTO schema_migrations (version, applied_at) VALUES (1, ?)", now)
}

// reappliesOnce forgets that step version was applied, migrates again as if
// the step had been interrupted after its DDL (MySQL commits DDL at once),
// and checks the step succeeds and is recorded once.
func reappliesOnce(t testing.TB, db *sqlstore.DB, version int) {
	t.Helper()
	mustExec(t, db, "DELETE FROM schema_migrations WHERE version = ?", version)
	if err := sqlstore.Migrate(context.Background(), db, emailnorm.New()); err != nil {
		t.Fatalf("re-applying step %d: %v", version, err)
	}
	var versions int
	mustScan(t, db, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", []any{version}, &versions)
	if versions != 1 {
		t.Errorf("version %d recorded %d times", version, versions)
	}
}
