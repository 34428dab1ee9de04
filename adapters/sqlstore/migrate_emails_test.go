package sqlstore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// emailsMigration is the version of the step that normalises stored emails.
const emailsMigration = 3

// TestMigrateNormalisesStoredEmails: rows written in the old form (only
// trimmed and lower-cased) are rewritten in the normalised form and found
// by it; rows already normal and rows the normaliser refuses stay as they are.
func TestMigrateNormalisesStoredEmails(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db, users := beforeEmailsMigration(t, server)
			nfd := createOldForm(t, users, "jose\u0301@example.com")
			puny := createOldForm(t, users, "bob@xn--exmple-qta.com")
			plain := createOldForm(t, users, "carol@example.com")
			refused := createOldForm(t, users, "dave@xn--a.com")

			if err := sqlstore.Migrate(context.Background(), db, emailnorm.New()); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			for id, want := range map[string]string{
				nfd: "jos\u00e9@example.com", puny: "bob@ex\u00e1mple.com", plain: "carol@example.com", refused: "dave@xn--a.com",
			} {
				if got := storedEmail(t, db, id); got != want {
					t.Errorf("user %s: email %q after the migration, want %q", id, got, want)
				}
			}
			for raw, id := range map[string]string{"jos\u00e9@example.com": nfd, "bob@ex\u00e1mple.com": puny} {
				u, err := users.ByEmail(context.Background(), mustEmail(t, raw))
				if err != nil || u.ID() != id {
					t.Errorf("ByEmail(%q) = %s, %v; want user %s", raw, u.ID(), err, id)
				}
			}
			if !applied(t, db, emailsMigration) {
				t.Error("the emails migration is not recorded")
			}
		})
	}
}

// TestMigrateNormalisesPastTheFirstBatch: the migration reads users in
// batches; a row after the first batch is rewritten too.
func TestMigrateNormalisesPastTheFirstBatch(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db, users := beforeEmailsMigration(t, server)
			for i := 0; i < 520; i++ {
				createOldForm(t, users, fmt.Sprintf("filler%d@example.com", i))
			}
			last := "ffffffff-ffff-4fff-bfff-ffffffffffff" // sorts after every random id
			u, err := domain.NewUser(last, mustEmail(t, "jose\u0301@example.com"), oldHash, domain.RoleUser, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if err := users.Create(context.Background(), u); err != nil {
				t.Fatal(err)
			}
			if err := sqlstore.Migrate(context.Background(), db, emailnorm.New()); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			if got := storedEmail(t, db, last); got != "jos\u00e9@example.com" {
				t.Errorf("the last user's email is %q after the migration, want the NFC form", got)
			}
		})
	}
}

// TestMigrateRefusesEmailCollisions: two rows that normalise to one email
// make the migration fail naming both ids, change nothing (an unrelated row
// that would have been rewritten keeps its old form too), and leave the step
// unrecorded; once an operator removes one of them it goes through.
func TestMigrateRefusesEmailCollisions(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db, users := beforeEmailsMigration(t, server)
			other := createOldForm(t, users, "jose\u0301@example.com")
			puny := createOldForm(t, users, "bob@xn--exmple-qta.com")
			nfc := createOldForm(t, users, "bob@ex\u00e1mple.com")
			nfd := createOldForm(t, users, "bob@exa\u0301mple.com")

			err := sqlstore.Migrate(context.Background(), db, emailnorm.New())
			if err == nil {
				t.Fatal("Migrate merged or ignored colliding emails")
			}
			for _, id := range []string{puny, nfc, nfd} {
				if !strings.Contains(err.Error(), id) {
					t.Errorf("error does not name user %s: %v", id, err)
				}
			}
			if strings.Contains(err.Error(), "bob@") {
				t.Errorf("error carries an email address: %v", err)
			}
			for id, want := range map[string]string{
				other: "jose\u0301@example.com", puny: "bob@xn--exmple-qta.com", nfc: "bob@ex\u00e1mple.com", nfd: "bob@exa\u0301mple.com",
			} {
				if got := storedEmail(t, db, id); got != want {
					t.Errorf("user %s: email %q after the failed migration, want %q unchanged", id, got, want)
				}
			}
			if applied(t, db, emailsMigration) {
				t.Fatal("the failed migration was recorded")
			}

			for _, id := range []string{puny, nfd} {
				if err := users.Delete(context.Background(), id); err != nil {
					t.Fatal(err)
				}
			}
			if err := sqlstore.Migrate(context.Background(), db, emailnorm.New()); err != nil {
				t.Fatalf("Migrate after the collision was resolved: %v", err)
			}
			if got := storedEmail(t, db, other); got != "jos\u00e9@example.com" {
				t.Errorf("user %s: email %q, want the NFC form", other, got)
			}
		})
	}
}

// oldHash stands in for a password hash; nothing here checks passwords.
var oldHash = "$2a$04$" + strings.Repeat("x", 53)

// beforeEmailsMigration returns a database migrated as a binary without
// the emails step would leave it: every step applied, that one unrecorded.
func beforeEmailsMigration(t *testing.T, server backends.Target) (*sqlstore.DB, *sqlstore.Users) {
	t.Helper()
	db := backends.Open(t, backends.Fresh(t, server))
	mustExec(t, db, "DELETE FROM schema_migrations WHERE version = ?", emailsMigration)
	return db, sqlstore.NewUsers(db)
}

// createOldForm stores a user the way authd did before normalisation:
// through domain.NewEmail alone (trimmed, lower-cased).
func createOldForm(t *testing.T, users *sqlstore.Users, raw string) string {
	t.Helper()
	id, err := domain.NewID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	u, err := domain.NewUser(id, mustEmail(t, raw), oldHash, domain.RoleUser, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Create(context.Background(), u); err != nil {
		t.Fatalf("create %q: %v", raw, err)
	}
	return id
}

func mustEmail(t *testing.T, raw string) domain.Email {
	t.Helper()
	e, err := domain.NewEmail(raw)
	if err != nil {
		t.Fatalf("NewEmail(%q): %v", raw, err)
	}
	return e
}

func storedEmail(t *testing.T, db *sqlstore.DB, id string) string {
	t.Helper()
	var email string
	mustScan(t, db, "SELECT email FROM users WHERE id = ?", []any{id}, &email)
	return email
}

func applied(t *testing.T, db *sqlstore.DB, version int) bool {
	t.Helper()
	var n int
	mustScan(t, db, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", []any{version}, &n)
	return n == 1
}
