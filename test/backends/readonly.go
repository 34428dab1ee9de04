package backends

import (
	"net/url"
	"strings"
	"testing"

	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// ReadOnly returns a target on tg's database through which every write is
// refused by the database itself, while tg keeps writing: SQLite opened
// with mode=ro; Postgres with default_transaction_read_only as a startup
// parameter of the returned target's connections; MySQL as a new
// user granted only SELECT on the database. Nothing outside tg's database
// changes, so tests running in parallel are undisturbed.
func ReadOnly(t testing.TB, tg Target) Target {
	t.Helper()
	switch tg.Driver {
	case "sqlite":
		sep := "?"
		if strings.Contains(tg.DSN, "?") {
			sep = "&"
		}
		tg.DSN += sep + "mode=ro"
	case "postgres":
		// A startup parameter of this target's connections only: an ALTER
		// DATABASE would also catch connections tg's pool opens later.
		dsn, err := editPostgres(tg.DSN, func(u *url.URL) {
			q := u.Query()
			q.Set("default_transaction_read_only", "on")
			u.RawQuery = q.Encode()
		}, "default_transaction_read_only=on")
		if err != nil {
			t.Fatalf("postgres DSN: %v", err)
		}
		if cfg, err := pgconn.ParseConfig(dsn); err != nil || cfg.RuntimeParams["default_transaction_read_only"] != "on" {
			t.Fatalf("postgres DSN %q does not carry the read-only parameter: %v", dsn, err)
		}
		tg.DSN = dsn
	case "mysql":
		cfg, err := mysqldrv.ParseDSN(tg.DSN)
		if err != nil {
			t.Fatalf("mysql DSN: %v", err)
		}
		user := "authd_ro_" + randomHex(t)
		account := "'" + user + "'@'%'"
		root := tg // the closure must keep the admin DSN, not the new one
		admin(t, root, "CREATE USER "+account+" IDENTIFIED BY '"+user+"'")
		t.Cleanup(func() { admin(t, root, "DROP USER IF EXISTS "+account) })
		admin(t, root, "GRANT SELECT ON `"+cfg.DBName+"`.* TO "+account)
		cfg.User, cfg.Passwd = user, user
		tg.DSN = cfg.FormatDSN()
	default:
		t.Fatalf("unknown driver %q", tg.Driver)
	}
	tg.Name += "-read-only"
	return tg
}
