package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"

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
					db, cleanup, err := open(tg)
					if err != nil {
						errs <- err
						return
					}
					defer cleanup()
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
			db.Raw("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").Row().Scan(&rows, &distinct)
			if rows == 0 || rows != distinct {
				t.Errorf("schema_migrations has %d rows, %d distinct versions", rows, distinct)
			}
		})
	}
}

// open connects without migrating, as a replica starting up would.
func open(tg backends.Target) (*gorm.DB, func(), error) {
	ctx, pool := context.Background(), backends.TestPool()
	switch tg.Driver {
	case "postgres":
		return sqlstore.OpenPostgres(ctx, sqlstore.PostgresDSN(tg.DSN), pool)
	case "mysql":
		return sqlstore.OpenMySQL(ctx, sqlstore.MySQLDSN(tg.DSN), pool)
	}
	return sqlstore.OpenSQLite(ctx, sqlstore.SQLiteDSN(tg.DSN), pool)
}

// TestUnreachableIsUnavailable: a server that does not answer is
// domain.ErrUnavailable at open, and an ended context is too.
func TestUnreachableIsUnavailable(t *testing.T) {
	ctx := context.Background()
	pool := sqlstore.DefaultPool()
	_, _, err := sqlstore.OpenPostgres(ctx, "postgres://postgres@127.0.0.1:1/x?sslmode=disable", pool)
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("OpenPostgres on a closed port: %v, want ErrUnavailable", err)
	}
	_, _, err = sqlstore.OpenMySQL(ctx, "root@tcp(127.0.0.1:1)/x", pool)
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("OpenMySQL on a closed port: %v, want ErrUnavailable", err)
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
	db, cleanup, err := sqlstore.OpenSQLite(context.Background(), sqlstore.SQLiteDSN("file:"+path), sqlstore.DefaultPool())
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if err := sqlstore.Migrate(context.Background(), db, emailnorm.New()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
	var mode string
	var fk, busy int
	db.Raw("PRAGMA journal_mode").Row().Scan(&mode)
	db.Raw("PRAGMA foreign_keys").Row().Scan(&fk)
	db.Raw("PRAGMA busy_timeout").Row().Scan(&busy)
	if mode != "wal" || fk != 1 || busy < 1000 {
		t.Errorf("journal_mode=%q foreign_keys=%d busy_timeout=%d; want wal, 1, >=1000", mode, fk, busy)
	}
	if got := sqliteCacheSize(t, db); got != -256 {
		t.Errorf("cache_size=%d; want -256 (KiB)", got)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if n := sqlDB.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("max open connections %d; want 1", n)
	}
}

func TestOpenSQLiteKeepsTheDSNsCacheSize(t *testing.T) {
	dsn := "file:" + filepath.Join(t.TempDir(), "authd.db") + "?_pragma=cache_size(-1024)"
	db, cleanup, err := sqlstore.OpenSQLite(context.Background(), sqlstore.SQLiteDSN(dsn), sqlstore.DefaultPool())
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if got := sqliteCacheSize(t, db); got != -1024 {
		t.Errorf("cache_size=%d; want the DSN's -1024", got)
	}
}

func sqliteCacheSize(t *testing.T, db *gorm.DB) int {
	t.Helper()
	var n int
	if err := db.Raw("PRAGMA cache_size").Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOpenSQLiteConcurrentFreshFile: processes that open one new file at
// once race to switch it to WAL; every opener must still get a database.
// Without openRetryingLocked, some round of 25 loses that race (SQLITE_BUSY)
// in nearly every run.
func TestOpenSQLiteConcurrentFreshFile(t *testing.T) {
	for round := range 25 {
		dsn := sqlstore.SQLiteDSN("file:" + filepath.Join(t.TempDir(), "authd.db"))
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				_, cleanup, err := sqlstore.OpenSQLite(context.Background(), dsn, sqlstore.DefaultPool())
				if err == nil {
					cleanup()
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
