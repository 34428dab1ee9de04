package application_test

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	pqtotp "github.com/pquerna/otp/totp"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/seal"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// appCode is the TOTP code of secret at the fixture's clock, plus offset
// steps, as an authenticator app computes it.
func (f *appFixture) appCode(secret string, offset int) string {
	f.t.Helper()
	c, err := pqtotp.GenerateCode(secret, f.clock.Now().Add(time.Duration(offset)*domain.TOTPPeriod))
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// enrolUser registers email and turns TOTP on; it returns the user, the
// secret and the recovery codes.
func (f *appFixture) enrolUser(email string) (domain.User, string, []string) {
	f.t.Helper()
	u, _ := f.register(email)
	key, err := f.mfa.Enroll(f.ctx, u.ID())
	if err != nil {
		f.t.Fatalf("enroll: %v", err)
	}
	codes, err := f.mfa.Confirm(f.ctx, u.ID(), f.appCode(key.Secret, 0))
	if err != nil {
		f.t.Fatalf("confirm: %v", err)
	}
	f.clock.Advance(domain.TOTPPeriod) // the confirming code's step is spent
	return u, key.Secret, codes
}

// mfaToken logs in with the password from ip and returns the second
// step's token.
func (f *appFixture) mfaToken(email, ip, device string) string {
	f.t.Helper()
	_, err := f.auth.Login(f.ctx, ports.Credentials{Email: email, Password: appPassword,
		Client: domain.Client{IP: ip}, DeviceToken: device})
	var required *domain.MFARequiredError
	if !errors.As(err, &required) || required.ExpiresIn != domain.MFAChallengeTTL {
		f.t.Fatalf("login: %v, want *MFARequiredError", err)
	}
	return required.Token
}

func (f *appFixture) verifyMFA(token, code, ip string) (ports.Tokens, error) {
	tok, _, err := f.auth.VerifyMFA(f.ctx, ports.MFAProof{Token: token, Code: code, Client: domain.Client{IP: ip}})
	return tok, err
}

// TestMFASecretsSurviveARefreshSecretRotation: with the old refresh secret
// kept as a retired one, a TOTP secret sealed under it still opens (and is
// sealed anew under the current key), and its recovery codes still match.
func TestMFASecretsSurviveARefreshSecretRotation(t *testing.T) {
	f := newAppFixture(t, nil)
	u, secret, codes := f.enrolUser("rotate@example.com")
	before, err := f.store.MFA().ByUser(f.ctx, u.ID())
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := seal.New([]byte(strings.Repeat("n", 40)), []byte(appRefreshSecret))
	if err != nil {
		t.Fatal(err)
	}
	f.mfa = newAppMFA(t, f.store, mustHasher(t), throttle.NewFailures(), f.clock, f.audit, f.policy, rotated)
	f.auth = application.NewAuth(f.users, f.sessions, mustHasher(t), f.tokens, f.key, f.clock, throttle.NewFailures(),
		f.audit, f.policy, emailnorm.New(), f.recovery, f.mfa, nil)

	if _, err := f.verifyMFA(f.mfaToken("rotate@example.com", "10.0.0.1", ""), f.appCode(secret, 0), "10.0.0.1"); err != nil {
		t.Fatalf("TOTP sealed under the retired secret: %v", err)
	}
	after, _ := f.store.MFA().ByUser(f.ctx, u.ID())
	if bytes.Equal(after.Secret(), before.Secret()) {
		t.Fatal("the secret was not sealed anew under the current key")
	}
	if _, current, err := rotated.Open(after.Secret(), u.ID()); err != nil || !current {
		t.Fatalf("re-sealed secret: current %v, %v", current, err)
	}
	if _, err := f.verifyMFA(f.mfaToken("rotate@example.com", "10.0.0.1", ""), codes[0], "10.0.0.1"); err != nil {
		t.Fatalf("recovery code digested under the retired secret: %v", err)
	}
}

// TestMFAResetBetweenTheSteps: an admin reset between the password and the
// code voids the pending second step.
func TestMFAResetBetweenTheSteps(t *testing.T) {
	f := newAppFixture(t, nil)
	admin, err := f.admin.ProvisionUser(f.ctx, "admin@example.com", appPassword, domain.RoleAdmin, "test")
	if err != nil {
		t.Fatal(err)
	}
	u, secret, _ := f.enrolUser("reset@example.com")
	token := f.mfaToken("reset@example.com", "10.0.0.1", "")
	if err := f.admin.ResetMFA(f.ctx, admin.ID(), u.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifyMFA(token, f.appCode(secret, 0), "10.0.0.1"); !errors.Is(err, domain.ErrMFATokenInvalid) {
		t.Fatalf("second step after a reset: %v, want ErrMFATokenInvalid", err)
	}
	events := f.audit.of(domain.AuditMFAReset)
	if len(events) != 1 || events[0].ActorID != admin.ID() || events[0].Detail["hadMFA"] != "true" {
		t.Fatalf("reset audit: %+v", events)
	}
	if err := f.admin.ResetMFA(f.ctx, u.ID(), u.ID()); !errors.Is(err, domain.ErrInsufficientRole) {
		t.Fatalf("reset by a non-admin: %v", err)
	}
}

// TestMFASecondStepOfATrustedDevice: a login with the device token of the
// account passes the account ceiling, and so does its second step, which
// is counted on the device's own counter.
func TestMFASecondStepOfATrustedDevice(t *testing.T) {
	f := newAppFixture(t, limits(10, 3, 0))
	_, secret, _ := f.enrolUser("trusted@example.com")
	first, err := f.verifyMFA(f.mfaToken("trusted@example.com", "10.0.0.1", ""), f.appCode(secret, 0), "10.0.0.1")
	if err != nil || first.DeviceToken == "" {
		t.Fatalf("first login: %+v, %v", first, err)
	}
	for i := range 3 { // an attacker with the password guesses codes from elsewhere
		token := f.mfaToken("trusted@example.com", "10.9.9."+strconv.Itoa(i), "")
		_, err := f.verifyMFA(token, "000000", "10.9.9."+strconv.Itoa(i))
		if !errors.Is(err, domain.ErrMFACodeInvalid) {
			t.Fatalf("guess: %v", err)
		}
	}
	_, err = f.auth.Login(f.ctx, ports.Credentials{Email: "trusted@example.com", Password: appPassword,
		Client: domain.Client{IP: "10.0.0.1"}})
	mustLimited(t, err, "no device token past the ceiling")
	f.clock.Advance(domain.TOTPPeriod)
	token := f.mfaToken("trusted@example.com", "10.0.0.1", first.DeviceToken)
	tok, err := f.verifyMFA(token, f.appCode(secret, 0), "10.0.0.1")
	if err != nil {
		t.Fatalf("second step of the trusted device: %v", err)
	}
	if c := f.claims(tok.AccessToken); !reflect.DeepEqual(c.AMR, domain.AMRPasswordAndTOTP()) {
		t.Fatalf("amr %v", c.AMR)
	}
}

// TestMFAPendingEnrolmentChangesNoLogin: until confirmed, an enrolment
// leaves logins as they were, and confirming a replaced one fails.
func TestMFAPendingEnrolmentChangesNoLogin(t *testing.T) {
	f := newAppFixture(t, nil)
	u, _ := f.register("pending@example.com")
	first, err := f.mfa.Enroll(f.ctx, u.ID())
	if err != nil {
		t.Fatal(err)
	}
	tok := f.login("pending@example.com", appPassword)
	if c := f.claims(tok.AccessToken); !reflect.DeepEqual(c.AMR, domain.AMRPasswordOnly()) {
		t.Fatalf("amr %v", c.AMR)
	}
	if _, err := f.mfa.Enroll(f.ctx, u.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.mfa.Confirm(f.ctx, u.ID(), f.appCode(first.Secret, 0)); !errors.Is(err, domain.ErrMFACodeInvalid) {
		t.Fatalf("confirm with the replaced secret: %v", err)
	}
	if on, err := f.mfa.Enabled(f.ctx, u.ID()); err != nil || on {
		t.Fatalf("Enabled = %v, %v", on, err)
	}
}

func mustHasher(t *testing.T) ports.PasswordHasher {
	t.Helper()
	h, err := passhash.New(4, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestMFAPasswordChangeBetweenTheSteps: a second step pending from a login
// with the old password dies when the password changes.
func TestMFAPasswordChangeBetweenTheSteps(t *testing.T) {
	f := newAppFixture(t, nil)
	u, secret, _ := f.enrolUser("change@example.com")
	token := f.mfaToken("change@example.com", "10.0.0.1", "")
	if err := f.accounts.ChangePassword(f.ctx, u.ID(), "", appPassword, "a new passphrase", domain.Client{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.verifyMFA(token, f.appCode(secret, 0), "10.0.0.1"); !errors.Is(err, domain.ErrMFATokenInvalid) {
		t.Fatalf("second step after a password change: %v, want ErrMFATokenInvalid", err)
	}
}
