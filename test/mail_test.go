package test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/smtptest"
)

// The injector builds the mailer at start-up: with AUTHD_SMTP_URL it
// reaches the server, without it the outbox is used and the start says so.
func TestStartupComposesTheMailer(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	e := newEnv(t, map[string]string{"AUTHD_SMTP_URL": srv.URL()})
	to, _ := domain.NewEmail("ada@example.com")
	m := ports.Mail{To: to, Kind: ports.MailResetPassword, Link: "http://localhost:8080/demo/#reset=tok", Lifetime: 30 * time.Minute}
	if err := e.app.Mailer.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 {
		t.Fatalf("server got %d messages", len(got))
	}
	if strings.Contains(e.logs.String(), "AUTHD_SMTP_URL is unset") {
		t.Errorf("outbox warning with SMTP configured")
	}

	dev := newEnv(t, nil)
	if !strings.Contains(dev.logs.String(), `"level":"WARN","msg":"AUTHD_SMTP_URL is unset`) {
		t.Errorf("no outbox warning at start:\n%s", dev.logs)
	}
}

func TestStartupFailsOnABrokenMailTemplate(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "verify.txt")
	if err := os.WriteFile(bad, []byte("open {{.Link"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := testEnv(t.TempDir())
	vars["AUTHD_MAIL_TEMPLATES"] = dir
	cfg, err := authd.Load(nil, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := authd.Initialize(context.Background(), cfg, authd.WithLogger(slog.New(slog.DiscardHandler)),
		authd.WithClock(clock.NewManual(time.Now())))
	if err == nil {
		_ = app.Close()
		t.Fatal("started with a broken template")
	}
	if !strings.Contains(err.Error(), "AUTHD_MAIL_TEMPLATES") || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v, want it to name AUTHD_MAIL_TEMPLATES and %s", err, bad)
	}
}
