package application_test

import (
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

var client = domain.Client{UserAgent: "test", IP: "192.0.2.7"}

// verifyMail returns the secret of email's only verification mail.
func (f *appFixture) verifyMail(email string, n int) string {
	f.t.Helper()
	f.drain()
	got := f.mailbox.of(ports.MailVerifyEmail, email)
	if len(got) != n {
		f.t.Fatalf("%d verification mails to %s, want %d", len(got), email, n)
	}
	if got[n-1].Lifetime != 24*time.Hour {
		f.t.Errorf("lifetime %v", got[n-1].Lifetime)
	}
	return secret(f.t, got[n-1], appLinkURL)
}

func TestRegisterMailsAVerificationLinkThatWorksOnce(t *testing.T) {
	f := newAppFixture(t, nil)
	u, _ := f.register("ver@example.com")
	if u.EmailVerified() {
		t.Fatal("a new account is verified")
	}
	token := f.verifyMail("ver@example.com", 1)
	got, err := f.recovery.VerifyEmail(f.ctx, token, client)
	if err != nil || !got.EmailVerified() || got.ID() != u.ID() {
		t.Fatalf("VerifyEmail = (%+v, %v)", got.State(), err)
	}
	if _, err := f.recovery.VerifyEmail(f.ctx, token, client); !errors.Is(err, domain.ErrVerificationTokenInvalid) {
		t.Fatalf("second use: %v", err)
	}
	if len(f.audit.of(domain.AuditEmailVerified)) != 1 || len(f.audit.of(domain.AuditVerificationRejected)) != 1 ||
		len(f.audit.of(domain.AuditMailSent)) != 1 {
		t.Errorf("audit: %+v", f.audit.events)
	}
}

func TestVerifyEmailRefusesBadTokens(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("bad@example.com")
	token := f.verifyMail("bad@example.com", 1)
	if _, err := f.recovery.VerifyEmail(f.ctx, "", client); !errors.As(err, new(*domain.ValidationError)) {
		t.Errorf("empty token: %v", err)
	}
	_, unknown, err := domain.NewOneTimeToken(rand.Reader, "someone", domain.PurposeVerifyEmail, appT0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"malformed": "not-a-token", "unknown": unknown, "padded": token + "="} {
		if _, err := f.recovery.VerifyEmail(f.ctx, tok, client); !errors.Is(err, domain.ErrVerificationTokenInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := f.recovery.ResetPassword(f.ctx, token, "a new password", client); !errors.Is(err, domain.ErrResetTokenInvalid) {
		t.Errorf("a verification token spent as a reset token: %v", err)
	}
	f.clock.Advance(24 * time.Hour) // expiry is exclusive
	if _, err := f.recovery.VerifyEmail(f.ctx, token, client); !errors.Is(err, domain.ErrVerificationTokenInvalid) {
		t.Errorf("expired: %v", err)
	}
}

func TestRequestVerification(t *testing.T) {
	f := newAppFixture(t, nil)
	u, _ := f.register("again@example.com")
	first := f.verifyMail("again@example.com", 1)
	if err := f.recovery.RequestVerification(f.ctx, u.ID(), client); err != nil {
		t.Fatal(err)
	}
	second := f.verifyMail("again@example.com", 2) // sent before returning
	if first == second {
		t.Fatal("the same token twice")
	}
	f.mailbox.setDown(true)
	if err := f.recovery.RequestVerification(f.ctx, u.ID(), client); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("mail server down: %v, want ErrUnavailable", err)
	}
	if fails := f.audit.of(domain.AuditMailFailed); len(fails) != 1 || fails[0].Reason != "unavailable" || fails[0].Detail["kind"] != "verify" {
		t.Errorf("mail.failed events: %+v", fails)
	}
	f.mailbox.setDown(false)
	if _, err := f.recovery.VerifyEmail(f.ctx, first, client); err != nil {
		t.Fatalf("an older verification link: %v", err)
	}
	if err := f.recovery.RequestVerification(f.ctx, u.ID(), client); err != nil {
		t.Fatal(err)
	}
	f.verifyMail("again@example.com", 2) // verified: nothing more
	if err := f.accountsDelete(u.ID()); err != nil {
		t.Fatal(err)
	}
	if err := f.recovery.RequestVerification(f.ctx, u.ID(), client); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Errorf("deleted user: %v", err)
	}
}

func (f *appFixture) accountsDelete(id string) error { return f.users.Delete(f.ctx, id) }

// forgot asks for a reset of email and returns the secret of the newest
// reset mail, after checking there are n.
func (f *appFixture) forgot(email string, n int) string {
	f.t.Helper()
	if err := f.recovery.ForgotPassword(f.ctx, email, client); err != nil {
		f.t.Fatalf("ForgotPassword(%s): %v", email, err)
	}
	f.drain()
	got := f.mailbox.of(ports.MailResetPassword, email)
	if len(got) != n {
		f.t.Fatalf("%d reset mails to %s, want %d", len(got), email, n)
	}
	if n == 0 {
		return ""
	}
	return secret(f.t, got[n-1], appLinkURL)
}

func TestResetPassword(t *testing.T) {
	f := newAppFixture(t, nil)
	u, reg := f.register("reset@example.com")
	other := f.login("reset@example.com", appPassword)
	older := f.forgot("reset@example.com", 1)
	token := f.forgot("reset@example.com", 2)
	if err := f.recovery.ResetPassword(f.ctx, token, "short", client); !errors.Is(err, domain.ErrPasswordTooShort) {
		t.Fatalf("short password: %v", err)
	}
	if err := f.recovery.ResetPassword(f.ctx, older, "brand new password", client); !errors.Is(err, domain.ErrResetTokenInvalid) {
		t.Fatalf("the link a newer request replaced: %v", err)
	}
	if err := f.recovery.ResetPassword(f.ctx, token, "brand new password", client); err != nil {
		t.Fatalf("reset: %v", err)
	}
	f.mustRevoked(reg.SessionID, domain.RevokePasswordReset)
	f.mustRevoked(other.SessionID, domain.RevokePasswordReset)
	if got, _ := f.users.ByID(f.ctx, u.ID()); !got.EmailVerified() {
		t.Error("a reset did not verify the email")
	}
	if _, err := f.auth.Login(f.ctx, ports.Credentials{Email: "reset@example.com", Password: appPassword}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("old password: %v", err)
	}
	f.login("reset@example.com", "brand new password")
	if err := f.recovery.ResetPassword(f.ctx, token, "another new password", client); !errors.Is(err, domain.ErrResetTokenInvalid) {
		t.Errorf("second use: %v", err)
	}
	if e := f.audit.of(domain.AuditPasswordReset); len(e) != 1 || e[0].Detail["sessionsEnded"] != "2" || e[0].UserID != u.ID() {
		t.Errorf("password.reset events: %+v", e)
	}
}

func TestResetLinkExpiresAndDiesWithAPasswordChange(t *testing.T) {
	f := newAppFixture(t, nil)
	u, reg := f.register("exp@example.com")
	token := f.forgot("exp@example.com", 1)
	f.clock.Advance(30 * time.Minute)
	if err := f.recovery.ResetPassword(f.ctx, token, "brand new password", client); !errors.Is(err, domain.ErrResetTokenInvalid) {
		t.Fatalf("expired: %v", err)
	}
	token = f.forgot("exp@example.com", 2)
	if err := f.accounts.ChangePassword(f.ctx, u.ID(), reg.SessionID, appPassword, "changed password", client); err != nil {
		t.Fatal(err)
	}
	if err := f.recovery.ResetPassword(f.ctx, token, "brand new password", client); !errors.Is(err, domain.ErrResetTokenInvalid) {
		t.Fatalf("after a password change: %v", err)
	}
}

func TestConcurrentResetsWithOneTokenOneWins(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("race@example.com")
	token := f.forgot("race@example.com", 1)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f.recovery.ResetPassword(f.ctx, token, "racing password", client) })
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, domain.ErrResetTokenInvalid):
			t.Errorf("loser: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d resets succeeded, want 1", wins)
	}
}

