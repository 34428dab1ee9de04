package sqlstore

import (
	"context"
	"fmt"

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
	db, err := Open(ctx, s.Driver, s.DSN, s.Pool)
	if err != nil {
		return ports.Storage{}, nil, err
	}
	if err := Migrate(ctx, db, emails); err != nil {
		_ = db.Close()
		return ports.Storage{}, nil, fmt.Errorf("migrate: %w", err)
	}
	return Repositories(db), func() { _ = db.Close() }, nil
}

// Repositories returns every storage port over db, which must be migrated.
func Repositories(db *DB) ports.Storage {
	return ports.Storage{Users: NewUsers(db), Sessions: NewSessions(db), Tokens: NewTokens(db),
		MFA: NewMFA(db), MFAChallenges: NewMFAChallenges(db), Health: NewHealth(db)}
}
