package gormstore

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