func TestRequireVerifiedEmail(t *testing.T) {
	f := newAppFixture(t, func(p *application.Policy) { p.RequireVerifiedEmail = true })
	u, tok := f.register("strict@example.com")
	if tok != (ports.Tokens{}) {
		t.Fatalf("registration opened a session: %+v", tok)
	}
	if live, _ := f.sessions.ListLive(f.ctx, u.ID(), f.clock.Now()); len(live) != 0 {
		t.Fatalf("%d sessions after registration", len(live))
	}
	creds := ports.Credentials{Email: "strict@example.com", Password: appPassword}
	if _, err := f.auth.Login(f.ctx, creds); !errors.Is(err, domain.ErrEmailNotVerified) {
		t.Fatalf("unverified login: %v", err)
	}
	creds.Password = "wrong password"
	if _, err := f.auth.Login(f.ctx, creds); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("unverified, wrong password: %v", err)
	}
	if _, err := f.recovery.VerifyEmail(f.ctx, f.verifyMail("strict@example.com", 1), client); err != nil {
		t.Fatal(err)
	}
	f.login("strict@example.com", appPassword)
}

func TestAdminSetsEmailVerified(t *testing.T) {
	f := newAppFixture(t, nil)
	admin, _ := adminPair(f)
	u, _ := f.register("vouch@example.com")
	got, err := f.admin.SetEmailVerified(f.ctx, admin.ID(), u.ID(), true)
	if err != nil || !got.EmailVerified() {
		t.Fatalf("SetEmailVerified = (%+v, %v)", got.State(), err)
	}
	if stored, _ := f.users.ByID(f.ctx, u.ID()); !stored.EmailVerified() {
		t.Error("not stored")
	}
	if e := f.audit.of(domain.AuditEmailVerifiedSet); len(e) != 1 || e[0].ActorID != admin.ID() || e[0].Detail["to"] != "true" {
		t.Errorf("audit: %+v", e)
	}
	if _, err := f.admin.SetEmailVerified(f.ctx, admin.ID(), "not-a-uuid", true); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := f.admin.SetEmailVerified(f.ctx, u.ID(), u.ID(), false); !errors.Is(err, domain.ErrInsufficientRole) {
		t.Errorf("a user unverifying itself: %v", err)
	}
}

