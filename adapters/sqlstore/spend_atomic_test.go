package sqlstore_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// failingSessionUpdate makes every UPDATE of sessions fail inside the
// database, per dialect: the last statement of a reset's transaction.
var failingSessionUpdate = map[string][]string{
	sqlstore.DriverSQLite: {`CREATE TRIGGER fail_session_update BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'injected failure'); END`},
	sqlstore.DriverPostgres: {
		`CREATE FUNCTION fail_session_update() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
		`CREATE TRIGGER fail_session_update BEFORE UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION fail_session_update()`,
	},
	sqlstore.DriverMySQL: {`CREATE TRIGGER fail_session_update BEFORE UPDATE ON sessions FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'`},
}

// TestResetThatCannotEndSessionsChangesNothing: when ending the sessions
// fails, the password, the verified flag and the token are as they were
// (one transaction), the sessions live, and the token can be spent once the
// failure is gone.
func TestResetThatCannotEndSessionsChangesNothing(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db := open(t, backends.Fresh(t, server))
			ctx, now := context.Background(), time.Now().UTC().Truncate(time.Second)
			if err := sqlstore.Migrate(ctx, db, emailnorm.New()); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			users, sessions, tokens := sqlstore.NewUsers(db), sqlstore.NewSessions(db), sqlstore.NewTokens(db)
			u := mustUser(t, users, now)
			s := mustSession(t, sessions, u.ID(), now)
			tok, _, err := domain.NewOneTimeToken(rand.Reader, u.ID(), domain.PurposeResetPassword, now, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if err := tokens.Create(ctx, tok); err != nil {
				t.Fatal(err)
			}
			for _, stmt := range failingSessionUpdate[db.Dialect()] {
				mustExec(t, db, stmt)
			}
			if _, won, err := tokens.SpendReset(ctx, tok, "$2a$04$new", now.Add(time.Minute)); err == nil || won {
				t.Fatalf("SpendReset with sessions that cannot end = (%v, %v), want an error", won, err)
			}
			got, err := users.ByID(ctx, u.ID())
			if err != nil || got.PasswordHash() != u.PasswordHash() || got.EmailVerified() {
				t.Fatalf("user after the failed reset: %+v, %v", got.State(), err)
			}
			if st, err := tokens.ByHash(ctx, tok.Hash()); err != nil || st.Used() {
				t.Fatalf("token after the failed reset: used %v, %v", st.Used(), err)
			}
			if live, err := sessions.ByID(ctx, s.ID()); err != nil || live.Revoked() {
				t.Fatalf("session after the failed reset: revoked %v, %v", live.Revoked(), err)
			}
			mustExec(t, db, "DROP TRIGGER fail_session_update"+map[string]string{sqlstore.DriverPostgres: " ON sessions"}[db.Dialect()])
			if n, won, err := tokens.SpendReset(ctx, tok, "$2a$04$new", now.Add(time.Minute)); err != nil || !won || n != 1 {
				t.Fatalf("SpendReset after the failure = (%d, %v, %v), want (1, true, nil)", n, won, err)
			}
		})
	}
}

func mustUser(t *testing.T, users *sqlstore.Users, now time.Time) domain.User {
	t.Helper()
	id, err := domain.NewID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	email, err := domain.NewEmail("atomic@example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := domain.NewUser(id, email, "$2a$04$old", domain.RoleUser, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Create(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func mustSession(t *testing.T, sessions *sqlstore.Sessions, userID string, now time.Time) domain.Session {
	t.Helper()
	id, err := domain.NewID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	salt := make([]byte, domain.SaltSize)
	if _, err := rand.Read(salt); err != nil {
		t.Fatal(err)
	}
	s, err := domain.NewSession(id, userID, salt, domain.Client{UserAgent: "ua/1", IP: "192.0.2.1"}, now, domain.SessionPolicy{RefreshTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := sessions.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}
