package application_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// limits sets the fixture's login limits.
func limits(pair, account, address int) func(*application.Policy) {
	return func(p *application.Policy) {
		p.Login = domain.LoginLimits{PerPair: pair, PerAccount: account, PerAddress: address, Window: 15 * time.Minute}
	}
}

// try logs in from ip with an optional device token.
func (f *appFixture) try(email, password, ip, device string) (ports.Tokens, error) {
	return f.auth.Login(f.ctx, ports.Credentials{Email: email, Password: password,
		Client: domain.Client{IP: ip}, DeviceToken: device})
}

func mustLimited(t *testing.T, err error, what string) {
	t.Helper()
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("%s: %v, want *domain.RateLimitedError", what, err)
	}
}

func mustFail(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("%s: %v, want ErrInvalidCredentials", what, err)
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	f := newAppFixture(t, limits(3, 0, 0))
	f.register("carol@example.com")
	for range 3 {
		_, err := f.try("carol@example.com", "wrong password", "10.0.0.1", "")
		mustFail(t, err, "guess")
	}
	_, err := f.try("carol@example.com", appPassword, "10.0.0.1", "")
	mustLimited(t, err, "right password from the guessing address")
	if _, err := f.try("carol@example.com", appPassword, "10.0.0.2", ""); err != nil {
		t.Fatalf("right password from another address: %v", err)
	}
	if n := len(f.audit.of(domain.AuditLoginFailed)); n != 4 {
		t.Fatalf("%d login_failed events, want 3 guesses and 1 throttled", n)
	}
}

// Past the account ceiling only a device token issued to that very account
// gets in; any other token is no token.
func TestAccountCeilingAndDeviceTokens(t *testing.T) {
	f := newAppFixture(t, limits(10, 4, 0))
	_, reg := f.register("dora@example.com")
	_, other := f.register("eve@example.com")
	login, err := f.try("dora@example.com", appPassword, "10.0.0.9", "")
	if err != nil || login.DeviceToken == "" || reg.DeviceToken == "" {
		t.Fatalf("login = %+v, %v; register device token %q: want device tokens from both", login, err, reg.DeviceToken)
	}
	for i := range 4 {
		_, err := f.try("dora@example.com", "wrong password", "10.0.1."+strconv.Itoa(i), "")
		mustFail(t, err, "guess")
	}
	_, err = f.try("dora@example.com", appPassword, "10.0.0.9", "")
	mustLimited(t, err, "no device token past the ceiling")
	for name, tok := range map[string]string{"another account's": other.DeviceToken, "malformed": "dv1.x", "truncated": login.DeviceToken[:50]} {
		_, err = f.try("dora@example.com", appPassword, "10.0.0.9", tok)
		mustLimited(t, err, name+" device token")
	}
	for name, tok := range map[string]string{"login's": login.DeviceToken, "register's": reg.DeviceToken} {
		if _, err := f.try("dora@example.com", appPassword, "10.0.0.9", tok); err != nil {
			t.Fatalf("%s device token past the ceiling: %v", name, err)
		}
	}
}

// A trusted device keeps its id across logins, so its own failures follow
// it into the renewed token.
func TestDeviceCountedOnItsOwn(t *testing.T) {
	f := newAppFixture(t, limits(3, 3, 3))
	_, reg := f.register("finn@example.com")
	for range 2 {
		_, err := f.try("finn@example.com", "wrong password", "10.0.0.1", reg.DeviceToken)
		mustFail(t, err, "device guess")
	}
	f.clock.Advance(time.Minute)
	renewed, err := f.try("finn@example.com", appPassword, "10.0.0.1", reg.DeviceToken)
	if err != nil || renewed.DeviceToken == "" || renewed.DeviceToken == reg.DeviceToken {
		t.Fatalf("device login = %+v, %v; want a renewed token", renewed, err)
	}
	// The success cleared the device's count: three more guesses fit.
	for range 3 {
		_, err := f.try("finn@example.com", "wrong password", "10.0.0.1", renewed.DeviceToken)
		mustFail(t, err, "device guess after success")
	}
	_, err = f.try("finn@example.com", appPassword, "10.0.0.1", reg.DeviceToken)
	mustLimited(t, err, "the old token names the same, now throttled, device")
	// Device guesses touched no other counter.
	if _, err := f.try("finn@example.com", appPassword, "10.0.0.1", ""); err != nil {
		t.Fatalf("login without the device token: %v", err)
	}
}

// The address's and the account's counts outlive successes, and
// successes do not use them up.
func TestSuccessKeepsSharedCounts(t *testing.T) {
	f := newAppFixture(t, limits(10, 0, 3))
	f.register("gus@example.com")
	for range 20 {
		if _, err := f.try("gus@example.com", appPassword, "10.0.0.1", ""); err != nil {
			t.Fatalf("successful logins used up the address's budget: %v", err)
		}
	}
	for _, email := range []string{"a@example.com", "b@example.com"} {
		_, err := f.try(email, "wrong password", "10.0.0.1", "")
		mustFail(t, err, "guess")
	}
	f.login("gus@example.com", appPassword) // from no address: not 10.0.0.1's
	if _, err := f.try("gus@example.com", appPassword, "10.0.0.1", ""); err != nil {
		t.Fatal(err)
	}
	_, err := f.try("c@example.com", "wrong password", "10.0.0.1", "")
	mustFail(t, err, "third guess")
	_, err = f.try("gus@example.com", appPassword, "10.0.0.1", "")
	mustLimited(t, err, "address past its count, after a success in between")
}

// An attempt that ends on a storage error settles its slot without
// counting a failure.
func TestStorageErrorReleasesTheAttempt(t *testing.T) {
	f := newAppFixture(t, limits(2, 2, 2))
	f.register("hal@example.com")
	dead, cancel := context.WithCancel(context.Background())
	cancel()
	for range 5 {
		_, err := f.auth.Login(dead, ports.Credentials{Email: "hal@example.com", Password: appPassword})
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Fatalf("login on a dead store: %v, want ErrUnavailable", err)
		}
	}
	f.login("hal@example.com", appPassword)
}

// Password-change guesses and login failures use separate counters.
func TestPasswordChangeApartFromLogin(t *testing.T) {
	f := newAppFixture(t, limits(2, 2, 2))
	u, tok := f.register("ida@example.com")
	client := domain.Client{IP: "10.0.0.1"}
	for range 2 {
		_, err := f.try("ida@example.com", "wrong password", "10.0.0.1", "")
		mustFail(t, err, "login guess")
	}
	_, err := f.try("ida@example.com", appPassword, "10.0.0.2", "")
	mustLimited(t, err, "login past the account ceiling")
	for range 2 {
		err := f.accounts.ChangePassword(f.ctx, u.ID(), tok.SessionID, "wrong password", "a new passphrase", client)
		mustFail(t, err, "change guess")
	}
	err = f.accounts.ChangePassword(f.ctx, u.ID(), tok.SessionID, appPassword, "a new passphrase", domain.Client{IP: "10.0.0.3"})
	mustLimited(t, err, "the same session from another address")
	if _, err := f.try("ida@example.com", appPassword, "10.0.0.9", tok.DeviceToken); err != nil {
		t.Fatalf("device login after change guesses: %v", err)
	}
	f.clock.Advance(15 * time.Minute)
	if err := f.accounts.ChangePassword(f.ctx, u.ID(), tok.SessionID, appPassword, "a new passphrase", client); err != nil {
		t.Fatalf("change after the window: %v", err)
	}
}
