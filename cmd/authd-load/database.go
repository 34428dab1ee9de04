package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/sqlstore"
)

// openDatabase opens cfg's database as the server does: the same opener,
// dialect settings and pool (AUTHD_DB_MAX_CONNS, AUTHD_DB_QUERY_TIMEOUT),
// without migrating it.
func openDatabase(ctx context.Context, cfg authd.Config) (*sqlstore.DB, error) {
	return sqlstore.Open(ctx, cfg.Storage.Driver, cfg.Storage.DataSource(), sqlstore.SizedPool(cfg.Storage.MaxConns, cfg.Storage.QueryTimeout))
}

// freshDatabase creates a new database on the server adminDSN points at
// and returns its DSN and a func dropping it. SQLite: a file in dir.
func freshDatabase(ctx context.Context, driver, adminDSN, dir string) (string, func(), error) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "authd_load_" + hex.EncodeToString(b)
	if driver == authd.DriverSQLite {
		file := filepath.Join(dir, name+".db")
		return "file:" + file, func() { _ = os.Remove(file) }, nil
	}
	db, err := sqlstore.Open(ctx, driver, adminDSN, sqlstore.SizedPool(2, time.Minute))
	if err != nil {
		return "", nil, err
	}
	if _, err := db.SQL().ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = db.Close()
		return "", nil, err
	}
	drop := func() {
		stmt := "DROP DATABASE IF EXISTS " + name
		if driver == authd.DriverPostgres {
			stmt += " WITH (FORCE)"
		}
		_, _ = db.SQL().Exec(stmt)
		_ = db.Close()
	}
	dsn, err := withDatabase(driver, adminDSN, name)
	if err != nil {
		drop()
		return "", nil, err
	}
	return dsn, drop, nil
}

func withDatabase(driver, dsn, name string) (string, error) {
	if driver == authd.DriverMySQL {
		c, err := mysqldrv.ParseDSN(dsn)
		if err != nil {
			return "", err
		}
		c.DBName = name
		return c.FormatDSN(), nil
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("postgres DSN must be a URL (postgres://…): %q", dsn)
	}
	u.Path = "/" + name
	return u.String(), nil
}
