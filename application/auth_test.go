package application_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

func TestRegisterLoginRefreshLogout(t *testing.T) {
	f := newAppFixture(t, nil)
	client := domain.Client{UserAgent: "test-agent", IP: "192.0.2.10"}

	u, reg, err := f.auth.Register(f.ctx, ports.Credentials{Email: "  Alice@Example.com ", Password: appPassword, Client: client})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email().String() != "alice@example.com" || u.Role() != domain.RoleUser || !u.CreatedAt().Equal(appT0) {
		t.Fatalf("registered user = %+v", u.State())
	}
	if _, err := domain.ParseID(u.ID()); err != nil {
		t.Fatalf("user id %q: %v", u.ID(), err)
	}
	if reg.ExpiresIn != 15*time.Minute || reg.RefreshTTL != time.Hour {
		t.Fatalf("lifetimes = %v / %v, want 15m / 1h", reg.ExpiresIn, reg.RefreshTTL)
	}
	c := f.claims(reg.AccessToken)
	if c.Subject != u.ID() || c.Role != domain.RoleUser || c.SessionID != reg.SessionID ||
		!c.ExpiresAt.Equal(appT0.Add(15*time.Minute)) || c.ID == "" {
		t.Fatalf("access claims = %+v", c)
	}
	if f.generation(reg.RefreshToken) != 1 {
		t.Fatal("first refresh token is not generation 1")
	}
	s := f.session(reg.SessionID)
	if s.UserID() != u.ID() || s.UserAgent() != "test-agent" || s.IP() != "192.0.2.10" || !s.ExpiresAt().Equal(appT0.Add(time.Hour)) {
		t.Fatalf("stored session = %+v", s.State())
	}
	if ev := f.audit.of(domain.AuditUserRegistered); len(ev) != 1 || ev[0].UserID != u.ID() || ev[0].SessionID != reg.SessionID {
		t.Fatalf("registration audit = %+v", ev)
	}

	// Login opens a second session; emails compare case-insensitively.
	f.clock.Advance(time.Minute)
	in := f.login("ALICE@example.COM", appPassword)
	if in.SessionID == reg.SessionID {
		t.Fatal("login reused the registration session")
	}
	if c := f.claims(in.AccessToken); c.Subject != u.ID() || c.SessionID != in.SessionID {
		t.Fatalf("login claims = %+v", c)
	}
	if ev := f.audit.of(domain.AuditLoginSucceeded); len(ev) != 1 || ev[0].UserID != u.ID() {
		t.Fatalf("login audit = %+v", ev)
	}

	// Refresh rotates in place: same session, next generation.
	f.clock.Advance(time.Minute)
	next, err := f.auth.Refresh(f.ctx, in.RefreshToken, domain.Client{UserAgent: "agent-2", IP: "198.51.100.2"})
	if err != nil {
		t.Fatal(err)
	}
	if next.SessionID != in.SessionID || next.RefreshToken == in.RefreshToken || f.generation(next.RefreshToken) != 2 {
		t.Fatalf("refresh = %+v", next)
	}
	if c := f.claims(next.AccessToken); c.Subject != u.ID() || c.SessionID != in.SessionID || !c.IssuedAt.Equal(f.clock.Now()) {
		t.Fatalf("refreshed claims = %+v", c)
	}
	rs := f.session(in.SessionID)
	if rs.Generation() != 2 || !rs.RotatedAt().Equal(f.clock.Now()) || !rs.ExpiresAt().Equal(f.clock.Now().Add(time.Hour)) ||
		rs.UserAgent() != "agent-2" || rs.IP() != "198.51.100.2" {
		t.Fatalf("rotated session = %+v", rs.State())
	}
	if next.RefreshTTL != time.Hour {
		t.Fatalf("refresh TTL after rotation = %v", next.RefreshTTL)
	}
	if ev := f.audit.of(domain.AuditSessionRotated); len(ev) != 1 || ev[0].SessionID != in.SessionID {
		t.Fatalf("rotation audit = %+v", ev)
	}

	// Logout ends that session only.
	if err := f.auth.Logout(f.ctx, next.RefreshToken); err != nil {
		t.Fatal(err)
	}
	f.mustRevoked(in.SessionID, domain.RevokeLogout)
	f.mustLive(reg.SessionID)
	f.refreshErr(next.RefreshToken, domain.ErrRefreshInvalid)
	if ev := f.audit.of(domain.AuditLogout); len(ev) != 1 || ev[0].SessionID != in.SessionID {
		t.Fatalf("logout audit = %+v", ev)
	}

	// Logout-all ends the rest.
	third := f.login("alice@example.com", appPassword)
	if err := f.auth.LogoutAll(f.ctx, u.ID()); err != nil {
		t.Fatal(err)
	}
	f.mustRevoked(reg.SessionID, domain.RevokeLogoutAll)
	f.mustRevoked(third.SessionID, domain.RevokeLogoutAll)
	f.mustRevoked(in.SessionID, domain.RevokeLogout) // the first reason stays
	f.refreshErr(reg.RefreshToken, domain.ErrRefreshInvalid)
	f.refreshErr(third.RefreshToken, domain.ErrRefreshInvalid)
	if ev := f.audit.of(domain.AuditLogoutAll); len(ev) != 1 || ev[0].UserID != u.ID() || ev[0].Detail["sessions"] != "2" {
		t.Fatalf("logout-all audit = %+v", ev)
	}
	if live, _ := f.sessions.ListLive(f.ctx, u.ID(), f.clock.Now()); len(live) != 0 {
		t.Fatalf("%d live sessions after logout-all", len(live))
	}
}

