package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// TestMigrationFiveOnAVersionOneDatabase: a database an authd of schema
// version 1 left behind, with a live session, migrates to the MFA tables
// and sessions.amr; the existing session reads as password-only, which it
// was. On the server backends the step is applied once more as if it had
// been interrupted after its DDL (MySQL commits DDL at once): it must not
// fail.
func TestMigrationFiveOnAVersionOneDatabase(t *testing.T) {
	const userID, sessionID = "0b9d5f3e-4c1a-4e2b-9a7d-3f6c8e1b2a41", "1c8e6f4d-5b2a-4f3c-8b9e-4a7d9f2c3b51"
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db := open(t, backends.Fresh(t, server))
			now := time.Now().UTC().Truncate(time.Second)
			atVersionOne(t, db, now)
			mustExec(t, db, "INSERT INTO users (id, email, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				userID, "old@example.com", "user", "$2a$04$x", now, now)
			mustExec(t, db, "INSERT INTO sessions (id, user_id, generation, salt, created_at, last_used_at, expires_at) VALUES (?, ?, 1, ?, ?, ?, ?)",
				sessionID, userID, make([]byte, domain.SaltSize), now, now, now.Add(time.Hour))
			ctx := context.Background()
			if err := sqlstore.Migrate(ctx, db, emailnorm.New()); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			s, _, err := sqlstore.NewSessions(db).ByIDWithUser(ctx, sessionID)
			if err != nil || !reflect.DeepEqual(s.AMR(), []string{"pwd"}) {
				t.Fatalf("existing session after migration: %+v, %v", s.State(), err)
			}
			if _, err := sqlstore.NewMFA(db).ByUser(ctx, userID); err == nil {
				t.Fatal("an existing user has MFA after migration")
			}
			if db.Dialect() != sqlstore.DriverSQLite { // SQLite DDL is transactional: never half-applied
				reappliesOnce(t, db, 5)
			}
		})
	}
}
