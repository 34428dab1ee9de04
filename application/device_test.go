package application_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// countingUsers is memstore's user repository counting reads by email.
type countingUsers struct {
	ports.UserRepository
	byEmail atomic.Int32
}

func (u *countingUsers) ByEmail(ctx context.Context, email domain.Email) (domain.User, error) {
	u.byEmail.Add(1)
	return u.UserRepository.ByEmail(ctx, email)
}

// A login with a trusted device token reads its account once: the device
// check and the password check share the read.
func TestDeviceLoginReadsTheAccountOnce(t *testing.T) {
	f := newAppFixture(t, nil)
	_, reg := f.register("gus@example.com")
	hasher, err := passhash.New(4, 0)
	if err != nil {
		t.Fatal(err)
	}
	users := &countingUsers{UserRepository: f.users}
	auth := application.NewAuth(users, f.sessions, hasher, f.tokens, f.key, f.clock, throttle.NewFailures(),
		f.audit, f.policy, emailnorm.New(), f.recovery, f.mfa, nil)
	tok, err := auth.Login(f.ctx, ports.Credentials{Email: "gus@example.com", Password: appPassword,
		DeviceToken: reg.DeviceToken})
	if err != nil || tok.DeviceToken == "" {
		t.Fatalf("device login = %+v, %v; want tokens", tok, err)
	}
	devices := f.key.DeviceKey()
	before, _ := devices.Verify(reg.DeviceToken, f.clock.Now())
	after, ok := devices.Verify(tok.DeviceToken, f.clock.Now())
	if !ok || after.ID != before.ID {
		t.Fatalf("device %+v after the login, want the trusted device %s kept", after, before.ID)
	}
	if n := users.byEmail.Load(); n != 1 {
		t.Errorf("%d reads by email, want 1", n)
	}
}