func TestRegisterRefuses(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("taken@example.com")
	tests := []struct {
		name, email, password string
		want                  error
	}{
		{"email taken, other case", "Taken@Example.com", appPassword, domain.ErrEmailTaken},
		{"password too short", "short@example.com", "1234567", domain.ErrPasswordTooShort},
		{"password too long", "long@example.com", strings.Repeat("p", 73), domain.ErrPasswordTooLong},
	}
	var v *domain.ValidationError
	if _, _, err := f.auth.Register(f.ctx, ports.Credentials{Email: "fffd@example.com", Password: appPassword + "\ufffd"}); !errors.As(err, &v) || v.Field != "password" {
		t.Errorf("Register with U+FFFD in the password = %v, want a validation error on password", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, tok, err := f.auth.Register(f.ctx, ports.Credentials{Email: tt.email, Password: tt.password})
			if !errors.Is(err, tt.want) || tok.RefreshToken != "" {
				t.Fatalf("Register = %v, want %v", err, tt.want)
			}
		})
	}
	for _, email := range []string{"", "not-an-email", "A <a@b.c>"} {
		_, _, err := f.auth.Register(f.ctx, ports.Credentials{Email: email, Password: appPassword})
		var v *domain.ValidationError
		if !errors.As(err, &v) || v.Field != "email" {
			t.Errorf("Register(%q) = %v, want a validation error on email", email, err)
		}
	}
	for _, email := range []string{"short@example.com", "long@example.com", "fffd@example.com"} {
		e, _ := domain.NewEmail(email)
		if _, err := f.users.ByEmail(f.ctx, e); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("refused registration stored %s: %v", email, err)
		}
	}
	if n := len(f.audit.of(domain.AuditUserRegistered)); n != 1 {
		t.Errorf("%d registrations audited, want 1", n)
	}
}

func TestRegistrationClosed(t *testing.T) {
	f := newAppFixture(t, func(p *application.Policy) { p.RegistrationOpen = false })
	_, tok, err := f.auth.Register(f.ctx, ports.Credentials{Email: "new@example.com", Password: appPassword})
	if !errors.Is(err, domain.ErrRegistrationClosed) || tok.AccessToken != "" {
		t.Fatalf("Register = %v, want ErrRegistrationClosed", err)
	}
	e, _ := domain.NewEmail("new@example.com")
	if _, err := f.users.ByEmail(f.ctx, e); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("closed registration stored the user: %v", err)
	}
	// Admins (and the CLI) still create accounts, which can log in.
	u, err := f.admin.ProvisionUser(f.ctx, "new@example.com", appPassword, "editor", "cli")
	if err != nil {
		t.Fatal(err)
	}
	if c := f.claims(f.login("new@example.com", appPassword).AccessToken); c.Subject != u.ID() || c.Role != "editor" {
		t.Fatalf("claims = %+v", c)
	}
}

