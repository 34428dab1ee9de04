package authd

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/smtptest"
)

func TestMailDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Mail
	if m.SMTPURL != "" || m.From != "authd <no-reply@localhost>" || m.Templates != "" ||
		m.LinkURL != "http://localhost:8080/demo/" || m.VerifyTokenTTL != 24*time.Hour || m.ResetTokenTTL != 30*time.Minute {
		t.Fatalf("mail defaults: %+v", m)
	}
}

func TestBadMailValuesNameTheVariableAndHideThePassword(t *testing.T) {
	const pw = "pa55word-hidden"
	cases := map[string]string{
		"AUTHD_SMTP_URL":         "smtp://u:" + pw + "@mail.example.com:587?tls=none",
		"AUTHD_MAIL_FROM":        "two@example.com, addresses@example.com",
		"AUTHD_EMAIL_LINK_URL":   "http://localhost:8080/demo/#already",
		"AUTHD_VERIFY_TOKEN_TTL": "30s",
		"AUTHD_RESET_TOKEN_TTL":  "soon",
	}
	for name, value := range cases {
		_, err := load(t, map[string]string{name: value})
		if err == nil || !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), pw) {
			t.Errorf("%s=%q: error %v, want one naming the variable, without the password", name, value, err)
		}
	}
	for _, link := range []string{"/demo/", "ftp://example.com/", "https://user:pw@example.com/", "https:///x"} {
		if _, err := load(t, map[string]string{"AUTHD_EMAIL_LINK_URL": link}); err == nil {
			t.Errorf("AUTHD_EMAIL_LINK_URL=%q accepted", link)
		}
	}
	c, err := load(t, map[string]string{"AUTHD_SMTP_URL": "smtps://u:" + pw + "@mail.example.com", "AUTHD_EMAIL_LINK_URL": "https://app.example.com/account?from=mail"})
	if err != nil || c.Mail.SMTPURL == "" {
		t.Fatalf("good values refused: %v", err)
	}
}

func newMailer(t *testing.T, env map[string]string) (ports.Mailer, string, error) {
	t.Helper()
	env["AUTHD_DATA_DIR"] = t.TempDir()
	c, err := load(t, env)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	m, err := mailer(c.Mail, c.Storage, slog.New(slog.NewTextHandler(&logs, nil)), clock.NewManual(time.Now()))
	return m, logs.String(), err
}

func TestMailerWithoutSMTPURLIsTheOutboxWithAWarning(t *testing.T) {
	m, logs, err := newMailer(t, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	outbox, ok := m.(*mail.Outbox)
	if !ok {
		t.Fatalf("mailer is %T, want the outbox", m)
	}
	if !strings.HasSuffix(outbox.Dir(), string(filepath.Separator)+"outbox") || !strings.Contains(logs, "level=WARN") ||
		!strings.Contains(logs, "AUTHD_SMTP_URL is unset") {
		t.Errorf("outbox in %s, logs:\n%s", outbox.Dir(), logs)
	}
}

func TestMailerWithSMTPURLSendsThroughTheServer(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	m, logs, err := newMailer(t, map[string]string{"AUTHD_SMTP_URL": srv.URL(), "AUTHD_MAIL_FROM": "Accounts <accounts@example.com>"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs, "level=WARN") {
		t.Errorf("warned with SMTP configured:\n%s", logs)
	}
	to, _ := domain.NewEmail("ada@example.com")
	link := "http://localhost:8080/demo/#verify=tok"
	if err := m.Send(context.Background(), ports.Mail{To: to, Kind: ports.MailVerifyEmail, Link: link, Lifetime: time.Hour}); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].From != "accounts@example.com" {
		t.Fatalf("server got %+v", got)
	}
	if p, err := got[0].Parse(); err != nil || smtptest.FindLink(p.Text, "http://") != link {
		t.Errorf("parsed %+v, %v", p, err)
	}
}

func TestMailerRefusesABrokenTemplateNamingVariableAndFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "reset.html")
	if err := os.WriteFile(bad, []byte("<a href=\"{{.Link}\">"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := newMailer(t, map[string]string{"AUTHD_MAIL_TEMPLATES": dir})
	if err == nil || !strings.Contains(err.Error(), "AUTHD_MAIL_TEMPLATES") || !strings.Contains(err.Error(), bad) {
		t.Fatalf("err = %v, want it to name AUTHD_MAIL_TEMPLATES and %s", err, bad)
	}
}
