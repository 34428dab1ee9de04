package backends

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// The keyword form of a Postgres DSN, spaced and quoted as libpq allows,
// is pointed at another database and another address correctly.
func TestPostgresKeywordDSN(t *testing.T) {
	for _, dsn := range []string{
		"host=127.0.0.1 port=5432 user=postgres dbname=test sslmode=disable",
		"host = 127.0.0.1  port = '5432' user='postgres' dbname = 'a db' sslmode=disable ",
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
	} {
		tg := Target{Name: "postgres", Driver: "postgres", DSN: dsn}
		if got, err := Address(tg); err != nil || got != "127.0.0.1:5432" {
			t.Errorf("Address(%q) = %q, %v; want 127.0.0.1:5432", dsn, got, err)
		}
		moved, err := WithAddress(tg, "127.0.0.1:6543")
		if err != nil {
			t.Fatalf("WithAddress(%q): %v", dsn, err)
		}
		named, err := withDatabase("postgres", moved.DSN, "authd_t_0123")
		if err != nil {
			t.Fatalf("withDatabase(%q): %v", moved.DSN, err)
		}
		cfg, err := pgconn.ParseConfig(named)
		if err != nil {
			t.Fatalf("parse %q: %v", named, err)
		}
		if cfg.Host != "127.0.0.1" || cfg.Port != 6543 || cfg.Database != "authd_t_0123" || cfg.User != "postgres" {
			t.Errorf("%q became %q: host %s port %d db %s user %s", dsn, named, cfg.Host, cfg.Port, cfg.Database, cfg.User)
		}
	}
}

func TestMySQLAddress(t *testing.T) {
	tg := Target{Name: "mysql", Driver: "mysql", DSN: "root@tcp(127.0.0.1:3306)/test"}
	moved, err := WithAddress(tg, "127.0.0.1:7000")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Address(moved); err != nil || got != "127.0.0.1:7000" {
		t.Errorf("Address(%q) = %q, %v", moved.DSN, got, err)
	}
}
