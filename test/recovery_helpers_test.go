package test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/backends"
	"github.com/authd-dev/authd/test/smtptest"
)

// mailEnv is an env whose mails go to a real SMTP server in the test
// process, over STARTTLS, the app trusting the server's test certificate.
type mailEnv struct {
	*env
	smtp *smtptest.Server
	seen int // messages already taken by nextMail
}

// newMailEnvOn composes authd on target, on a manual clock, mailing
// through a fresh STARTTLS smtptest server.
func newMailEnvOn(t testing.TB, target backends.Target, overrides map[string]string) *mailEnv {
	t.Helper()
	srv := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS})
	vars := map[string]string{"AUTHD_SMTP_URL": srv.URL()}
	for k, v := range overrides {
		vars[k] = v
	}
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	e := composeWith(t, target, vars, clk, func(c *authd.Config) { c.Mail.RootCAs = srv.RootCAs() })
	e.clock = clk
	return &mailEnv{env: e, smtp: srv}
}

// sqliteTarget is a fresh SQLite file.
func sqliteTarget(t testing.TB) backends.Target {
	return backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"})
}

// eachMailBackend runs fn once per backend, each with its own mail server.
func eachMailBackend(t *testing.T, overrides map[string]string, fn func(t *testing.T, m *mailEnv)) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) { fn(t, newMailEnvOn(t, target, overrides)) })
	}
}

// settle waits for the app's background mail work; afterwards every mail
// it sent is on the server (SMTP accepted it before the send returned).
func (m *mailEnv) settle(t testing.TB) {
	t.Helper()
	drainMail(t, m.app)
}

// noNewMail fails if a mail arrived since the last nextMail.
func (m *mailEnv) noNewMail(t testing.TB) {
	t.Helper()
	m.settle(t)
	if got := m.smtp.Messages(); len(got) != m.seen {
		t.Fatalf("%d unexpected mails", len(got)-m.seen)
	}
}

// nextMail takes the one new mail, which must be of kind and to rcpt, sent
// over TLS, multipart with the link in both parts; it returns the token of
// the link and the link itself.
func (m *mailEnv) nextMail(t testing.TB, kind ports.MailKind, rcpt string) (token, link string) {
	t.Helper()
	m.settle(t)
	got := m.smtp.Messages()
	if len(got) != m.seen+1 {
		t.Fatalf("%d new mails, want 1", len(got)-m.seen)
	}
	msg := got[m.seen]
	m.seen++
	if !msg.TLS || len(msg.To) != 1 || msg.To[0] != rcpt {
		t.Fatalf("mail to %v, TLS %v; want to %s over TLS", msg.To, msg.TLS, rcpt)
	}
	p, err := msg.Parse()
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	base := m.srv.URL + "/demo/#" + string(kind) + "="
	link = smtptest.FindLink(p.Text, base)
	if link == "" || smtptest.FindLink(p.HTML, base) != link {
		t.Fatalf("no %s link to %s in both parts:\n%s", kind, base, p.Text)
	}
	lifetime := map[ports.MailKind]string{ports.MailVerifyEmail: "24 hours", ports.MailResetPassword: "30 minutes"}[kind]
	if !strings.Contains(p.Text, lifetime) || kind == ports.MailResetPassword && !strings.Contains(p.Text, "every device") {
		t.Errorf("the mail does not state the lifetime %q (or, for a reset, the sign-out):\n%s", lifetime, p.Text)
	}
	return tokenOf(t, link), link
}

// tokenOf follows a mailed link as the page does: the token is the value
// of the fragment's one parameter.
func tokenOf(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("link %q: %v", link, err)
	}
	_, token, ok := strings.Cut(u.Fragment, "=")
	if !ok || token == "" {
		t.Fatalf("link %q carries no token", link)
	}
	return token
}

func (m *mailEnv) verify(token string) resp {
	return m.post("/v1/auth/verify-email", map[string]string{"token": token})
}

func (m *mailEnv) forgot(email string) resp {
	return m.post("/v1/auth/password/forgot", map[string]string{"email": email})
}

func (m *mailEnv) reset(token, password string) resp {
	return m.post("/v1/auth/password/reset", map[string]string{"token": token, "newPassword": password})
}

func (m *mailEnv) me(t testing.TB, access string) map[string]any {
	t.Helper()
	return m.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: access}).expect(t, http.StatusOK, "").json(t)
}
