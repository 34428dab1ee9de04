package backends

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/sqlstore"
)

// Target is one database to test against.
type Target struct {
	Name   string // "sqlite", "postgres", "mysql"
	Driver string // the AUTHD_DB_DRIVER value
	DSN    string
}

// The environment that turns on the server backends.
const (
	EnvPostgres = "AUTHD_TEST_POSTGRES_DSN"
	EnvMySQL    = "AUTHD_TEST_MYSQL_DSN"
	EnvRequire  = "AUTHD_TEST_REQUIRE_DBS"
)

var examples = map[string]string{
	EnvPostgres: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
	EnvMySQL:    "root@tcp(127.0.0.1:3306)/test",
}

// Servers returns SQLite (a file under t.TempDir()) plus Postgres and MySQL
// when their DSNs are set, each pointing at a new empty database. An unset
// DSN is logged and left out, or is fatal when AUTHD_TEST_REQUIRE_DBS=1. A
// DSN that is set but unreachable is always fatal: it was asked for.
func Servers(t testing.TB) []Target {
	t.Helper()
	out := []Target{Fresh(t, Target{Name: "sqlite", Driver: "sqlite"})}
	for _, s := range []struct{ env, name string }{{EnvPostgres, "postgres"}, {EnvMySQL, "mysql"}} {
		dsn := os.Getenv(s.env)
		if dsn == "" {
			msg := fmt.Sprintf("%s tests not run: set %s, e.g. %s='%s'", s.name, s.env, s.env, examples[s.env])
			if os.Getenv(EnvRequire) == "1" {
				t.Fatalf("%s (required by %s=1)", msg, EnvRequire)
			}
			t.Log(msg)
			continue
		}
		out = append(out, Fresh(t, Target{Name: s.name, Driver: s.name, DSN: dsn}))
	}
	return out
}

// Fresh returns a new, empty database on tg's server (for SQLite a new
// file), created through tg.DSN and dropped in t.Cleanup.
func Fresh(t testing.TB, tg Target) Target {
	t.Helper()
	if tg.Driver == "sqlite" {
		tg.DSN = "file:" + filepath.Join(t.TempDir(), "authd.db")
		return tg
	}
	name := "authd_t_" + randomHex(t)
	dsn, err := withDatabase(tg.Driver, tg.DSN, name)
	if err != nil {
		t.Fatalf("%s: %v", tg.Name, err)
	}
	server := tg // the closure must keep the admin DSN, not the new one
	admin(t, server, "CREATE DATABASE "+name)
	t.Cleanup(func() {
		drop := "DROP DATABASE IF EXISTS " + name
		if tg.Driver == "postgres" {
			drop += " WITH (FORCE)" // Postgres 13+: ends stray connections
		}
		admin(t, server, drop)
	})
	tg.DSN = dsn
	return tg
}

// admin runs one statement through a short-lived connection to tg.DSN.
func admin(t testing.TB, tg Target, stmt string) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), tg.Driver, tg.DSN, TestPool())
	if err != nil {
		t.Fatalf("%s unreachable (%s): %v", tg.Name, tg.DSN, err)
	}
	defer db.Close()
	if _, err := db.SQL().Exec(stmt); err != nil {
		t.Fatalf("%s: %s: %v", tg.Name, stmt, err)
	}
}

// TestPool is small: many subtests run in parallel, each with its own pool,
// under the servers' connection limits.
func TestPool() sqlstore.Pool {
	p := sqlstore.DefaultPool()
	p.MaxOpen, p.MaxIdle = 8, 2
	return p
}

// Open connects to tg and migrates it, closing the pool in t.Cleanup.
func Open(t testing.TB, tg Target) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, tg.Driver, tg.DSN, TestPool())
	if err != nil {
		t.Fatalf("open %s: %v", tg.Name, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := sqlstore.Migrate(ctx, db, emailnorm.New()); err != nil {
		t.Fatalf("migrate %s: %v", tg.Name, err)
	}
	return db
}

func randomHex(t testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
