package contract

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

var client2 = domain.Client{UserAgent: "ua/2", IP: "2001:db8::2"}

func runRotate(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "rotate stores the successor once", open, func(f fixture) {
		u := f.user("rot@example.com", domain.RoleUser)
		s := f.session(u.ID(), t0, policy)
		now := t0.Add(time.Minute)
		next := s.Rotated(now, policy, client2)
		f.rotate(next, now, true)
		sameSession(f, f.getSession(s.ID()), next.State())
		f.rotate(next, now, false)                                                             // generation 1 is spent
		f.rotate(next.Rotated(now, policy, client2).Rotated(now, policy, client2), now, false) // skips one
		f.rotate(s, now, false)                                                                // generation 1 is no successor
	})
	leaf(t, "rotate is refused on a revoked session", open, func(f fixture) {
		u := f.user("rev@example.com", domain.RoleUser)
		s := f.session(u.ID(), t0, policy)
		_, err := f.b.Sessions.Revoke(f.ctx, s.ID(), t0, domain.RevokeLogout)
		f.ok("Revoke", err)
		f.rotate(s.Rotated(t0, policy, client2), t0, false)
		if got := f.getSession(s.ID()); got.Generation() != 1 {
			f.t.Errorf("generation = %d after refused rotation, want 1", got.Generation())
		}
	})
	leaf(t, "rotate is refused once expired, to the microsecond", open, func(f fixture) {
		u := f.user("exp@example.com", domain.RoleUser)
		// Whole-second start, fractional "now": catches backends comparing
		// times as text of varying width.
		start := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
		s := f.session(u.ID(), start, domain.SessionPolicy{RefreshTTL: time.Hour})
		exp := s.ExpiresAt()
		f.rotate(s.Rotated(exp, policy, client2), exp, false)
		f.rotate(s.Rotated(exp, policy, client2), exp.Add(500*time.Millisecond), false)
		last := exp.Add(-time.Microsecond)
		f.rotate(s.Rotated(last, policy, client2), last, true)
	})
	leaf(t, "rotate is refused past the absolute lifetime", open, func(f fixture) {
		u := f.user("max@example.com", domain.RoleUser)
		p := domain.SessionPolicy{RefreshTTL: time.Hour, MaxAge: 90 * time.Minute}
		s := f.session(u.ID(), t0, p)
		now := t0.Add(50 * time.Minute)
		next := s.Rotated(now, p, client2) // expiry capped at t0+90m
		f.rotate(next, now, true)
		end := t0.Add(p.MaxAge)
		f.rotate(next.Rotated(end, p, client2), end, false)
	})
}

func runRaces(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "50 concurrent rotations of one generation: exactly one wins", open, func(f fixture) {
		u := f.user("race@example.com", domain.RoleUser)
		s := f.session(u.ID(), t0, policy)
		now := t0.Add(time.Second)
		next := s.Rotated(now, policy, client2)
		wins, errs := race(50, func(int) (bool, error) { return f.b.Sessions.Rotate(f.ctx, next, now) })
		if wins != 1 || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want 1), errors = %v", wins, errs)
		}
		if g := f.getSession(s.ID()).Generation(); g != 2 {
			f.t.Errorf("generation = %d, want 2", g)
		}
	})
	leaf(t, "revoke racing rotate always ends revoked", open, func(f fixture) {
		u := f.user("rr@example.com", domain.RoleUser)
		for i := 0; i < 10; i++ {
			s := f.session(u.ID(), t0, policy)
			now := t0.Add(time.Second)
			next := s.Rotated(now, policy, client2)
			_, errs := race(2, func(i int) (bool, error) {
				if i == 0 {
					return f.b.Sessions.Rotate(f.ctx, next, now)
				}
				return f.b.Sessions.Revoke(f.ctx, s.ID(), now, domain.RevokeReuse)
			})
			if len(errs) > 0 {
				f.t.Fatalf("round %d: %v", i, errs)
			}
			got := f.getSession(s.ID())
			if !got.Revoked() || got.Live(now) {
				f.t.Fatalf("round %d: session ended live (generation %d)", i, got.Generation())
			}
			f.rotate(got.Rotated(now, policy, client2), now, false)
		}
	})
	t.Run("two admins demoting each other: one is refused", func(t *testing.T) {
		t.Parallel()
		for round := 0; round < 5; round++ { // a fresh store each round: the last admin stays forever
			f := fixture{t: t, b: open(t), ctx: context.Background()}
			a, b := f.user("a@example.com", domain.RoleAdmin), f.user("b@example.com", domain.RoleAdmin)
			wins, errs := race(2, func(i int) (bool, error) {
				err := f.b.Users.ChangeRole(f.ctx, []domain.User{a, b}[i].WithRole(domain.RoleUser, t0))
				return err == nil, err
			})
			if wins != 1 || len(errs) != 1 || !errors.Is(errs[0], domain.ErrLastAdmin) {
				t.Fatalf("round %d: wins = %d, errors = %v; want one win and one ErrLastAdmin", round, wins, errs)
			}
			if admins := countAdmins(f); admins != 1 {
				t.Fatalf("round %d: %d admins left, want 1", round, admins)
			}
		}
	})
}

// rotate asserts Rotate's outcome, with no error either way.
func (f fixture) rotate(next domain.Session, now time.Time, want bool) {
	f.t.Helper()
	won, err := f.b.Sessions.Rotate(f.ctx, next, now)
	if err != nil || won != want {
		f.t.Errorf("Rotate(gen %d at %v) = (%v, %v), want (%v, nil)", next.Generation(), now, won, err, want)
	}
}

// race starts n calls at once and returns how many reported true and the
// errors they returned.
func race(n int, call func(i int) (bool, error)) (wins int, errs []error) {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		start = make(chan struct{})
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			won, err := call(i)
			mu.Lock()
			defer mu.Unlock()
			if won {
				wins++
			}
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return wins, errs
}

func countAdmins(f fixture) int {
	users, err := f.b.Users.List(f.ctx, "", 100)
	f.ok("List", err)
	n := 0
	for _, u := range users {
		if u.Role() == domain.RoleAdmin {
			n++
		}
	}
	return n
}
