package contract

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// challenge builds and stores a challenge of u started at now.
func (f fixture) challenge(u domain.User, now time.Time) (string, domain.MFAChallenge) {
	f.t.Helper()
	raw, c, err := domain.NewMFAChallenge(rand.Reader, u, "0b8e6a52-3c1d-4f7e-9a2b-5c6d7e8f9a0b", true, now)
	f.ok("NewMFAChallenge", err)
	f.ok("MFAChallenges.Create", f.b.MFAChallenges.Create(f.ctx, c))
	return raw, c
}

func (f fixture) attempt(c domain.MFAChallenge, now time.Time, want bool) {
	f.t.Helper()
	won, err := f.b.MFAChallenges.Attempt(f.ctx, c.Hash(), now)
	if err != nil || won != want {
		f.t.Errorf("Attempt at %v = %v, %v; want %v", now, won, err, want)
	}
}

func (f fixture) spendChallenge(c domain.MFAChallenge, now time.Time, want bool) {
	f.t.Helper()
	won, err := f.b.MFAChallenges.Spend(f.ctx, c.Hash(), now)
	if err != nil || won != want {
		f.t.Errorf("Spend at %v = %v, %v; want %v", now, won, err, want)
	}
}

func runMFAChallenges(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "a challenge round-trips by the hash of its token", open, func(f fixture) {
		u := f.user("ch@example.com", domain.RoleUser)
		raw, c := f.challenge(u, t0)
		hash, err := domain.MFATokenHash(raw)
		f.ok("MFATokenHash", err)
		got, err := f.b.MFAChallenges.ByHash(f.ctx, hash)
		f.ok("ByHash", err)
		g, w := got.State(), c.State()
		if !bytes.Equal(g.Hash, w.Hash) || g.UserID != w.UserID || g.DeviceID != w.DeviceID || !got.IssuedFor(u) ||
			g.CookieTransport != w.CookieTransport || g.Attempts != 0 || !g.UsedAt.IsZero() {
			f.t.Fatalf("stored %+v, want %+v", g, w)
		}
		f.sameTime("CreatedAt", g.CreatedAt, w.CreatedAt)
		f.sameTime("ExpiresAt", g.ExpiresAt, w.ExpiresAt)
		_, err = f.b.MFAChallenges.ByHash(f.ctx, bytes.Repeat([]byte{1}, 32))
		f.wantErr("ByHash of an unknown token", err, domain.ErrNotFound)
		_, orphan, _ := domain.NewMFAChallenge(rand.Reader, f.newUser("nobody@example.com", domain.RoleUser, t0), "", false, t0)
		f.wantErr("Create for an unknown user", f.b.MFAChallenges.Create(f.ctx, orphan), domain.ErrNotFound)
	})
	leaf(t, "a challenge takes five attempts, then none", open, func(f fixture) {
		u := f.user("five@example.com", domain.RoleUser)
		_, c := f.challenge(u, t0)
		for range domain.MaxMFAAttempts {
			f.attempt(c, t0, true)
		}
		f.attempt(c, t0, false)
		got, err := f.b.MFAChallenges.ByHash(f.ctx, c.Hash())
		f.ok("ByHash", err)
		if got.Attempts() != domain.MaxMFAAttempts || got.Usable(t0) {
			f.t.Errorf("after the budget: attempts %d, usable %v", got.Attempts(), got.Usable(t0))
		}
	})
	leaf(t, "a challenge expires to the microsecond", open, func(f fixture) {
		u := f.user("exp@example.com", domain.RoleUser)
		_, c := f.challenge(u, t0)
		last := c.ExpiresAt().Add(-time.Microsecond)
		f.attempt(c, c.ExpiresAt(), false)
		f.spendChallenge(c, c.ExpiresAt(), false)
		f.attempt(c, last, true)
		f.spendChallenge(c, last, true)
	})
	leaf(t, "a challenge is spent once, and takes no attempt after", open, func(f fixture) {
		u := f.user("once@example.com", domain.RoleUser)
		_, c := f.challenge(u, t0)
		f.attempt(c, t0, true)
		f.spendChallenge(c, t0, true)
		f.spendChallenge(c, t0, false)
		f.attempt(c, t0, false)
		got, err := f.b.MFAChallenges.ByHash(f.ctx, c.Hash())
		f.ok("ByHash", err)
		if !got.Used() {
			f.t.Error("a spent challenge reads as unused")
		}
	})
	leaf(t, "purge deletes expired challenges only, at most limit at a time", open, func(f fixture) {
		u := f.user("purge@example.com", domain.RoleUser)
		_, old := f.challenge(u, t0)
		_, older := f.challenge(u, t0.Add(-time.Minute))
		_, fresh := f.challenge(u, t0.Add(time.Hour))
		cutoff := t0.Add(domain.MFAChallengeTTL + time.Second)
		if n, err := f.b.MFAChallenges.Purge(f.ctx, cutoff, 0); err != nil || n != 0 {
			f.t.Fatalf("Purge with limit 0 = %d, %v; want 0", n, err)
		}
		if n, err := f.b.MFAChallenges.Purge(f.ctx, cutoff, 1); err != nil || n != 1 {
			f.t.Fatalf("Purge with limit 1 = %d, %v; want 1", n, err)
		}
		if n, err := f.b.MFAChallenges.Purge(f.ctx, cutoff, 10); err != nil || n != 1 {
			f.t.Fatalf("Purge of the rest = %d, %v; want 1", n, err)
		}
		_, err := f.b.MFAChallenges.ByHash(f.ctx, older.Hash())
		f.wantErr("purged challenge", err, domain.ErrNotFound)
		_, err = f.b.MFAChallenges.ByHash(f.ctx, old.Hash())
		f.wantErr("purged challenge", err, domain.ErrNotFound)
		_, err = f.b.MFAChallenges.ByHash(f.ctx, fresh.Hash())
		f.ok("live challenge", err)
	})
}