func TestLoginRefuses(t *testing.T) {
	f := newAppFixture(t, nil)
	long := strings.Repeat("L", 72)
	u, _, err := f.auth.Register(f.ctx, ports.Credentials{Email: "long@example.com", Password: long})
	if err != nil {
		t.Fatal(err)
	}
	f.register("bob@example.com")
	tests := []struct {
		name, email, password, reason string
	}{
		{"wrong password", "bob@example.com", "wrong horse battery", "wrong_password"},
		{"unknown email", "nobody@example.com", appPassword, "unknown_email"},
		// bcrypt would ignore the 73rd byte: P and P+"x" must not both work.
		{"password over 72 bytes", "long@example.com", long + "x", "password_too_long"},
		{"short password is compared, not validated", "bob@example.com", "x", "wrong_password"},
		{"password with U+FFFD", "bob@example.com", appPassword + "\ufffd", "password_unusable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.audit.of(domain.AuditLoginFailed))
			tok, err := f.auth.Login(f.ctx, ports.Credentials{Email: tt.email, Password: tt.password})
			if !errors.Is(err, domain.ErrInvalidCredentials) || tok.AccessToken != "" {
				t.Fatalf("Login = %v, want ErrInvalidCredentials", err)
			}
			ev := f.audit.of(domain.AuditLoginFailed)
			if len(ev) != before+1 || ev[len(ev)-1].Reason != tt.reason {
				t.Fatalf("failure audit = %+v, want reason %q", ev, tt.reason)
			}
		})
	}
	if c := f.claims(f.login("long@example.com", long).AccessToken); c.Subject != u.ID() {
		t.Fatalf("72-byte password login claims = %+v", c)
	}
	_, err = f.auth.Login(f.ctx, ports.Credentials{Email: "bob@example.com"})
	var v *domain.ValidationError
	if !errors.As(err, &v) || v.Field != "password" {
		t.Fatalf("empty password: %v, want a validation error", err)
	}
	_, err = f.auth.Login(f.ctx, ports.Credentials{Email: "bob", Password: appPassword})
	if !errors.As(err, &v) || v.Field != "email" {
		t.Fatalf("malformed email: %v, want a validation error", err)
	}
}

// TestLoginRefusesAStoredReplacementCharPassword: an account whose password
// was set with U+FFFD before such passwords were refused cannot log in with
// it: every unpaired surrogate would match.
func TestLoginRefusesAStoredReplacementCharPassword(t *testing.T) {
	f := newAppFixture(t, nil)
	hasher, err := passhash.New(4, 0)
	if err != nil {
		t.Fatal(err)
	}
	password := "surrogate \ufffd pass"
	hash, err := hasher.Hash(f.ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	email, _ := domain.NewEmail("old@example.com")
	u, err := domain.NewUser("00000000-0000-4000-8000-000000000001", email, hash, domain.RoleUser, appT0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.users.Create(f.ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.Login(f.ctx, ports.Credentials{Email: "old@example.com", Password: password}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("Login with the stored U+FFFD password = %v, want ErrInvalidCredentials", err)
	}
}

func TestLoginThrottle(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("carol@example.com")
	f.register("dave@example.com")
	for range 5 {
		if _, err := f.auth.Login(f.ctx, ports.Credentials{Email: "carol@example.com", Password: "not the password"}); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("failed login: %v", err)
		}
		f.clock.Advance(time.Second)
	}
	// Even the right password waits now.
	_, err := f.auth.Login(f.ctx, ports.Credentials{Email: "Carol@example.com", Password: appPassword})
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter <= 0 || rl.RetryAfter > 15*time.Minute {
		t.Fatalf("throttled login = %v, want a RateLimitedError within the window", err)
	}
	// Another account is not slowed down by carol's failures.
	f.login("dave@example.com", appPassword)
	// After the window the account may try again, and a success resets the count.
	f.clock.Advance(rl.RetryAfter)
	f.login("carol@example.com", appPassword)
	if _, err := f.auth.Login(f.ctx, ports.Credentials{Email: "carol@example.com", Password: "nope nope"}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("after reset, one failure is only a failure: %v", err)
	}
	f.login("carol@example.com", appPassword)
}

// An unreachable store is never turned into a credential error.
func TestStorageErrorsAreNotCredentialErrors(t *testing.T) {
	f := newAppFixture(t, nil)
	_, tok := f.register("erin@example.com")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.auth.Login(ctx, ports.Credentials{Email: "erin@example.com", Password: appPassword}); !errors.Is(err, domain.ErrUnavailable) ||
		errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login on a dead store = %v, want ErrUnavailable", err)
	}
	if _, err := f.auth.Refresh(ctx, tok.RefreshToken, domain.Client{}); !errors.Is(err, domain.ErrUnavailable) ||
		errors.Is(err, domain.ErrRefreshInvalid) {
		t.Errorf("Refresh on a dead store = %v, want ErrUnavailable", err)
	}
	if err := f.auth.Logout(ctx, tok.RefreshToken); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Logout on a dead store = %v, want ErrUnavailable (the session was not ended)", err)
	}
	f.mustLive(tok.SessionID)
	f.refresh(tok.RefreshToken)
}