// The operator (CLI) vouches for the address; an admin's account is
// verified by its owner, as a registered one.
func TestProvisionedAccountsAreVerifiedAdminCreatedOnesMailed(t *testing.T) {
	f := newAppFixture(t, func(p *application.Policy) { p.RequireVerifiedEmail = true })
	a1, a2 := adminPair(f)
	f.drain()
	if !a1.EmailVerified() {
		t.Error("ProvisionUser: account not verified")
	}
	if stored, _ := f.users.ByID(f.ctx, a1.ID()); !stored.EmailVerified() {
		t.Error("ProvisionUser: verified flag not stored")
	}
	if n := len(f.mailbox.of(ports.MailVerifyEmail, "a1@example.com")); n != 0 {
		t.Errorf("ProvisionUser sent %d verification mails", n)
	}
	f.login("a1@example.com", appPassword)
	if a2.EmailVerified() {
		t.Error("CreateUser by an admin: account verified without its owner")
	}
	creds := ports.Credentials{Email: "a2@example.com", Password: appPassword}
	if _, err := f.auth.Login(f.ctx, creds); !errors.Is(err, domain.ErrEmailNotVerified) {
		t.Fatalf("admin-created, unverified login: %v", err)
	}
	if _, err := f.recovery.VerifyEmail(f.ctx, f.verifyMail("a2@example.com", 1), client); err != nil {
		t.Fatal(err)
	}
	f.login("a2@example.com", appPassword)
}
