package contract

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Backend is one storage implementation under test.
type Backend struct {
	Users         ports.UserRepository
	Sessions      ports.SessionRepository
	Tokens        ports.OneTimeTokenRepository
	MFA           ports.MFARepository
	MFAChallenges ports.MFAChallengeRepository
	Health        ports.HealthChecker
}

// Run runs the whole suite. open must return an isolated, freshly migrated
// (empty) store on every call, and release it in t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) Backend) {
	t.Run("health", func(t *testing.T) {
		t.Parallel()
		if err := open(t).Health.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("users", func(t *testing.T) { runUsers(t, open) })
	t.Run("sessions", func(t *testing.T) { runSessions(t, open) })
	t.Run("races", func(t *testing.T) { runRaces(t, open) })
	t.Run("session limit", func(t *testing.T) { runLimit(t, open) })
	t.Run("one-time tokens", func(t *testing.T) { runTokens(t, open) })
	t.Run("one-time token races", func(t *testing.T) { runTokenRaces(t, open) })
	t.Run("purge in batches", func(t *testing.T) { runPurgeBatches(t, open) })
	t.Run("mfa", func(t *testing.T) { runMFA(t, open) })
	t.Run("mfa challenges", func(t *testing.T) { runMFAChallenges(t, open) })
	t.Run("mfa races", func(t *testing.T) { runMFARaces(t, open) })
}

// t0 is a deliberately awkward instant: not UTC, with nanoseconds, so
// round-trip tests see what the backend truncates and converts.
var t0 = time.Date(2031, 3, 4, 5, 6, 7, 123456789, time.FixedZone("UTC+05:30", 5*3600+30*60))

var policy = domain.SessionPolicy{RefreshTTL: time.Hour, MaxAge: 24 * time.Hour, Grace: 10 * time.Second}

// fixture carries the store of one subtest and builds valid entities in it.
type fixture struct {
	t   *testing.T
	b   Backend
	ctx context.Context
}

// leaf starts a parallel subtest with its own store.
func leaf(t *testing.T, name string, open func(t *testing.T) Backend, fn func(f fixture)) {
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		fn(fixture{t: t, b: open(t), ctx: context.Background()})
	})
}

func (f fixture) id() string {
	f.t.Helper()
	id, err := domain.NewID(rand.Reader)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f fixture) email(raw string) domain.Email {
	f.t.Helper()
	e, err := domain.NewEmail(raw)
	if err != nil {
		f.t.Fatalf("NewEmail(%q): %v", raw, err)
	}
	return e
}

// newUser builds a user without storing it.
func (f fixture) newUser(email string, role domain.Role, now time.Time) domain.User {
	f.t.Helper()
	u, err := domain.NewUser(f.id(), f.email(email), "$2a$04$hash-of-"+email, role, now)
	if err != nil {
		f.t.Fatalf("NewUser: %v", err)
	}
	return u
}

// user builds and stores a user.
func (f fixture) user(email string, role domain.Role) domain.User {
	f.t.Helper()
	u := f.newUser(email, role, t0)
	if err := f.b.Users.Create(f.ctx, u); err != nil {
		f.t.Fatalf("Users.Create(%s): %v", email, err)
	}
	return u
}

// session builds and stores a session of userID started at now.
func (f fixture) session(userID string, now time.Time, p domain.SessionPolicy) domain.Session {
	f.t.Helper()
	salt := make([]byte, domain.SaltSize)
	if _, err := rand.Read(salt); err != nil {
		f.t.Fatal(err)
	}
	s, err := domain.NewSession(f.id(), userID, salt, domain.Client{UserAgent: "ua/1", IP: "192.0.2.1"}, now, p)
	if err != nil {
		f.t.Fatalf("NewSession: %v", err)
	}
	if err := f.b.Sessions.Create(f.ctx, s); err != nil {
		f.t.Fatalf("Sessions.Create: %v", err)
	}
	return s
}

func (f fixture) getSession(id string) domain.Session {
	f.t.Helper()
	s, err := f.b.Sessions.ByID(f.ctx, id)
	if err != nil {
		f.t.Fatalf("Sessions.ByID(%s): %v", id, err)
	}
	return s
}

func (f fixture) getUser(id string) domain.User {
	f.t.Helper()
	u, err := f.b.Users.ByID(f.ctx, id)
	if err != nil {
		f.t.Fatalf("Users.ByID(%s): %v", id, err)
	}
	return u
}

// wantErr fails unless err matches target with errors.Is.
func (f fixture) wantErr(what string, err, target error) {
	f.t.Helper()
	if !errors.Is(err, target) {
		f.t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

// ok fails the test now on an unexpected error.
func (f fixture) ok(what string, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
}

// sameTime checks a stored time: equal to want at TimePrecision, in UTC.
func (f fixture) sameTime(field string, got, want time.Time) {
	f.t.Helper()
	want = domain.Truncate(want)
	if !got.Equal(want) {
		f.t.Errorf("%s = %v, want %v", field, got, want)
	}
	if !got.IsZero() && got.Location() != time.UTC {
		f.t.Errorf("%s location = %v, want UTC", field, got.Location())
	}
}
