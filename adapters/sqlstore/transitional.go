package sqlstore

// TRANSITIONAL: removed once every repository runs on DB's helpers.

import (
	"context"
	"time"

	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/authd-dev/authd/adapters/sqlstore/internal/sqlitedialect"
)

func (db *DB) orm() *gorm.DB {
	if db.gorm != nil {
		return db.gorm
	}
	var d gorm.Dialector
	switch db.dialect {
	case DriverSQLite:
		d = sqlitedialect.Dialector{Conn: db.sql}
	case DriverPostgres:
		d = postgres.New(postgres.Config{Conn: db.sql})
	default:
		d = mysql.New(mysql.Config{Conn: db.sql, SkipInitializeWithVersion: true})
	}
	g, err := gorm.Open(d, &gorm.Config{TranslateError: true, Logger: logger.Default.LogMode(logger.Silent),
		DisableAutomaticPing: true, SkipDefaultTransaction: true, NowFunc: func() time.Time { return time.Now().UTC() }})
	if err != nil {
		panic(err)
	}
	db.gorm = g
	return g
}

// repo is what the repositories not yet converted hold.
type repo struct {
	db    *gorm.DB
	pool  Pool
	store *DB
}

func newRepo(db *DB) repo { return repo{db: db.orm(), pool: db.pool, store: db} }

func rebind(dialect, q string) string { return (&DB{dialect: dialect}).Rebind(q) }

func (r repo) queryRow(ctx context.Context, op, query string, args []any, dest ...any) error {
	return r.store.queryRow(ctx, op, query, args, dest...)
}

func (r repo) exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	return r.store.exec(ctx, op, query, args...)
}

func (r repo) conn(ctx context.Context) (*gorm.DB, context.CancelFunc) {
	ctx, cancel := withTimeout(ctx, r.pool.QueryTimeout)
	return r.db.WithContext(ctx), cancel
}
