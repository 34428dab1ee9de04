package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/test/backends"
)

// TestMigrationFourOnAVersionOneDatabase: a database an authd of schema
// version 1 left behind, with a user in it, migrates through step 3 (its
// email normalised) to the one-time tokens table and email_verified; the
// existing user reads as unverified. On the
// server backends the step is applied once more as if it had been
// interrupted after its DDL (MySQL commits DDL at once): it must not fail.
func TestMigrationFourOnAVersionOneDatabase(t *testing.T) {
	const userID = "0b9d5f3e-4c1a-4e2b-9a7d-3f6c8e1b2a40"
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db := open(t, backends.Fresh(t, server))
			now := time.Now().UTC().Truncate(time.Second)
			atVersionOne(t, db, now)
			mustExec(t, db, "INSERT INTO users (id, email, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				userID, "Old@EXAMPLE.com", "user", "$2a$04$x", now, now)
			ctx := context.Background()
			if err := sqlstore.Migrate(ctx, db, emailnorm.New()); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			u, err := sqlstore.NewUsers(db).ByID(ctx, userID)
			if err != nil || u.EmailVerified() || u.Email().String() != "old@example.com" {
				t.Fatalf("existing user after migration: %+v, %v", u.State(), err)
			}
			if db.Dialect() != sqlstore.DriverSQLite { // SQLite DDL is transactional: never half-applied
				reappliesOnce(t, db, 4)
			}
		})
	}
}
