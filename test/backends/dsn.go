package backends

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// Both Postgres DSN forms are handled: a URL (postgres://…) is edited as a
// URL; in the keyword form (host=… port=…) a key given again overrides the
// earlier one (pgconn and libpq both keep the last), so edits are appended.
// Every edit is read back with the driver's own parser.

// withDatabase points dsn at database name.
func withDatabase(driver, dsn, name string) (string, error) {
	if driver == "mysql" {
		cfg, err := mysqldrv.ParseDSN(dsn)
		if err != nil {
			return "", err
		}
		cfg.DBName = name
		return cfg.FormatDSN(), nil
	}
	out, err := editPostgres(dsn, func(u *url.URL) { u.Path = "/" + name }, "dbname="+quoteKeyword(name))
	if err != nil {
		return "", err
	}
	if cfg, err := pgconn.ParseConfig(out); err != nil || cfg.Database != name {
		return "", fmt.Errorf("cannot point postgres DSN at database %s (parsed: %v)", name, err)
	}
	return out, nil
}

// Address returns the TCP host:port tg connects to, as its driver reads
// the DSN. A Unix socket or a list of hosts is an error: callers want one
// address to put something in front of.
func Address(tg Target) (string, error) {
	switch tg.Driver {
	case "mysql":
		cfg, err := mysqldrv.ParseDSN(tg.DSN)
		if err != nil {
			return "", err
		}
		if cfg.Net != "tcp" {
			return "", fmt.Errorf("mysql DSN uses %q, not tcp", cfg.Net)
		}
		return cfg.Addr, nil
	case "postgres":
		cfg, err := pgconn.ParseConfig(tg.DSN)
		if err != nil {
			return "", err
		}
		if len(cfg.Fallbacks) > 0 || strings.HasPrefix(cfg.Host, "/") {
			return "", fmt.Errorf("postgres DSN names a socket or several hosts (%s)", cfg.Host)
		}
		return net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), nil
	}
	return "", fmt.Errorf("%s has no network address", tg.Driver)
}

// WithAddress returns tg connecting to the TCP address addr instead.
func WithAddress(tg Target, addr string) (Target, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return tg, err
	}
	switch tg.Driver {
	case "mysql":
		cfg, err := mysqldrv.ParseDSN(tg.DSN)
		if err != nil {
			return tg, err
		}
		cfg.Net, cfg.Addr = "tcp", addr
		tg.DSN = cfg.FormatDSN()
	case "postgres":
		tg.DSN, err = editPostgres(tg.DSN, func(u *url.URL) { u.Host = addr }, "host="+quoteKeyword(host), "port="+port)
		if err != nil {
			return tg, err
		}
	default:
		return tg, fmt.Errorf("%s has no network address", tg.Driver)
	}
	if got, err := Address(tg); err != nil || got != addr {
		return tg, fmt.Errorf("cannot point %s DSN at %s (parsed: %s, %v)", tg.Name, addr, got, err)
	}
	return tg, nil
}

// editPostgres applies edit to a URL DSN, or appends keywords to a keyword one.
func editPostgres(dsn string, edit func(*url.URL), keywords ...string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("postgres DSN: %w", err)
		}
		edit(u)
		return u.String(), nil
	}
	return strings.TrimSpace(dsn + " " + strings.Join(keywords, " ")), nil
}

// quoteKeyword quotes a keyword-form value the way libpq reads it back.
func quoteKeyword(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}
