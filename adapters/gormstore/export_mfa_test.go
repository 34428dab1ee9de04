package gormstore

// MigrationStep exposes one migration's statements to the external tests,
// so they can build a database as an older authd left it.
func MigrationStep(version int, dialect string) []string {
	for _, m := range migrations {
		if m.version == version {
			return m.sql[dialect]
		}
	}
	return nil
}

// SchemaMigrationsSQL is the schema_migrations DDL of dialect.
func SchemaMigrationsSQL(dialect string) string { return schemaTable[dialect] }
