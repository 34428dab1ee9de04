package contract

import (
	"bytes"
	"crypto/rand"
	"reflect"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// sealed stands in for a sealed TOTP secret: storage keeps bytes as given.
func sealed(tag byte) []byte {
	return append([]byte{1, tag, 0, 0xff}, bytes.Repeat([]byte{tag}, 40)...)
}

func digests(tag byte, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = bytes.Repeat([]byte{tag, byte(i)}, 16)
	}
	return out
}

// pending stores a pending enrolment of userID.
func (f fixture) pending(userID string, secret []byte, now time.Time) domain.MFA {
	f.t.Helper()
	m, err := domain.NewPendingMFA(userID, secret, now)
	f.ok("NewPendingMFA", err)
	f.ok("MFA.SavePending", f.b.MFA.SavePending(f.ctx, m))
	return m
}

// enabled stores an enabled enrolment of userID with codes.
func (f fixture) enabled(userID string, codes [][]byte) domain.MFA {
	f.t.Helper()
	on := f.pending(userID, sealed(7), t0).Enable(1000, t0.Add(time.Minute))
	won, err := f.b.MFA.Enable(f.ctx, on, codes)
	if err != nil || !won {
		f.t.Fatalf("MFA.Enable = %v, %v", won, err)
	}
	return on
}

func (f fixture) getMFA(userID string) domain.MFA {
	f.t.Helper()
	m, err := f.b.MFA.ByUser(f.ctx, userID)
	f.ok("MFA.ByUser", err)
	return m
}

func (f fixture) codesLeft(userID string, want int) {
	f.t.Helper()
	n, err := f.b.MFA.RecoveryCodesLeft(f.ctx, userID)
	f.ok("RecoveryCodesLeft", err)
	if n != want {
		f.t.Errorf("recovery codes left = %d, want %d", n, want)
	}
}

