package application_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// tenantHook adds the tenant of the user's email domain; fail makes it
// answer what the test needs.
type tenantHook struct {
	calls atomic.Int32
	fail  atomic.Pointer[map[string]any]
	err   error
}

func (h *tenantHook) AccessClaims(_ context.Context, u domain.User, s domain.Session) (map[string]any, error) {
	h.calls.Add(1)
	if h.err != nil {
		return nil, h.err
	}
	if m := h.fail.Load(); m != nil {
		return *m, nil
	}
	return map[string]any{"tenant": "acme", "sessionOf": s.UserID() == u.ID()}, nil
}

func withHook(f *appFixture, h ports.ClaimsHook) *application.Auth {
	return application.NewAuth(f.users, f.sessions, mustHasher(f.t), f.tokens, f.key, f.clock,
		throttle.NewFailures(), f.audit, f.policy, emailnorm.New(), f.recovery, f.mfa, h)
}

func TestClaimsHookAtEveryIssue(t *testing.T) {
	f := newAppFixture(t, nil)
	h := &tenantHook{}
	f.auth = withHook(f, h)
	_, reg := f.register("hook@example.com")
	login := f.login("hook@example.com", appPassword)
	rotated := f.refresh(login.RefreshToken)
	f.clock.Advance(time.Second)
	replayed := f.refresh(login.RefreshToken) // within grace: the replay answer
	for name, tok := range map[string]ports.Tokens{"register": reg, "login": login, "refresh": rotated, "replay": replayed} {
		c := f.claims(tok.AccessToken)
		if c.Extra["tenant"] != "acme" || c.Extra["sessionOf"] != true {
			t.Errorf("%s: extra claims %v", name, c.Extra)
		}
	}
	if n := h.calls.Load(); n != 4 {
		t.Errorf("hook called %d times for 4 issues", n)
	}
}

func TestClaimsHookFailureLeavesStorageAlone(t *testing.T) {
	f := newAppFixture(t, nil)
	_, tok := f.register("fail@example.com")
	h := &tenantHook{}
	f.auth = withHook(f, h)
	for name, extra := range map[string]map[string]any{"reserved": {"role": "admin"}, "case": {"Sub": "x"}} {
		h.fail.Store(&extra)
		_, err := f.auth.Login(f.ctx, ports.Credentials{Email: "fail@example.com", Password: appPassword})
		var reserved *domain.ReservedClaimError
		if !errors.As(err, &reserved) {
			t.Errorf("%s: login err %v, want a ReservedClaimError", name, err)
		}
		if _, err := f.auth.Refresh(f.ctx, tok.RefreshToken, domain.Client{}); !errors.As(err, &reserved) {
			t.Errorf("%s: refresh err %v, want a ReservedClaimError", name, err)
		}
	}
	h.fail.Store(nil)
	h.err = errors.New("tenant directory down")
	if _, _, err := f.auth.Register(f.ctx, ports.Credentials{Email: "new@example.com", Password: appPassword}); !errors.Is(err, h.err) {
		t.Fatalf("register err %v", err)
	}
	email, _ := domain.NewEmail("new@example.com")
	if _, err := f.users.ByEmail(f.ctx, email); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a failed registration left its user behind: %v", err)
	}
	if n, _ := f.sessions.CountLive(f.ctx, f.clock.Now()); n != 1 {
		t.Errorf("%d live sessions, want only the first one", n)
	}
	if g := f.session(tok.SessionID).Generation(); g != 1 {
		t.Errorf("session rotated to generation %d despite the failing hook", g)
	}
}
