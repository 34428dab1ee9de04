package sqlstore

import (
	"context"

	"gorm.io/gorm"

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

// MigrateWithEmailHook is Migrate with hook run on the migrating
// connection before each batch of the emails step is rewritten.
func MigrateWithEmailHook(ctx context.Context, db *gorm.DB, emails ports.EmailNormaliser, hook func(conn *gorm.DB, batch int) error) error {
	return migrate(ctx, db, migrationEnv{emails: emails, beforeEmailBatch: hook})
}
