package application_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// saturate occupies pool's only worker and its one queue slot (from
// another fairness key), so any further job is refused at once; the
// returned func frees the pool and waits until it has drained.
func saturate(t *testing.T, pool *passhash.Pool) (release func()) {
	t.Helper()
	started, gate, done := make(chan struct{}), make(chan struct{}), make(chan error, 2)
	go func() { done <- pool.Do(context.Background(), func() { close(started); <-gate }) }()
	<-started
	go func() { done <- pool.Do(ports.WithFairnessKey(context.Background(), "someone else"), func() {}) }()
	deadline := time.Now().Add(10 * time.Second) // turns a hang into a failure; asserts nothing
	for pool.Queued() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the filler job never queued")
		}
		runtime.Gosched()
	}
	return func() {
		close(gate)
		for range 2 {
			if err := <-done; err != nil {
				t.Errorf("saturating job: %v", err)
			}
		}
	}
}

// TestBusyHasherChangesNothing: while the hash queue refuses work, every
// use case that hashes answers domain.ErrBusy, and none of them has
// written a user, opened a session, counted a failure, changed a password
// or spent a reset token. An unknown email is refused like a known one.
func TestBusyHasherChangesNothing(t *testing.T) {
	f := newAppFixture(t, nil)
	pool := passhash.NewPool(1, passhash.Queue{Size: 1, Timeout: time.Hour})
	hasher, err := passhash.NewOnPool(4, pool)
	if err != nil {
		t.Fatal(err)
	}
	failures := &failCounter{LoginThrottle: throttle.NewFailures()}
	recovery := application.NewRecovery(f.users, f.store.Tokens(), hasher, f.clock, f.audit, failures, emailnorm.New(), f.mail, f.policy)
	mfa := newAppMFA(t, f.store, hasher, failures, f.clock, f.audit, f.policy, f.sealer)
	auth := application.NewAuth(f.users, f.sessions, hasher, f.tokens, f.key, f.clock, failures, f.audit, f.policy,
		emailnorm.New(), recovery, mfa, nil)
	accounts := application.NewAccounts(f.users, f.sessions, hasher, f.clock, f.audit, failures, f.store.Tokens(), f.policy)
	known, tok, err := auth.Register(f.ctx, ports.Credentials{Email: "known@example.com", Password: appPassword})
	if err != nil {
		t.Fatal(err)
	}
	f.drain()
	sid := f.claims(tok.AccessToken).SessionID
	reset := f.forgot("known@example.com", 1)

	release := saturate(t, pool)
	ctx := ports.WithFairnessKey(f.ctx, "client")
	busy := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, domain.ErrBusy) {
			t.Fatalf("%s: %v, want ErrBusy", what, err)
		}
	}
	_, _, err = auth.Register(ctx, ports.Credentials{Email: "new@example.com", Password: appPassword})
	busy("register", err)
	for range 3 {
		_, err = auth.Login(ctx, ports.Credentials{Email: "known@example.com", Password: "wrong password"})
		busy("login, wrong password", err)
	}
	_, err = auth.Login(ctx, ports.Credentials{Email: "known@example.com", Password: appPassword})
	busy("login, right password", err)
	_, err = auth.Login(ctx, ports.Credentials{Email: "nobody@example.com", Password: appPassword})
	busy("login, unknown email", err)
	_, err = auth.Login(ctx, ports.Credentials{Email: "known@example.com", Password: strings.Repeat("x", 80)})
	busy("login, over-long password", err)
	busy("change password", accounts.ChangePassword(ctx, known.ID(), sid, appPassword, "a brand new password", domain.Client{IP: "192.0.2.1"}))
	busy("reset password", recovery.ResetPassword(ctx, reset, "a brand new password", domain.Client{IP: "192.0.2.1"}))
	release()

	if _, err := f.users.ByEmail(f.ctx, mustEmail(t, "new@example.com")); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the refused registration left a user: %v", err)
	}
	if live, _ := f.sessions.ListLive(f.ctx, known.ID(), f.clock.Now()); len(live) != 1 {
		t.Fatalf("%d live sessions, want only the registration's", len(live))
	}
	if n, fails := len(f.audit.of(domain.AuditLoginFailed)), failures.fails.Load(); n != 0 || fails != 0 {
		t.Fatalf("%d failed logins audited, %d counted by the throttle, for work that was refused", n, fails)
	}
	if _, err := auth.Login(ctx, ports.Credentials{Email: "known@example.com", Password: appPassword}); err != nil {
		t.Fatalf("once the queue drains, the old password still logs in: %v", err)
	}
	if err := recovery.ResetPassword(ctx, reset, "a brand new password", domain.Client{}); err != nil {
		t.Fatalf("the refused reset spent its token: %v", err)
	}
}

// failCounter counts the failures reported to the real login throttle.
type failCounter struct {
	ports.LoginThrottle
	fails atomic.Int32
}

func (c *failCounter) Fail(ctx context.Context, counters []domain.FailureCounter, now time.Time) {
	c.fails.Add(1)
	c.LoginThrottle.Fail(ctx, counters, now)
}

func mustEmail(t *testing.T, raw string) domain.Email {
	t.Helper()
	e, err := domain.NewEmail(raw)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
