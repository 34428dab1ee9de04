package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

func TestSessionLimitEndsTheLeastRecentlyUsed(t *testing.T) {
	f := newAppFixture(t, func(p *application.Policy) { p.MaxSessionsPerUser = 2 })
	u, first := f.register("cap@example.com")
	f.clock.Advance(time.Minute)
	second := f.login("cap@example.com", appPassword)
	f.clock.Advance(time.Minute)
	first = f.refresh(first.RefreshToken) // first is now used later than second
	f.clock.Advance(time.Minute)
	third := f.login("cap@example.com", appPassword)

	f.mustRevoked(second.SessionID, domain.RevokeSessionLimit)
	f.mustLive(first.SessionID)
	f.mustLive(third.SessionID)
	ended := f.audit.of(domain.AuditSessionEnded)
	if len(ended) != 1 || ended[0].Reason != domain.RevokeSessionLimit || ended[0].Detail["sessions"] != "1" || ended[0].UserID != u.ID() {
		t.Errorf("audit session.ended = %+v, want one with reason session_limit and sessions=1", ended)
	}
	if live, _ := f.accounts.Sessions(f.ctx, u.ID()); len(live) != 2 {
		t.Errorf("%d live sessions, want 2", len(live))
	}
}

// defaultSessionCap is the default of AUTHD_MAX_SESSIONS_PER_USER.
const defaultSessionCap = 100

// A cap of 0 ends no session, even past the default cap.
func TestSessionLimitZeroIsUnlimited(t *testing.T) {
	f := newAppFixture(t, func(p *application.Policy) { p.MaxSessionsPerUser = 0 })
	u, _ := f.register("free@example.com")
	for range defaultSessionCap {
		f.login("free@example.com", appPassword)
	}
	if live, _ := f.accounts.Sessions(f.ctx, u.ID()); len(live) != defaultSessionCap+1 {
		t.Errorf("%d live sessions, want all %d", len(live), defaultSessionCap+1)
	}
	if ended := f.audit.of(domain.AuditSessionEnded); len(ended) != 0 {
		t.Errorf("audit session.ended = %+v, want none", ended)
	}
}

// failingLimit is memstore whose limit statement fails as an unreachable
// database would.
type failingLimit struct{ *memstore.Sessions }

func (failingLimit) RevokeOverLimit(context.Context, string, string, int, time.Time, string) (int, error) {
	return 0, domain.ErrUnavailable
}

// A login whose limit cannot be enforced fails and leaves no new live
// session behind.
func TestSessionLimitFailureEndsTheNewSession(t *testing.T) {
	f := newAppFixture(t, nil)
	u, _ := f.register("fail@example.com")
	p := appPolicy()
	p.MaxSessionsPerUser = 1
	hasher, err := passhash.New(4, 0)
	if err != nil {
		t.Fatal(err)
	}
	auth := application.NewAuth(f.users, failingLimit{f.sessions}, hasher, f.tokens, f.key, f.clock,
		throttle.NewFailures(), f.audit, p, emailnorm.New(), f.recovery, f.mfa, nil)
	_, err = auth.Login(f.ctx, ports.Credentials{Email: "fail@example.com", Password: appPassword})
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("login = %v, want ErrUnavailable", err)
	}
	if live, _ := f.accounts.Sessions(f.ctx, u.ID()); len(live) != 1 {
		t.Errorf("%d live sessions, want only the registration's", len(live))
	}
}
