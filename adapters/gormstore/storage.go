package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/authd-dev/authd/ports"
)

// Settings names the database to store in: Driver is "sqlite", "postgres"
// or "mysql" (MariaDB too), DSN is that driver's, Pool sizes it.
type Settings struct {
	Driver string
	DSN    string
	Pool   Pool
}

// OpenStorage opens the database s names, migrates it to the current schema
// (emails normalises stored emails, see Migrate) and returns every storage
// port over it, with the func that closes it. An unknown driver, a database
// that cannot be reached or a failed migration is an error, and nothing is
// left open.
func OpenStorage(ctx context.Context, s Settings, emails ports.EmailNormaliser) (ports.Storage, func(), error) {
	open, ok := openers[s.Driver]
	if !ok {
		return ports.Storage{}, nil, fmt.Errorf("gormstore: unknown driver %q (want sqlite, postgres or mysql)", s.Driver)
	}
	db, closeDB, err := open(ctx, s.DSN, s.Pool)
	if err != nil {
		return ports.Storage{}, nil, err
	}
	if err := Migrate(ctx, db, emails); err != nil {
		closeDB()
		return ports.Storage{}, nil, fmt.Errorf("migrate: %w", err)
	}
	return ports.Storage{Users: NewUsers(db, s.Pool), Sessions: NewSessions(db, s.Pool),
		Tokens: NewTokens(db, s.Pool), MFA: NewMFA(db, s.Pool), MFAChallenges: NewMFAChallenges(db, s.Pool),
		Health: NewHealth(db)}, closeDB, nil
}

var openers = map[string]func(ctx context.Context, dsn string, pool Pool) (*gorm.DB, func(), error){
	"sqlite": func(ctx context.Context, dsn string, pool Pool) (*gorm.DB, func(), error) {
		return OpenSQLite(ctx, SQLiteDSN(dsn), pool)
	},
	"postgres": func(ctx context.Context, dsn string, pool Pool) (*gorm.DB, func(), error) {
		return OpenPostgres(ctx, PostgresDSN(dsn), pool)
	},
	"mysql": func(ctx context.Context, dsn string, pool Pool) (*gorm.DB, func(), error) {
		return OpenMySQL(ctx, MySQLDSN(dsn), pool)
	},
}
