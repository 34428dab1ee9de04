package contract

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func runTokens(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "create and read back by hash, times in UTC", open, func(f fixture) {
		u := f.user("tok@example.com", domain.RoleUser)
		tok := f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		got := f.getToken(tok)
		if !bytes.Equal(got.Hash(), tok.Hash()) || got.UserID() != u.ID() || got.Purpose() != domain.PurposeResetPassword || got.Used() {
			f.t.Errorf("token = %+v, want %+v", got.State(), tok.State())
		}
		f.sameTime("CreatedAt", got.CreatedAt(), t0)
		f.sameTime("ExpiresAt", got.ExpiresAt(), t0.Add(time.Hour))
		other, _ := f.newToken(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		f.wantErr("ByHash unknown", errOf(f.b.Tokens.ByHash(f.ctx, other.Hash())), domain.ErrNotFound)
	})
	leaf(t, "a token of an unknown user is ErrNotFound", open, func(f fixture) {
		ghost, _ := f.newToken(f.id(), domain.PurposeVerifyEmail, t0, time.Hour)
		f.wantErr("Create", f.b.Tokens.Create(f.ctx, ghost), domain.ErrNotFound)
		f.wantErr("Replace", f.b.Tokens.Replace(f.ctx, ghost), domain.ErrNotFound)
		f.wantErr("ByHash after refusal", errOf(f.b.Tokens.ByHash(f.ctx, ghost.Hash())), domain.ErrNotFound)
	})
	leaf(t, "replace voids the user's older tokens of that purpose only", open, func(f fixture) {
		u, other := f.user("rep@example.com", domain.RoleUser), f.user("other@example.com", domain.RoleUser)
		old := f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		verify := f.token(u.ID(), domain.PurposeVerifyEmail, t0, time.Hour)
		foreign := f.token(other.ID(), domain.PurposeResetPassword, t0, time.Hour)
		later := t0.Add(time.Minute)
		next, _ := f.newToken(u.ID(), domain.PurposeResetPassword, later, time.Hour)
		f.ok("Replace", f.b.Tokens.Replace(f.ctx, next))
		if got := f.getToken(old); !got.Used() {
			f.t.Error("the older reset token is still usable")
		} else {
			f.sameTime("voided UsedAt", got.UsedAt(), later)
		}
		for name, tok := range map[string]domain.OneTimeToken{"new": next, "verify": verify, "other user's": foreign} {
			if f.getToken(tok).Used() {
				f.t.Errorf("the %s token was voided", name)
			}
		}
	})
	leaf(t, "spend verification: once, marks verified, voids the other verification links", open, func(f fixture) {
		u := f.user("ver@example.com", domain.RoleUser)
		a := f.token(u.ID(), domain.PurposeVerifyEmail, t0, time.Hour)
		b := f.token(u.ID(), domain.PurposeVerifyEmail, t0, time.Hour)
		reset := f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		now := t0.Add(time.Minute)
		f.spendVerify(reset, now, false) // wrong purpose
		f.spendVerify(a, now, true)
		f.spendVerify(a, now, false)
		f.spendVerify(b, now, false)
		got := f.getUser(u.ID())
		if !got.EmailVerified() || got.PasswordHash() != u.PasswordHash() {
			f.t.Errorf("after verification: %+v", got.State())
		}
		f.sameTime("UpdatedAt", got.UpdatedAt(), now)
		f.sameTime("UsedAt", f.getToken(a).UsedAt(), now)
		if f.getToken(reset).Used() {
			f.t.Error("verification voided a reset token")
		}
	})
	leaf(t, "spend is refused at expiry, to the microsecond, and for another user", open, func(f fixture) {
		u := f.user("late@example.com", domain.RoleUser)
		tok := f.token(u.ID(), domain.PurposeVerifyEmail, time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC), time.Hour)
		f.spendVerify(tok, tok.ExpiresAt(), false)
		f.spendVerify(tok, tok.ExpiresAt().Add(500*time.Millisecond), false)
		st := tok.State()
		st.UserID = f.user("mallory@example.com", domain.RoleUser).ID()
		f.spendVerify(domain.RestoreOneTimeToken(st), t0, false)
		f.spendVerify(tok, tok.ExpiresAt().Add(-time.Microsecond), true)
	})
	leaf(t, "spend reset: password, verified, every session ended, other reset links void", open, func(f fixture) {
		u := f.user("reset@example.com", domain.RoleUser)
		live := []domain.Session{f.session(u.ID(), t0, policy), f.session(u.ID(), t0, policy)}
		ended := f.session(u.ID(), t0, policy)
		_, err := f.b.Sessions.Revoke(f.ctx, ended.ID(), t0, domain.RevokeLogout)
		f.ok("Revoke", err)
		bystander := f.session(f.user("by@example.com", domain.RoleUser).ID(), t0, policy)
		tok := f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		sibling := f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		verify := f.token(u.ID(), domain.PurposeVerifyEmail, t0, time.Hour)
		now := t0.Add(time.Minute)
		n, won, err := f.b.Tokens.SpendReset(f.ctx, tok, "$2a$04$reset", now)
		if err != nil || !won || n != 2 {
			f.t.Fatalf("SpendReset = (%d, %v, %v), want (2, true, nil)", n, won, err)
		}
		got := f.getUser(u.ID())
		if got.PasswordHash() != "$2a$04$reset" || !got.EmailVerified() {
			f.t.Errorf("after reset: %+v", got.State())
		}
		for _, s := range live {
			if g := f.getSession(s.ID()); g.RevokeReason() != domain.RevokePasswordReset {
				f.t.Errorf("session %s: revoked %v reason %q", s.ID(), g.Revoked(), g.RevokeReason())
			}
		}
		if g := f.getSession(ended.ID()); g.RevokeReason() != domain.RevokeLogout {
			f.t.Errorf("an ended session's reason changed to %q", g.RevokeReason())
		}
		if f.getSession(bystander.ID()).Revoked() {
			f.t.Error("another user's session ended")
		}
		if !f.getToken(sibling).Used() || f.getToken(verify).Used() {
			f.t.Error("want the other reset link void and the verification link kept")
		}
		if n, won, err := f.b.Tokens.SpendReset(f.ctx, tok, "$2a$04$again", now); err != nil || won || n != 0 {
			f.t.Errorf("second SpendReset = (%d, %v, %v), want (0, false, nil)", n, won, err)
		}
		if f.getUser(u.ID()).PasswordHash() != "$2a$04$reset" {
			f.t.Error("a lost spend changed the password")
		}
	})
	leaf(t, "void, purge, and deleting the user", open, func(f fixture) {
		u := f.user("void@example.com", domain.RoleUser)
		a := f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		keep := f.token(u.ID(), domain.PurposeVerifyEmail, t0, 48*time.Hour)
		expiring := f.token(u.ID(), domain.PurposeVerifyEmail, t0, 2*time.Hour)
		n, err := f.b.Tokens.Void(f.ctx, u.ID(), domain.PurposeResetPassword, t0.Add(time.Minute))
		if err != nil || n != 2 {
			f.t.Fatalf("Void = (%d, %v), want 2", n, err)
		}
		if n, _ := f.b.Tokens.Void(f.ctx, u.ID(), domain.PurposeResetPassword, t0.Add(time.Minute)); n != 0 {
			f.t.Errorf("Void again voided %d", n)
		}
		if n, err := f.b.Tokens.Purge(f.ctx, t0.Add(time.Minute), 100); err != nil || n != 0 {
			f.t.Errorf("Purge at the voiding instant = (%d, %v), want nothing (strictly before)", n, err)
		}
		if n, err := f.b.Tokens.Purge(f.ctx, t0.Add(3*time.Hour), 100); err != nil || n != 3 {
			f.t.Errorf("Purge = (%d, %v), want the 2 voided and the expired one", n, err)
		}
		f.wantErr("purged", errOf(f.b.Tokens.ByHash(f.ctx, a.Hash())), domain.ErrNotFound)
		f.wantErr("purged expired", errOf(f.b.Tokens.ByHash(f.ctx, expiring.Hash())), domain.ErrNotFound)
		f.getToken(keep)
		f.ok("Delete user", f.b.Users.Delete(f.ctx, u.ID()))
		f.wantErr("token of a deleted user", errOf(f.b.Tokens.ByHash(f.ctx, keep.Hash())), domain.ErrNotFound)
	})
}

