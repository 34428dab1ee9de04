package application_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

func TestForgotPasswordAnswersAlikeAndMailsOnlyAccounts(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("known@example.com")
	if token := f.forgot("known@example.com", 1); token == "" {
		t.Fatal("no reset link")
	}
	f.forgot("nobody@example.com", 0)
	if err := f.recovery.ForgotPassword(f.ctx, "not an email", client); !errors.As(err, new(*domain.ValidationError)) {
		t.Errorf("malformed email: %v", err)
	}
	e := f.audit.of(domain.AuditResetRequested)
	if len(e) != 2 || e[0].Reason != "" || e[1].Reason != "unknown_email" || e[1].UserID != "" {
		t.Errorf("password.reset_requested events: %+v", e)
	}
}

// gatedUsers holds every ByEmail until the gate opens: a ForgotPassword
// that looked the account up on the request path could not return first.
type gatedUsers struct {
	*memstore.Users
	gate chan struct{}
}

func (g gatedUsers) ByEmail(ctx context.Context, email domain.Email) (domain.User, error) {
	<-g.gate
	return g.Users.ByEmail(ctx, email)
}

func TestForgotPasswordLooksTheAccountUpOffTheRequestPath(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("known@example.com")
	users := gatedUsers{Users: f.users, gate: make(chan struct{})}
	r := application.NewRecovery(users, f.store.Tokens(), nil, f.clock, f.audit, throttle.NewFailures(), emailnorm.New(),
		f.mail, f.policy)
	for _, email := range []string{"known@example.com", "nobody@example.com"} {
		done := make(chan error, 1)
		go func() { done <- r.ForgotPassword(f.ctx, email, client) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s: %v", email, err)
			}
		case <-time.After(time.Minute): // a hang guard: the gate never opens by itself
			t.Fatalf("%s: ForgotPassword waited for the account lookup", email)
		}
	}
	if n := len(f.mailbox.of(ports.MailResetPassword, "known@example.com")); n != 0 {
		t.Fatalf("%d mails before the lookup", n)
	}
	close(users.gate)
	f.drain()
	if n := len(f.mailbox.of(ports.MailResetPassword, "known@example.com")); n != 1 {
		t.Fatalf("%d reset mails after the background job, want 1", n)
	}
}

func TestForgotPasswordIsThrottledSilentlyPerEmailAndPerAddress(t *testing.T) {
	// 5 per email (PerPair), 8 per address (PerAddress) per 15 minutes.
	f := newAppFixture(t, func(p *application.Policy) { p.Login.PerAddress = 8 })
	f.register("victim@example.com")
	for i := 1; i <= 5; i++ {
		from := domain.Client{IP: fmt.Sprintf("198.51.100.%d", i)}
		if err := f.recovery.ForgotPassword(f.ctx, "victim@example.com", from); err != nil {
			t.Fatal(err)
		}
	}
	// Another spelling of the same address is the same counter.
	if err := f.recovery.ForgotPassword(f.ctx, " Victim@EXAMPLE.com", domain.Client{IP: "198.51.100.99"}); err != nil {
		t.Fatalf("throttled request: %v, want no error", err)
	}
	f.drain()
	if n := len(f.mailbox.of(ports.MailResetPassword, "victim@example.com")); n != 5 {
		t.Fatalf("%d mails to one address, want 5", n)
	}
	for i := 0; i < 9; i++ { // one address, many accounts
		if err := f.recovery.ForgotPassword(f.ctx, fmt.Sprintf("u%d@example.com", i), client); err != nil {
			t.Fatal(err)
		}
	}
	f.drain()
	throttled := 0
	for _, e := range f.audit.of(domain.AuditResetRequested) {
		if e.Reason == "throttled" {
			throttled++
		}
	}
	if throttled != 2 {
		t.Errorf("%d throttled requests, want 2 (the 6th to one email, the 9th from one address)", throttled)
	}
	// Login is not slowed by forgot-password requests for the same email
	// or from the same address.
	f.login("victim@example.com", appPassword)
	if _, err := f.try("victim@example.com", appPassword, client.IP, ""); err != nil {
		t.Fatalf("login from the throttled address: %v", err)
	}
}

func TestForgotPasswordNormalisesTheEmailAsLoginDoes(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("known@example.com")
	if err := f.recovery.ForgotPassword(f.ctx, "  KNOWN@Example.COM ", client); err != nil {
		t.Fatal(err)
	}
	f.drain()
	if n := len(f.mailbox.of(ports.MailResetPassword, "known@example.com")); n != 1 {
		t.Fatalf("%d reset mails for another spelling of the address, want 1", n)
	}
}

func TestForgotPasswordWithTheMailServerDownStillAnswers(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("down@example.com")
	f.mailbox.setDown(true)
	f.forgot("down@example.com", 0)
	fails := f.audit.of(domain.AuditMailFailed)
	if len(fails) != 1 || fails[0].Reason != "unavailable" || fails[0].Detail["kind"] != "reset" || fails[0].Detail["error"] == "" {
		t.Fatalf("mail.failed events: %+v", fails)
	}
}

// blockedMailer holds every Send until released, filling the backlog.
type blockedMailer struct{ release chan struct{} }

func (b blockedMailer) Send(ctx context.Context, _ ports.Mail) error {
	<-b.release
	return nil
}

func TestMailBacklogIsBounded(t *testing.T) {
	f := newAppFixture(t, nil)
	f.register("full@example.com")
	mailer := blockedMailer{release: make(chan struct{})}
	sender := application.NewMailSender(mailer, f.clock, f.audit)
	unthrottled := f.policy
	unthrottled.Login = domain.LoginLimits{} // every counter off
	r := application.NewRecovery(f.users, f.store.Tokens(), nil, f.clock, f.audit, throttle.NewFailures(), emailnorm.New(),
		sender, unthrottled)
	for i := 0; i < 300; i++ {
		if err := r.ForgotPassword(f.ctx, "full@example.com", client); err != nil {
			t.Fatal(err)
		}
	}
	refused := 0
	for _, e := range f.audit.of(domain.AuditMailFailed) {
		if e.Reason == "queue_full" {
			refused++
		}
	}
	close(mailer.release)
	if err := sender.Drain(f.ctx); err != nil {
		t.Fatal(err)
	}
	if refused != 300-256 {
		t.Fatalf("%d requests refused by a full backlog, want %d", refused, 300-256)
	}
}
