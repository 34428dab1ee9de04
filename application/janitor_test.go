package application_test

import (
	"errors"
	"testing"
	"time"

	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
)

func TestJanitorPass(t *testing.T) {
	f := newAppFixture(t, nil) // refresh TTL 1h
	j := application.NewJanitor(f.sessions, f.store.Tokens(), f.store.MFAChallenges(), f.clock, application.Retention(2*time.Hour))
	_, live := f.register("live@example.com")
	ended := f.login("live@example.com", appPassword)
	expired := f.login("live@example.com", appPassword)              // idle-expires at T0+1h
	if err := f.auth.Logout(f.ctx, ended.RefreshToken); err != nil { // revoked at T0
		t.Fatal(err)
	}
	pass := func(at time.Duration, want application.PassResult) {
		t.Helper()
		f.clock.Set(appT0.Add(at))
		got, err := j.Pass(f.ctx)
		if err != nil || got != want {
			t.Fatalf("pass at T0+%v = (%+v, %v), want %+v", at, got, err, want)
		}
	}
	present := func(id string, want bool) {
		t.Helper()
		_, err := f.sessions.ByID(f.ctx, id)
		if got := err == nil; got != want || (err != nil && !errors.Is(err, domain.ErrNotFound)) {
			t.Fatalf("session %s present = %v (%v), want %v", id, got, err, want)
		}
	}
	keepAlive := func() {
		t.Helper()
		live = f.refresh(live.RefreshToken)
	}

	pass(0, application.PassResult{Purged: 0, Live: 2})
	f.clock.Set(appT0.Add(50 * time.Minute))
	keepAlive()
	pass(100*time.Minute, application.PassResult{Purged: 0, Live: 1}) // expired, but not long enough
	keepAlive()
	// Revoked at T0: at T0+2h it is exactly at the retention edge, still kept.
	pass(120*time.Minute, application.PassResult{Purged: 0, Live: 1})
	pass(120*time.Minute+time.Microsecond, application.PassResult{Purged: 1, Live: 1})
	present(ended.SessionID, false)
	present(expired.SessionID, true)
	keepAlive()
	// Expired at T0+1h: purged after T0+3h.
	pass(180*time.Minute, application.PassResult{Purged: 0, Live: 1})
	keepAlive()
	pass(181*time.Minute, application.PassResult{Purged: 1, Live: 1})
	present(expired.SessionID, false)
	present(live.SessionID, true)
	f.refresh(live.RefreshToken)
	// A purged session's token is simply unknown.
	f.refreshErr(ended.RefreshToken, domain.ErrRefreshInvalid)
}

func TestJanitorPassReportsStorageErrors(t *testing.T) {
	f := newAppFixture(t, nil)
	j := application.NewJanitor(f.sessions, f.store.Tokens(), f.store.MFAChallenges(), f.clock, application.Retention(time.Hour))
	ctx, cancel := contextCanceled()
	defer cancel()
	if _, err := j.Pass(ctx); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("Pass on a dead store = %v, want ErrUnavailable", err)
	}
}

// Spent and expired one-time tokens are purged at once: they answer like
// unknown ones anyway.
func TestJanitorPurgesSpentAndExpiredTokens(t *testing.T) {
	f := newAppFixture(t, nil) // verification links live 24h, reset links 30m
	j := application.NewJanitor(f.sessions, f.store.Tokens(), f.store.MFAChallenges(), f.clock, application.Retention(time.Hour))
	f.register("tokens@example.com")
	spent := f.forgot("tokens@example.com", 1)
	f.forgot("tokens@example.com", 2) // voids the first
	if got, err := j.Pass(f.ctx); err != nil || got.PurgedTokens != 0 {
		t.Fatalf("pass at the voiding instant = (%+v, %v), want nothing purged yet", got, err)
	}
	f.clock.Advance(time.Microsecond)
	if got, err := j.Pass(f.ctx); err != nil || got.PurgedTokens != 1 {
		t.Fatalf("pass = (%+v, %v), want the voided reset link purged", got, err)
	}
	f.clock.Advance(30 * time.Minute)
	if got, err := j.Pass(f.ctx); err != nil || got.PurgedTokens != 1 {
		t.Fatalf("pass = (%+v, %v), want the expired reset link purged", got, err)
	}
	if err := f.recovery.ResetPassword(f.ctx, spent, "brand new password", client); !errors.Is(err, domain.ErrResetTokenInvalid) {
		t.Fatalf("a purged link: %v", err)
	}
	f.clock.Advance(24 * time.Hour)
	if got, err := j.Pass(f.ctx); err != nil || got.PurgedTokens != 1 {
		t.Fatalf("pass = (%+v, %v), want the expired verification link purged", got, err)
	}
}

// A backlog larger than one batch drains in one pass, batch by batch, each
// batch reported, none larger than PurgeBatch, the live session kept.
func TestJanitorDrainsABacklogInBatches(t *testing.T) {
	f := newAppFixture(t, nil) // refresh TTL 1h
	j := application.NewJanitor(f.sessions, f.store.Tokens(), f.store.MFAChallenges(), f.clock, application.Retention(time.Minute))
	u, _ := f.register("backlog@example.com")
	due := 2*application.PurgeBatch + 7
	for i := range due {
		s, err := domain.NewSession(domain.FormatID([16]byte{byte(i >> 8), byte(i), 1}), u.ID(),
			make([]byte, domain.SaltSize), domain.Client{}, appT0, domain.SessionPolicy{RefreshTTL: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.sessions.Create(f.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(appT0.Add(50 * time.Minute)) // the registration's session is still live
	var batches []int
	got, err := j.PassObserved(f.ctx, func(what application.Purged, n int) {
		if what != application.PurgedSessions || n > application.PurgeBatch {
			t.Errorf("batch %s of %d rows", what, n)
		}
		batches = append(batches, n)
	})
	if err != nil || got != (application.PassResult{Purged: due, Live: 1}) {
		t.Fatalf("pass = (%+v, %v), want %d purged, 1 live", got, err, due)
	}
	if len(batches) != 3 || batches[2] != 7 {
		t.Errorf("batches %v, want two full ones and 7", batches)
	}
}