// newToken builds a token without storing it.
func (f fixture) newToken(userID string, purpose domain.TokenPurpose, now time.Time, ttl time.Duration) (domain.OneTimeToken, string) {
	f.t.Helper()
	tok, secret, err := domain.NewOneTimeToken(rand.Reader, userID, purpose, now, ttl)
	f.ok("NewOneTimeToken", err)
	return tok, secret
}

// token builds and stores a token.
func (f fixture) token(userID string, purpose domain.TokenPurpose, now time.Time, ttl time.Duration) domain.OneTimeToken {
	f.t.Helper()
	tok, _ := f.newToken(userID, purpose, now, ttl)
	f.ok("Tokens.Create", f.b.Tokens.Create(f.ctx, tok))
	return tok
}

func (f fixture) getToken(tok domain.OneTimeToken) domain.OneTimeToken {
	f.t.Helper()
	got, err := f.b.Tokens.ByHash(f.ctx, tok.Hash())
	f.ok("Tokens.ByHash", err)
	return got
}

// spendVerify asserts SpendVerification's outcome, with no error either way.
func (f fixture) spendVerify(tok domain.OneTimeToken, now time.Time, want bool) {
	f.t.Helper()
	won, err := f.b.Tokens.SpendVerification(f.ctx, tok, now)
	if err != nil || won != want {
		f.t.Errorf("SpendVerification at %v = (%v, %v), want (%v, nil)", now, won, err, want)
	}
}
