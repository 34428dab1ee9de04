package contract

import (
	"crypto/rand"
	"sort"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func runLimit(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "revoke over limit ends the least recently used live sessions", open, func(f fixture) {
		u, other := f.user("cap@example.com", domain.RoleUser), f.user("free@example.com", domain.RoleUser)
		var s []domain.Session // s[0] … s[4], created a minute apart
		for i := range 5 {
			s = append(s, f.session(u.ID(), t0.Add(time.Duration(i)*time.Minute), policy))
		}
		f.rotate(s[0].Rotated(t0.Add(10*time.Minute), policy, client2), t0.Add(10*time.Minute), true) // now the most recently used
		ended := f.session(u.ID(), t0.Add(6*time.Minute), policy)
		_, err := f.b.Sessions.Revoke(f.ctx, ended.ID(), t0.Add(7*time.Minute), domain.RevokeLogout)
		f.ok("Revoke", err)
		expired := f.session(u.ID(), t0.Add(-2*time.Hour), policy)
		theirs := f.session(other.ID(), t0, policy)
		fresh := f.session(u.ID(), t0.Add(11*time.Minute), policy)
		now := t0.Add(12 * time.Minute)

		n, err := f.b.Sessions.RevokeOverLimit(f.ctx, u.ID(), fresh.ID(), 3, now, domain.RevokeSessionLimit)
		if n != 3 || err != nil {
			f.t.Fatalf("RevokeOverLimit = (%d, %v), want (3, nil)", n, err)
		}
		for _, gone := range s[1:4] {
			if got := f.getSession(gone.ID()); got.RevokeReason() != domain.RevokeSessionLimit {
				f.t.Errorf("session %s: reason %q, want %q", gone.ID(), got.RevokeReason(), domain.RevokeSessionLimit)
			}
		}
		for _, kept := range []domain.Session{fresh, s[0], s[4], theirs} {
			if !f.getSession(kept.ID()).Live(now) {
				f.t.Errorf("session %s should still be live", kept.ID())
			}
		}
		if got := f.getSession(ended.ID()).RevokeReason(); got != domain.RevokeLogout {
			f.t.Errorf("already-ended session's reason changed to %q", got)
		}
		if got := f.getSession(expired.ID()); got.Revoked() {
			f.t.Error("an expired session was revoked: only live ones count")
		}
		for _, limit := range []int{3, 4, 0, -1} {
			if n, err := f.b.Sessions.RevokeOverLimit(f.ctx, u.ID(), fresh.ID(), limit, now, domain.RevokeSessionLimit); n != 0 || err != nil {
				f.t.Errorf("RevokeOverLimit(limit %d) again = (%d, %v), want (0, nil)", limit, n, err)
			}
		}
		live, err := f.b.Sessions.ListLive(f.ctx, u.ID(), now)
		if f.ok("ListLive", err); len(live) != 3 {
			f.t.Errorf("%d live sessions, want 3", len(live))
		}
	})
	leaf(t, "revoke over limit breaks ties by creation, then id", open, func(f fixture) {
		u := f.user("ties@example.com", domain.RoleUser)
		keep := f.session(u.ID(), t0, policy)
		older := f.session(u.ID(), t0.Add(-time.Second), policy)
		a, b := f.session(u.ID(), t0, policy), f.session(u.ID(), t0, policy)
		low, high := a, b
		if low.ID() > high.ID() {
			low, high = high, low
		}
		n, err := f.b.Sessions.RevokeOverLimit(f.ctx, u.ID(), keep.ID(), 2, t0, domain.RevokeSessionLimit)
		f.ok("RevokeOverLimit", err)
		if n != 2 || !f.getSession(older.ID()).Revoked() || !f.getSession(low.ID()).Revoked() || f.getSession(high.ID()).Revoked() {
			f.t.Errorf("ended %d; want the older session and the lower id ended, the higher id kept", n)
		}
	})
	leaf(t, "20 concurrent logins at a limit of 5", open, func(f fixture) {
		u := f.user("burst@example.com", domain.RoleUser)
		for i := range 5 {
			f.session(u.ID(), t0.Add(time.Duration(i)*time.Millisecond), policy)
		}
		fresh := make([]domain.Session, 20)
		for i := range fresh {
			fresh[i] = f.newSession(u.ID(), t0.Add(time.Second+time.Duration(i)*time.Millisecond))
		}
		now := t0.Add(2 * time.Second)
		_, errs := race(len(fresh), func(i int) (bool, error) {
			if err := f.b.Sessions.Create(f.ctx, fresh[i]); err != nil {
				return false, err
			}
			_, err := f.b.Sessions.RevokeOverLimit(f.ctx, u.ID(), fresh[i].ID(), 5, now, domain.RevokeSessionLimit)
			return false, err
		})
		if len(errs) > 0 {
			f.t.Fatalf("errors: %v", errs)
		}
		live, err := f.b.Sessions.ListLive(f.ctx, u.ID(), now)
		f.ok("ListLive", err)
		if len(live) > 5 || len(live) == 0 {
			f.t.Fatalf("%d live sessions after the burst, want 1 to 5", len(live))
		}
		sort.Slice(live, func(i, j int) bool { return live[i].LastUsedAt().After(live[j].LastUsedAt()) })
		if live[0].ID() != fresh[len(fresh)-1].ID() {
			f.t.Errorf("the most recently used session was ended")
		}
	})
}

// newSession builds a session of userID started at now without storing it.
func (f fixture) newSession(userID string, now time.Time) domain.Session {
	f.t.Helper()
	salt := make([]byte, domain.SaltSize)
	if _, err := rand.Read(salt); err != nil {
		f.t.Fatal(err)
	}
	s, err := domain.NewSession(f.id(), userID, salt, domain.Client{UserAgent: "ua/1", IP: "192.0.2.1"}, now, policy)
	if err != nil {
		f.t.Fatalf("NewSession: %v", err)
	}
	return s
}