func runMFA(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "a pending enrolment round-trips and is replaced by the next", open, func(f fixture) {
		u := f.user("enrol@example.com", domain.RoleUser)
		_, err := f.b.MFA.ByUser(f.ctx, u.ID())
		f.wantErr("ByUser before enrolment", err, domain.ErrNotFound)
		f.pending(u.ID(), sealed(1), t0)
		got := f.getMFA(u.ID()).State()
		if !bytes.Equal(got.Secret, sealed(1)) || got.UserID != u.ID() || !got.EnabledAt.IsZero() || got.LastStep != 0 {
			f.t.Fatalf("stored %+v", got)
		}
		f.sameTime("CreatedAt", got.CreatedAt, t0)
		f.pending(u.ID(), sealed(2), t0.Add(time.Hour))
		if got := f.getMFA(u.ID()); !bytes.Equal(got.Secret(), sealed(2)) {
			f.t.Fatal("a second enrolment did not replace the pending one")
		}
		m, _ := domain.NewPendingMFA(f.id(), sealed(3), t0)
		f.wantErr("SavePending of an unknown user", f.b.MFA.SavePending(f.ctx, m), domain.ErrNotFound)
	})
	leaf(t, "enable switches on only the pending enrolment it was made from", open, func(f fixture) {
		u := f.user("enable@example.com", domain.RoleUser)
		first := f.pending(u.ID(), sealed(1), t0)
		f.pending(u.ID(), sealed(2), t0) // re-enrolled meanwhile
		won, err := f.b.MFA.Enable(f.ctx, first.Enable(500, t0), digests(1, 10))
		if err != nil || won {
			f.t.Fatalf("enable of a replaced enrolment = %v, %v", won, err)
		}
		on := f.getMFA(u.ID()).Enable(500, t0.Add(time.Minute))
		won, err = f.b.MFA.Enable(f.ctx, on, digests(1, 10))
		if err != nil || !won {
			f.t.Fatalf("enable = %v, %v", won, err)
		}
		got := f.getMFA(u.ID()).State()
		if got.LastStep != 500 || got.EnabledAt.IsZero() {
			f.t.Fatalf("enabled state %+v", got)
		}
		f.sameTime("EnabledAt", got.EnabledAt, t0.Add(time.Minute))
		f.codesLeft(u.ID(), 10)
		if won, _ := f.b.MFA.Enable(f.ctx, on, digests(2, 10)); won {
			f.t.Fatal("an enabled enrolment was enabled again")
		}
		m, _ := domain.NewPendingMFA(u.ID(), sealed(3), t0)
		f.wantErr("SavePending over an enabled one", f.b.MFA.SavePending(f.ctx, m), domain.ErrMFAAlreadyEnabled)
		if got := f.getMFA(u.ID()); !bytes.Equal(got.Secret(), sealed(2)) || !got.Enabled() {
			f.t.Fatal("a refused enrolment changed the enabled one")
		}
	})
	leaf(t, "a user reads with its MFA state in one call", open, func(f fixture) {
		u := f.user("status@example.com", domain.RoleUser)
		f.userWithMFA(u, false)
		f.pending(u.ID(), sealed(1), t0)
		f.userWithMFA(u, false)
		f.ok("Enable", errOf(f.b.MFA.Enable(f.ctx, f.getMFA(u.ID()).Enable(9, t0), nil)))
		f.userWithMFA(u, true)
		other := f.user("other-status@example.com", domain.RoleUser)
		f.userWithMFA(other, false)
		_, _, err := f.b.MFA.UserWithMFA(f.ctx, f.id())
		f.wantErr("UserWithMFA of an unknown user", err, domain.ErrNotFound)
	})
	leaf(t, "accepted TOTP steps only go up, and only when enabled", open, func(f fixture) {
		u := f.user("steps@example.com", domain.RoleUser)
		f.pending(u.ID(), sealed(1), t0)
		f.acceptStep(u.ID(), 2000, false) // pending
		f.enabled(u.ID(), nil)            // last step 1000
		f.acceptStep(u.ID(), 1000, false)
		f.acceptStep(u.ID(), 999, false)
		f.acceptStep(u.ID(), 1001, true)
		f.acceptStep(u.ID(), 1001, false)
		f.acceptStep(u.ID(), 58_000_000, true)
		if got := f.getMFA(u.ID()).LastStep(); got != 58_000_000 {
			f.t.Errorf("last step = %d", got)
		}
		f.acceptStep(f.id(), 5, false) // unknown user
	})
	leaf(t, "recovery codes are spent once and replaced together", open, func(f fixture) {
		u := f.user("codes@example.com", domain.RoleUser)
		codes := digests(1, 10)
		f.enabled(u.ID(), codes)
		f.spend(u.ID(), [][]byte{bytes.Repeat([]byte{9}, 32), codes[3]}, true) // a retired key's digest first
		f.spend(u.ID(), [][]byte{codes[3]}, false)
		f.spend(u.ID(), [][]byte{bytes.Repeat([]byte{9}, 32)}, false)
		f.spend(u.ID(), nil, false)
		f.codesLeft(u.ID(), 9)
		other := f.user("other@example.com", domain.RoleUser)
		f.enabled(other.ID(), digests(2, 10))
		f.spend(other.ID(), [][]byte{codes[4]}, false) // another user's code
		f.ok("ReplaceRecoveryCodes", f.b.MFA.ReplaceRecoveryCodes(f.ctx, u.ID(), digests(3, 10), t0))
		f.spend(u.ID(), [][]byte{codes[4]}, false)
		f.codesLeft(u.ID(), 10)
		f.spend(u.ID(), [][]byte{digests(3, 10)[0]}, true)
		lone := f.user("pending@example.com", domain.RoleUser)
		f.pending(lone.ID(), sealed(1), t0)
		f.wantErr("ReplaceRecoveryCodes of a pending enrolment",
			f.b.MFA.ReplaceRecoveryCodes(f.ctx, lone.ID(), digests(4, 10), t0), domain.ErrMFANotEnabled)
		f.codesLeft(lone.ID(), 0)
	})
	leaf(t, "reseal swaps the secret only if unchanged", open, func(f fixture) {
		u := f.user("reseal@example.com", domain.RoleUser)
		f.enabled(u.ID(), nil)
		won, err := f.b.MFA.Reseal(f.ctx, u.ID(), sealed(1), sealed(9), t0)
		if err != nil || won {
			f.t.Fatalf("reseal from a stale value = %v, %v", won, err)
		}
		won, err = f.b.MFA.Reseal(f.ctx, u.ID(), sealed(7), sealed(9), t0)
		if err != nil || !won || !bytes.Equal(f.getMFA(u.ID()).Secret(), sealed(9)) || !f.getMFA(u.ID()).Enabled() {
			f.t.Fatalf("reseal = %v, %v", won, err)
		}
	})
	leaf(t, "delete and reset remove the enrolment with its codes; reset ends sessions", open, func(f fixture) {
		u := f.user("reset@example.com", domain.RoleUser)
		f.enabled(u.ID(), digests(1, 10))
		removed, err := f.b.MFA.Delete(f.ctx, u.ID())
		if err != nil || !removed {
			f.t.Fatalf("Delete = %v, %v", removed, err)
		}
		f.codesLeft(u.ID(), 0)
		if removed, _ := f.b.MFA.Delete(f.ctx, u.ID()); removed {
			f.t.Fatal("a second Delete removed something")
		}
		f.enabled(u.ID(), digests(2, 10))
		a, b := f.session(u.ID(), t0, policy), f.session(u.ID(), t0, policy)
		_, err = f.b.Sessions.Revoke(f.ctx, b.ID(), t0, domain.RevokeLogout)
		f.ok("Revoke", err)
		removed, ended, err := f.b.MFA.Reset(f.ctx, u.ID(), t0.Add(time.Hour), domain.RevokeMFAReset)
		if err != nil || !removed || ended != 1 {
			f.t.Fatalf("Reset = %v, %d, %v; want true, 1", removed, ended, err)
		}
		if s := f.getSession(a.ID()); s.RevokeReason() != domain.RevokeMFAReset {
			f.t.Errorf("session after reset: %+v", s.State())
		}
		if s := f.getSession(b.ID()); s.RevokeReason() != domain.RevokeLogout {
			f.t.Errorf("an ended session's reason changed: %+v", s.State())
		}
		f.codesLeft(u.ID(), 0)
		_, err = f.b.MFA.ByUser(f.ctx, u.ID())
		f.wantErr("ByUser after reset", err, domain.ErrNotFound)
	})
	leaf(t, "deleting a user removes its second factor", open, func(f fixture) {
		u := f.user("gone@example.com", domain.RoleUser)
		f.enabled(u.ID(), digests(1, 10))
		_, c := f.challenge(u, t0)
		f.ok("Users.Delete", f.b.Users.Delete(f.ctx, u.ID()))
		_, err := f.b.MFA.ByUser(f.ctx, u.ID())
		f.wantErr("ByUser", err, domain.ErrNotFound)
		_, err = f.b.MFAChallenges.ByHash(f.ctx, c.Hash())
		f.wantErr("challenge ByHash", err, domain.ErrNotFound)
		f.codesLeft(u.ID(), 0)
	})
	leaf(t, "sessions keep their amr through storage and rotation", open, func(f fixture) {
		u := f.user("amr@example.com", domain.RoleUser)
		salt := make([]byte, domain.SaltSize)
		_, _ = rand.Read(salt)
		s, err := domain.NewSession(f.id(), u.ID(), salt, domain.Client{}, t0, policy)
		f.ok("NewSession", err)
		s = s.WithAMR(domain.AMRPasswordAndTOTP())
		f.ok("Sessions.Create", f.b.Sessions.Create(f.ctx, s))
		f.sameAMR(f.getSession(s.ID()), domain.AMRPasswordAndTOTP())
		next := s.Rotated(t0.Add(time.Minute), policy, client2)
		f.rotate(next, t0.Add(time.Minute), true)
		got, _, err := f.b.Sessions.ByIDWithUser(f.ctx, s.ID())
		f.ok("ByIDWithUser", err)
		f.sameAMR(got, domain.AMRPasswordAndTOTP())
		f.sameAMR(f.session(u.ID(), t0, policy), domain.AMRPasswordOnly())
	})
}

