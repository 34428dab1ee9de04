package sqlstore

import (
	"context"

	"github.com/authd-dev/authd/ports"
)

// StepSQL exposes one migration's statements to the external tests, so
// they can build a database as an older authd left it.
func StepSQL(version int, dialect string) []string {
	for _, m := range migrations {
		if m.version == version {
			return m.sql[dialect]
		}
	}
	return nil
}

// SchemaTableSQL is the schema_migrations DDL of dialect.
func SchemaTableSQL(dialect string) string { return schemaTable[dialect] }

// EmailBatch is how many users the emails migration rewrites per transaction.
const EmailBatch = emailBatch

// MigrationConn is the migrating connection, as the emails hook gets it.
type MigrationConn = runner

// Exec runs query, written with ? placeholders, on the migrating
// connection: on SQLite its only connection is held by the migration.
func (r runner) Exec(ctx context.Context, query string, args ...any) error {
	_, err := r.exec(ctx, query, args...)
	return err
}

// MigrateWithEmailHook is Migrate with hook run on the migrating
// connection before each batch of the emails step is rewritten.
func MigrateWithEmailHook(ctx context.Context, db *DB, emails ports.EmailNormaliser, hook func(ctx context.Context, conn MigrationConn, batch int) error) error {
	return migrate(ctx, db, migrationEnv{emails: emails, beforeEmailBatch: hook})
}
