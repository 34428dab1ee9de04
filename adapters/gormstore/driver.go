package gormstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Driver names, as AUTHD_DB_DRIVER spells them.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
	DriverMySQL    = "mysql"
)

// SizedPool is DefaultPool with maxConns connections, all of which may
// stay idle, and queryTimeout on each repository call: the pool authd
// serves with. OpenSQLite still caps SQLite at one connection.
func SizedPool(maxConns int, queryTimeout time.Duration) Pool {
	p := DefaultPool()
	p.MaxOpen, p.MaxIdle, p.QueryTimeout = maxConns, maxConns, queryTimeout
	return p
}

// Open opens dsn with the opener of driver (OpenSQLite, OpenPostgres or
// OpenMySQL), so a tool outside the server gets the same dialect settings
// and pool. It does not migrate. An unknown driver is an error.
func Open(ctx context.Context, driver, dsn string, pool Pool) (*gorm.DB, func(), error) {
	switch driver {
	case DriverSQLite:
		return OpenSQLite(ctx, SQLiteDSN(dsn), pool)
	case DriverPostgres:
		return OpenPostgres(ctx, PostgresDSN(dsn), pool)
	case DriverMySQL:
		return OpenMySQL(ctx, MySQLDSN(dsn), pool)
	}
	return nil, nil, fmt.Errorf("gormstore: unknown driver %q (sqlite, postgres or mysql)", driver)
}
