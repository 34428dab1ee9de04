package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/logtest"
	"github.com/authd-dev/authd/test/smtptest"
)

// newSMTP builds the adapter for url, trusting the test server's
// certificate when srv is given.
func newSMTP(t *testing.T, url string, srv *smtptest.Server) (*mail.SMTP, *logtest.Buffer) {
	t.Helper()
	server, err := mail.ParseURL(url)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	cfg := mail.SMTPConfig{Server: server, Timeout: 20 * time.Second}
	if srv != nil {
		cfg.RootCAs = srv.RootCAs()
	}
	log, logs := newLogger()
	return mail.NewSMTP(cfg, newComposer(t, ""), log), logs
}

func sendOne(t *testing.T, m *mail.SMTP, msg ports.Mail) {
	t.Helper()
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("send: %v", err)
	}
}

func TestSMTPStartTLSWithAuthDeliversVerifyMail(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS, Username: "mailer", Password: "s3cret pass"})
	m, logs := newSMTP(t, "smtp://mailer:s3cret%20pass@"+srv.Addr(), srv)
	msg, token := newMail(t, ports.MailVerifyEmail, 24*time.Hour)
	sendOne(t, m, msg)

	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server got %d messages, want 1", len(got))
	}
	if !got[0].TLS || got[0].AuthUser != "mailer" {
		t.Errorf("TLS=%v AuthUser=%q, want STARTTLS and AUTH as mailer", got[0].TLS, got[0].AuthUser)
	}
	if got[0].From != "accounts@example.com" || len(got[0].To) != 1 || got[0].To[0] != "ada@example.com" {
		t.Errorf("envelope from %q to %v", got[0].From, got[0].To)
	}
	checkMail(t, got[0].Data, msg, "Confirm your email address", "24 hours")
	noToken(t, "the adapter's log", logs.String(), token)
	if !strings.Contains(logs.String(), `"msg":"mail sent"`) {
		t.Errorf("no debug line for the send:\n%s", logs)
	}
}

func TestSMTPImplicitTLSDeliversResetMail(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.ImplicitTLS, Username: "u", Password: "p"})
	m, logs := newSMTP(t, srv.URL(), srv)
	msg, token := newMail(t, ports.MailResetPassword, 30*time.Minute)
	sendOne(t, m, msg)

	got := srv.Messages()
	if len(got) != 1 || !got[0].TLS || got[0].AuthUser != "u" {
		t.Fatalf("messages %+v, want one over TLS authenticated as u", got)
	}
	checkMail(t, got[0].Data, msg, "Reset your password", "30 minutes", "signs you out on every device")
	noToken(t, "the adapter's log", logs.String(), token)
}

func TestSMTPPlainRelayWithTLSNone(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	m, _ := newSMTP(t, "smtp://"+srv.Addr()+"?tls=none", nil)
	msg, _ := newMail(t, ports.MailVerifyEmail, time.Hour)
	sendOne(t, m, msg)

	got := srv.Messages()
	if len(got) != 1 || got[0].TLS || got[0].AuthUser != "" {
		t.Fatalf("messages %+v, want one in clear without AUTH", got)
	}
	checkMail(t, got[0].Data, msg, "Confirm your email address", "1 hour")
}

// failsUnavailable sends msg through m and wants an error wrapping
// domain.ErrUnavailable, nothing delivered, and no secret in the error.
func failsUnavailable(t *testing.T, m *mail.SMTP, srv *smtptest.Server, secrets ...string) error {
	t.Helper()
	msg, token := newMail(t, ports.MailResetPassword, time.Hour)
	err := m.Send(context.Background(), msg)
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("err = %v, want one wrapping domain.ErrUnavailable", err)
	}
	if srv != nil && len(srv.Messages()) != 0 {
		t.Errorf("server got %d messages, want none", len(srv.Messages()))
	}
	for _, s := range append(secrets, token) {
		noToken(t, "the error", err.Error(), s)
	}
	return err
}

func TestSMTPRefusesServerWithoutSTARTTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	m, _ := newSMTP(t, "smtp://"+srv.Addr(), srv)
	err := failsUnavailable(t, m, srv)
	if !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("err = %v, want it to name STARTTLS", err)
	}
}

func TestSMTPRefusesUntrustedCertificate(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS})
	m, _ := newSMTP(t, srv.URL(), nil) // system roots: the test certificate is unknown
	failsUnavailable(t, m, srv)
}

func TestSMTPWrongPasswordIsUnavailableAndNotRepeated(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS, Username: "u", Password: "right"})
	m, _ := newSMTP(t, "smtp://u:wrong-password-xyz@"+srv.Addr(), srv)
	failsUnavailable(t, m, srv, "wrong-password-xyz")
}

func TestSMTPServerDownIsUnavailable(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS, Username: "u", Password: "pw-secret-1"})
	m, _ := newSMTP(t, srv.URL(), srv)
	srv.Close()
	failsUnavailable(t, m, nil, "pw-secret-1")
}

func TestSMTPRefusesAnUnknownKindBeforeConnecting(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS})
	m, _ := newSMTP(t, srv.URL(), srv)
	msg, _ := newMail(t, "welcome", time.Hour)
	err := m.Send(context.Background(), msg)
	if err == nil || errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("err = %v, want a plain error (a bug in the caller)", err)
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("server got a message")
	}
}
