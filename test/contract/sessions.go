package contract

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func runSessions(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "create and get round-trips every field", open, func(f fixture) {
		u := f.user("s@example.com", domain.RoleUser)
		s := f.session(u.ID(), t0, policy) // t0: non-UTC with nanoseconds
		sameSession(f, f.getSession(s.ID()), s.State())
		got := f.getSession(s.ID()).State()
		f.sameTime("CreatedAt", got.CreatedAt, t0)
		f.sameTime("MaxExpiresAt", got.MaxExpiresAt, t0.Add(policy.MaxAge))
		if !got.RotatedAt.IsZero() || !got.RevokedAt.IsZero() {
			f.t.Errorf("new session has RotatedAt %v, RevokedAt %v; want zero", got.RotatedAt, got.RevokedAt)
		}
		noMax := f.session(u.ID(), t0, domain.SessionPolicy{RefreshTTL: time.Hour})
		f.sameTime("MaxExpiresAt without MaxAge", f.getSession(noMax.ID()).State().MaxExpiresAt, time.Time{})
	})
	leaf(t, "unknown ids are ErrNotFound", open, func(f fixture) {
		f.wantErr("ByID", errOf(f.b.Sessions.ByID(f.ctx, f.id())), domain.ErrNotFound)
		f.wantErr("ByID malformed", errOf(f.b.Sessions.ByID(f.ctx, "nope")), domain.ErrNotFound)
		salt := make([]byte, domain.SaltSize)
		s, err := domain.NewSession(f.id(), f.id(), salt, domain.Client{}, t0, policy)
		f.ok("NewSession", err)
		f.wantErr("Create for unknown user", f.b.Sessions.Create(f.ctx, s), domain.ErrNotFound)
		won, err := f.b.Sessions.Revoke(f.ctx, f.id(), t0, domain.RevokeLogout)
		if won || err != nil {
			f.t.Errorf("Revoke unknown = (%v, %v), want (false, nil)", won, err)
		}
	})
	leaf(t, "list live: newest first, no revoked or expired", open, func(f fixture) {
		u := f.user("l@example.com", domain.RoleUser)
		other := f.user("m@example.com", domain.RoleUser)
		old := f.session(u.ID(), t0, policy)
		mid := f.session(u.ID(), t0.Add(time.Minute), policy)
		revoked := f.session(u.ID(), t0.Add(2*time.Minute), policy)
		f.session(u.ID(), t0.Add(3*time.Minute), domain.SessionPolicy{RefreshTTL: time.Minute}) // expired by now
		f.session(other.ID(), t0.Add(4*time.Minute), policy)
		now := t0.Add(5 * time.Minute) // past short's expiry
		_, err := f.b.Sessions.Revoke(f.ctx, revoked.ID(), now, domain.RevokeLogout)
		f.ok("Revoke", err)
		got, err := f.b.Sessions.ListLive(f.ctx, u.ID(), now)
		f.ok("ListLive", err)
		if len(got) != 2 || got[0].ID() != mid.ID() || got[1].ID() != old.ID() {
			f.t.Errorf("ListLive = %v, want [mid old]", ids(got))
		}
		n, err := f.b.Sessions.CountLive(f.ctx, now)
		f.ok("CountLive", err)
		if n != 3 { // old, mid, other's
			f.t.Errorf("CountLive = %d, want 3", n)
		}
	})
	leaf(t, "by id with user reads what the two separate reads read", open, func(f fixture) {
		u := f.user("joined@example.com", domain.RoleUser)
		s := f.session(u.ID(), t0, policy)
		check := func(stage string) {
			gotS, gotU, err := f.b.Sessions.ByIDWithUser(f.ctx, s.ID())
			f.ok("ByIDWithUser "+stage, err)
			sameSession(f, gotS, f.getSession(s.ID()).State())
			if !reflect.DeepEqual(gotU.State(), f.getUser(u.ID()).State()) {
				f.t.Errorf("%s: joined user %+v, want %+v", stage, gotU.State(), f.getUser(u.ID()).State())
			}
		}
		check("new")
		now := t0.Add(time.Second)
		won, err := f.b.Sessions.Rotate(f.ctx, s.Rotated(now, policy, domain.Client{UserAgent: "ua", IP: "127.0.0.1"}), now)
		f.ok("Rotate", err)
		if !won {
			f.t.Fatal("Rotate lost on a quiet row")
		}
		_, err = f.b.Sessions.Revoke(f.ctx, s.ID(), now.Add(time.Second), domain.RevokeLogout)
		f.ok("Revoke", err)
		check("rotated and revoked")
		f.wantErr("ByIDWithUser unknown", errOf3(f.b.Sessions.ByIDWithUser(f.ctx, f.id())), domain.ErrNotFound)
	})
	leaf(t, "salt round-trips", open, func(f fixture) {
		u := f.user("salt@example.com", domain.RoleUser)
		s := f.session(u.ID(), t0, policy)
		if got := f.getSession(s.ID()).Salt(); !bytes.Equal(got, s.Salt()) {
			f.t.Errorf("Salt = %x, want %x", got, s.Salt())
		}
	})
	leaf(t, "revoke is once; the first reason stays", open, func(f fixture) {
		u := f.user("r@example.com", domain.RoleUser)
		s := f.session(u.ID(), t0, policy)
		won, err := f.b.Sessions.Revoke(f.ctx, s.ID(), t0.Add(time.Second), domain.RevokeLogout)
		if !won || err != nil {
			f.t.Fatalf("first Revoke = (%v, %v), want (true, nil)", won, err)
		}
		won, err = f.b.Sessions.Revoke(f.ctx, s.ID(), t0.Add(2*time.Second), domain.RevokeReuse)
		if won || err != nil {
			f.t.Errorf("second Revoke = (%v, %v), want (false, nil)", won, err)
		}
		got := f.getSession(s.ID())
		f.sameTime("RevokedAt", got.RevokedAt(), t0.Add(time.Second))
		if got.RevokeReason() != domain.RevokeLogout {
			f.t.Errorf("RevokeReason = %q, want %q", got.RevokeReason(), domain.RevokeLogout)
		}
	})
	leaf(t, "revoke all for user except one", open, func(f fixture) {
		u := f.user("all@example.com", domain.RoleUser)
		other := f.user("none@example.com", domain.RoleUser)
		keep, a, b := f.session(u.ID(), t0, policy), f.session(u.ID(), t0, policy), f.session(u.ID(), t0, policy)
		gone := f.session(u.ID(), t0, policy)
		theirs := f.session(other.ID(), t0, policy)
		_, err := f.b.Sessions.Revoke(f.ctx, gone.ID(), t0, domain.RevokeLogout)
		f.ok("Revoke", err)
		now := t0.Add(time.Second)
		n, err := f.b.Sessions.RevokeAllForUser(f.ctx, u.ID(), keep.ID(), now, domain.RevokePasswordChange)
		f.ok("RevokeAllForUser", err)
		if n != 2 {
			f.t.Errorf("RevokeAllForUser ended %d, want 2", n)
		}
		for _, s := range []domain.Session{a, b} {
			if got := f.getSession(s.ID()); got.RevokeReason() != domain.RevokePasswordChange {
				f.t.Errorf("session reason %q, want %q", got.RevokeReason(), domain.RevokePasswordChange)
			}
		}
		if got := f.getSession(gone.ID()); got.RevokeReason() != domain.RevokeLogout {
			f.t.Errorf("already-ended session reason changed to %q", got.RevokeReason())
		}
		for _, s := range []domain.Session{keep, theirs} {
			if !f.getSession(s.ID()).Live(now) {
				f.t.Errorf("session %s should still be live", s.ID())
			}
		}
		n, err = f.b.Sessions.RevokeAllForUser(f.ctx, u.ID(), "", now, domain.RevokeLogoutAll)
		if n != 1 || err != nil {
			f.t.Errorf("RevokeAllForUser without except = (%d, %v), want (1, nil)", n, err)
		}
	})
	leaf(t, "purge deletes only sessions ended before the cutoff", open, func(f fixture) {
		u := f.user("p@example.com", domain.RoleUser)
		ttl := domain.SessionPolicy{RefreshTTL: time.Hour}
		cutoff := t0.Add(2 * time.Hour)
		expired := f.session(u.ID(), t0, ttl)                  // expires cutoff-1h
		atCutoff := f.session(u.ID(), t0.Add(time.Hour), ttl)  // expires exactly at cutoff
		live := f.session(u.ID(), t0.Add(90*time.Minute), ttl) // expires after cutoff
		revokedEarly := f.session(u.ID(), t0.Add(90*time.Minute), ttl)
		revokedLate := f.session(u.ID(), t0.Add(90*time.Minute), ttl)
		_, err := f.b.Sessions.Revoke(f.ctx, revokedEarly.ID(), cutoff.Add(-time.Microsecond), domain.RevokeLogout)
		f.ok("Revoke early", err)
		_, err = f.b.Sessions.Revoke(f.ctx, revokedLate.ID(), cutoff, domain.RevokeLogout)
		f.ok("Revoke late", err)
		n, err := f.b.Sessions.Purge(f.ctx, cutoff, 100)
		f.ok("Purge", err)
		if n != 2 {
			f.t.Errorf("Purge deleted %d, want 2", n)
		}
		for _, s := range []domain.Session{expired, revokedEarly} {
			f.wantErr("purged session", errOf(f.b.Sessions.ByID(f.ctx, s.ID())), domain.ErrNotFound)
		}
		for _, s := range []domain.Session{atCutoff, live, revokedLate} {
			f.getSession(s.ID())
		}
	})
	runRotate(t, open)
}

func sameSession(f fixture, got domain.Session, w domain.SessionState) {
	f.t.Helper()
	g := got.State()
	if g.ID != w.ID || g.UserID != w.UserID || g.Generation != w.Generation || !bytes.Equal(g.Salt, w.Salt) ||
		g.RevokeReason != w.RevokeReason || g.UserAgent != w.UserAgent || g.IP != w.IP {
		f.t.Errorf("session = %+v, want %+v", g, w)
	}
	f.sameTime("CreatedAt", g.CreatedAt, w.CreatedAt)
	f.sameTime("RotatedAt", g.RotatedAt, w.RotatedAt)
	f.sameTime("LastUsedAt", g.LastUsedAt, w.LastUsedAt)
	f.sameTime("ExpiresAt", g.ExpiresAt, w.ExpiresAt)
	f.sameTime("MaxExpiresAt", g.MaxExpiresAt, w.MaxExpiresAt)
	f.sameTime("RevokedAt", g.RevokedAt, w.RevokedAt)
}

func ids(ss []domain.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID()
	}
	return out
}

func errOf3[A, B any](_ A, _ B, err error) error { return err }
