package sqlstore

import (
	"context"
	"testing"
)

// TestMigrationsCoverEveryDialect: every step with statements has them
// for each dialect Open accepts, as schema_migrations has, so no backend
// meets a missing step at start-up.
func TestMigrationsCoverEveryDialect(t *testing.T) {
	for _, d := range []string{DriverSQLite, DriverPostgres, DriverMySQL} {
		if _, err := schemaTableSQL(d); err != nil {
			t.Error(err)
		}
		for _, m := range migrations {
			if m.sql == nil && m.online == nil {
				t.Errorf("migration %d does nothing", m.version)
			}
			if _, err := m.statements(d); err != nil {
				t.Errorf("migration %d: %v", m.version, err)
			}
		}
	}
}

// TestMigrateRefusesAnUnknownDialect: no statement is tried on a dialect
// the migrations are not written for.
func TestMigrateRefusesAnUnknownDialect(t *testing.T) {
	if err := Migrate(context.Background(), &DB{dialect: "oracle"}, nil); err == nil {
		t.Error("Migrate on dialect oracle: no error")
	}
	if _, err := (migration{sql: map[string][]string{DriverSQLite: nil}}).statements("oracle"); err == nil {
		t.Error("statements of a step without the dialect: no error")
	}
}
