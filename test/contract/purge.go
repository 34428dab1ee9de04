package contract

import (
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// runPurgeBatches: Purge with a small limit, called until a batch comes
// back short, removes every due row and nothing live, never more than
// limit at a time, whichever column (revoked, expired, used) made it due.
func runPurgeBatches(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "sessions in batches", open, func(f fixture) {
		u := f.user("batch@example.com", domain.RoleUser)
		ttl := domain.SessionPolicy{RefreshTTL: time.Hour}
		cutoff := t0.Add(2 * time.Hour)
		var due, live []domain.Session
		for i := range 5 {
			due = append(due, f.session(u.ID(), t0.Add(time.Duration(i)*time.Minute), ttl)) // expired
			s := f.session(u.ID(), t0.Add(90*time.Minute), ttl)
			_, err := f.b.Sessions.Revoke(f.ctx, s.ID(), t0.Add(100*time.Minute), domain.RevokeLogout)
			f.ok("Revoke", err)
			due = append(due, s)
			live = append(live, f.session(u.ID(), t0.Add(90*time.Minute), ttl))
		}
		total := drainBatches(f, 3, func(limit int) (int, error) { return f.b.Sessions.Purge(f.ctx, cutoff, limit) })
		if total != len(due) {
			f.t.Errorf("batches deleted %d, want %d", total, len(due))
		}
		for _, s := range due {
			f.wantErr("purged session", errOf(f.b.Sessions.ByID(f.ctx, s.ID())), domain.ErrNotFound)
		}
		for _, s := range live {
			f.getSession(s.ID())
		}
	})
	leaf(t, "one-time tokens in batches", open, func(f fixture) {
		u := f.user("tbatch@example.com", domain.RoleUser)
		var due, live []domain.OneTimeToken
		for range 4 {
			due = append(due, f.token(u.ID(), domain.PurposeVerifyEmail, t0, time.Hour)) // expired
			live = append(live, f.token(u.ID(), domain.PurposeVerifyEmail, t0, 48*time.Hour))
		}
		for range 3 {
			due = append(due, f.token(u.ID(), domain.PurposeResetPassword, t0, 48*time.Hour))
		}
		_, err := f.b.Tokens.Void(f.ctx, u.ID(), domain.PurposeResetPassword, t0.Add(time.Minute)) // used
		f.ok("Void", err)
		cutoff := t0.Add(3 * time.Hour)
		total := drainBatches(f, 2, func(limit int) (int, error) { return f.b.Tokens.Purge(f.ctx, cutoff, limit) })
		if total != len(due) {
			f.t.Errorf("batches deleted %d, want %d", total, len(due))
		}
		for _, tok := range due {
			f.wantErr("purged token", errOf(f.b.Tokens.ByHash(f.ctx, tok.Hash())), domain.ErrNotFound)
		}
		for _, tok := range live {
			f.getToken(tok)
		}
	})
}

// drainBatches calls purge with limit until a batch is short and returns
// the total; a batch over limit, or a limit of 0 deleting anything, fails.
func drainBatches(f fixture, limit int, purge func(limit int) (int, error)) int {
	f.t.Helper()
	if n, err := purge(0); err != nil || n != 0 {
		f.t.Errorf("Purge with limit 0 = (%d, %v), want nothing", n, err)
	}
	total := 0
	for range 100 {
		n, err := purge(limit)
		f.ok("Purge batch", err)
		if n > limit {
			f.t.Fatalf("a batch deleted %d rows, limit %d", n, limit)
		}
		total += n
		if n < limit {
			return total
		}
	}
	f.t.Fatal("Purge never came back short")
	return total
}