func (f fixture) sameAMR(s domain.Session, want []string) {
	f.t.Helper()
	if got := s.AMR(); !reflect.DeepEqual(got, want) {
		f.t.Errorf("amr = %v, want %v", got, want)
	}
	if stored := f.getSession(s.ID()).AMR(); !reflect.DeepEqual(stored, want) {
		f.t.Errorf("stored amr = %v, want %v", stored, want)
	}
}

func (f fixture) acceptStep(userID string, step uint64, want bool) {
	f.t.Helper()
	won, err := f.b.MFA.AcceptStep(f.ctx, userID, step, t0)
	if err != nil || won != want {
		f.t.Errorf("AcceptStep(%d) = %v, %v; want %v", step, won, err, want)
	}
}

func (f fixture) spend(userID string, ds [][]byte, want bool) {
	f.t.Helper()
	won, err := f.b.MFA.SpendRecoveryCode(f.ctx, userID, ds, t0)
	if err != nil || won != want {
		f.t.Errorf("SpendRecoveryCode = %v, %v; want %v", won, err, want)
	}
}

func (f fixture) userWithMFA(u domain.User, want bool) {
	f.t.Helper()
	got, on, err := f.b.MFA.UserWithMFA(f.ctx, u.ID())
	if err != nil || on != want || got.ID() != u.ID() || got.Email() != u.Email() || got.Role() != u.Role() {
		f.t.Errorf("UserWithMFA = %+v, %v, %v; want %s with MFA %v", got.State(), on, err, u.Email(), want)
	}
}