func runMFARaces(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "50 concurrent acceptances of one TOTP step: exactly one wins", open, func(f fixture) {
		u := f.user("step-race@example.com", domain.RoleUser)
		f.enabled(u.ID(), nil)
		wins, errs := race(50, func(int) (bool, error) { return f.b.MFA.AcceptStep(f.ctx, u.ID(), 1001, t0) })
		if wins != 1 || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want 1), errors = %v", wins, errs)
		}
	})
	leaf(t, "50 concurrent spends of one recovery code: exactly one wins", open, func(f fixture) {
		u := f.user("code-race@example.com", domain.RoleUser)
		codes := digests(1, 10)
		f.enabled(u.ID(), codes)
		wins, errs := race(50, func(int) (bool, error) {
			return f.b.MFA.SpendRecoveryCode(f.ctx, u.ID(), [][]byte{codes[0]}, t0)
		})
		if wins != 1 || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want 1), errors = %v", wins, errs)
		}
		f.codesLeft(u.ID(), 9)
	})
	leaf(t, "50 concurrent attempts on one challenge: exactly the budget wins", open, func(f fixture) {
		u := f.user("attempt-race@example.com", domain.RoleUser)
		_, c := f.challenge(u, t0)
		wins, errs := race(50, func(int) (bool, error) { return f.b.MFAChallenges.Attempt(f.ctx, c.Hash(), t0) })
		if wins != domain.MaxMFAAttempts || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want %d), errors = %v", wins, domain.MaxMFAAttempts, errs)
		}
	})
	leaf(t, "50 concurrent spends of one challenge: exactly one wins", open, func(f fixture) {
		u := f.user("spend-race@example.com", domain.RoleUser)
		_, c := f.challenge(u, t0)
		wins, errs := race(50, func(int) (bool, error) { return f.b.MFAChallenges.Spend(f.ctx, c.Hash(), t0) })
		if wins != 1 || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want 1), errors = %v", wins, errs)
		}
	})
	leaf(t, "20 concurrent confirmations of one enrolment: exactly one wins", open, func(f fixture) {
		u := f.user("enable-race@example.com", domain.RoleUser)
		on := f.pending(u.ID(), sealed(1), t0).Enable(1000, t0)
		wins, errs := race(20, func(i int) (bool, error) { return f.b.MFA.Enable(f.ctx, on, digests(byte(i), 10)) })
		if wins != 1 || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want 1), errors = %v", wins, errs)
		}
		f.codesLeft(u.ID(), 10)
	})
}
