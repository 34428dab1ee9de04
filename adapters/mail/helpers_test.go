package mail_test

import (
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/logtest"
	"github.com/authd-dev/authd/test/smtptest"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var sentAt = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func newLogger() (*slog.Logger, *logtest.Buffer) {
	b := &logtest.Buffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

func newComposer(t *testing.T, templatesDir string) *mail.Composer {
	t.Helper()
	tpl, err := mail.LoadTemplates(templatesDir)
	if err != nil {
		t.Fatalf("load templates: %v", err)
	}
	c, err := mail.NewComposer(tpl, "Example Accounts <accounts@example.com>", fixedClock{sentAt})
	if err != nil {
		t.Fatalf("composer: %v", err)
	}
	return c
}

// newMail is a mail with a fresh token in its link, so a test can look for
// that token anywhere it must not be.
func newMail(t *testing.T, kind ports.MailKind, ttl time.Duration) (ports.Mail, string) {
	t.Helper()
	to, err := domain.NewEmail("ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	token := rand.Text() + "-_" + rand.Text()
	return ports.Mail{To: to, Kind: kind, Link: "http://localhost:8080/demo/#" + string(kind) + "=" + token, Lifetime: ttl}, token
}

// checkMail asserts what a recipient of m would see in raw.
func checkMail(t *testing.T, raw []byte, m ports.Mail, subject, lifetime string, extra ...string) smtptest.Parsed {
	t.Helper()
	p, err := smtptest.ParseMessage(raw)
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, raw)
	}
	if p.Subject != subject {
		t.Errorf("subject = %q, want %q", p.Subject, subject)
	}
	if got := p.Header.Get("From"); !strings.Contains(got, "<accounts@example.com>") {
		t.Errorf("From = %q", got)
	}
	if got := p.Header.Get("To"); !strings.Contains(got, "ada@example.com") {
		t.Errorf("To = %q", got)
	}
	if d, err := p.Header.Date(); err != nil || !d.Equal(sentAt) {
		t.Errorf("Date = %v (%v), want %v", d, err, sentAt)
	}
	if id := p.Header.Get("Message-Id"); !strings.HasSuffix(id, "@example.com>") {
		t.Errorf("Message-Id = %q, want one in the sender's domain", id)
	}
	for part, body := range map[string]string{"text": p.Text, "html": p.HTML} {
		if smtptest.FindLink(body, "http://localhost:8080/demo/#") != m.Link {
			t.Errorf("%s part: link %q not found in\n%s", part, m.Link, body)
		}
		flat := strings.Join(strings.Fields(body), " ")
		for _, want := range append([]string{lifetime}, extra...) {
			if !strings.Contains(flat, want) {
				t.Errorf("%s part lacks %q:\n%s", part, want, body)
			}
		}
	}
	return p
}

func noToken(t *testing.T, where, text, token string) {
	t.Helper()
	if strings.Contains(text, token) {
		t.Errorf("%s holds the token:\n%s", where, text)
	}
}
