package test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/authd-dev/authd/ports"
)

// With the mail server gone, asking for a verification mail fails visibly
// (503) and forgot-password does not (202); the failure is logged and
// counted, with no link (so no token) in any log line.
func TestMailServerDown(t *testing.T) {
	eachMailBackend(t, nil, func(t *testing.T, m *mailEnv) {
		a := m.register(t, "down@example.com")
		m.nextMail(t, ports.MailVerifyEmail, a.Email)
		m.smtp.Close()
		m.do(req{Method: http.MethodPost, Path: "/v1/auth/verify-email/request", Bearer: a.Access}).
			expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
		m.forgot(a.Email).expect(t, http.StatusAccepted, "")
		m.settle(t)
		failures := 0
		for _, r := range parseLogs(t, m.logs.String()) {
			if r.str("event") == "mail.failed" && r.str("reason") == "unavailable" && r.str("userId") == a.ID && r.str("error") != "" {
				failures++
			}
		}
		if failures != 2 {
			t.Errorf("%d mail.failed audit records, want 2 (verify, reset)", failures)
		}
		for _, link := range []string{"#verify=", "#reset="} { // a failed send logs no link, hence no token
			if strings.Contains(m.logs.String(), link) {
				t.Errorf("logs contain a mailed link (%s…)", link)
			}
		}
		metrics := m.do(req{Method: http.MethodGet, Path: "/metrics"}).expect(t, http.StatusOK, "")
		for _, series := range []string{`authd_mails_total{kind="reset",outcome="unavailable"} 1`,
			`authd_mails_total{kind="verify",outcome="unavailable"} 1`, `authd_mails_total{kind="verify",outcome="sent"} 1`} {
			if !strings.Contains(string(metrics.Body), series) {
				t.Errorf("metrics lack %s", series)
			}
		}
	})
}

func TestRequireVerifiedEmail(t *testing.T) {
	eachMailBackend(t, map[string]string{"AUTHD_REQUIRE_VERIFIED_EMAIL": "true"}, func(t *testing.T, m *mailEnv) {
		for _, transport := range []string{"body", "cookie"} {
			email := transport + "@example.com"
			r := m.post("/v1/auth/register", map[string]string{"email": email, "password": testPassword, "transport": transport}).
				expect(t, http.StatusCreated, "")
			body := r.json(t)
			user, _ := body["user"].(map[string]any)
			if len(body) != 1 || user["emailVerified"] != false || r.Header.Get("Set-Cookie") != "" {
				t.Fatalf("register (%s) answered %s, Set-Cookie %q", transport, r.Body, r.Header.Get("Set-Cookie"))
			}
			m.post("/v1/auth/login", map[string]string{"email": email, "password": testPassword}).
				expect(t, http.StatusForbidden, "EMAIL_NOT_VERIFIED")
			m.post("/v1/auth/login", map[string]string{"email": email, "password": "wrong password"}).
				expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
			token, _ := m.nextMail(t, ports.MailVerifyEmail, email)
			m.verify(token).expect(t, http.StatusOK, "")
			m.login(t, account{Email: email, Password: testPassword})
		}
		// A reset verifies too: the way in for an account whose link expired.
		m.post("/v1/auth/register", map[string]string{"email": "lost@example.com", "password": testPassword}).expect(t, http.StatusCreated, "")
		m.nextMail(t, ports.MailVerifyEmail, "lost@example.com")
		m.forgot("lost@example.com").expect(t, http.StatusAccepted, "")
		token, _ := m.nextMail(t, ports.MailResetPassword, "lost@example.com")
		m.reset(token, newPassword).expect(t, http.StatusNoContent, "")
		m.login(t, account{Email: "lost@example.com", Password: newPassword})
		// The command line's accounts are vouched for: the first admin gets in.
		if _, err := m.app.CreateUser(context.Background(), "root@example.com", "admin password 123", "admin"); err != nil {
			t.Fatal(err)
		}
		root := m.login(t, account{Email: "root@example.com", Password: "admin password 123"})
		// An admin's account is verified by its owner, through the mail it gets.
		created := m.do(req{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: root.Access,
			Body: map[string]string{"email": "staff@example.com", "password": testPassword}}).expect(t, http.StatusCreated, "").json(t)
		if created["emailVerified"] != false {
			t.Fatalf("admin-created user: %v", created)
		}
		m.post("/v1/auth/login", map[string]string{"email": "staff@example.com", "password": testPassword}).
			expect(t, http.StatusForbidden, "EMAIL_NOT_VERIFIED")
		token, _ = m.nextMail(t, ports.MailVerifyEmail, "staff@example.com")
		m.verify(token).expect(t, http.StatusOK, "")
		m.login(t, account{Email: "staff@example.com", Password: testPassword})
	})
}

func TestAdminSetsEmailVerified(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "root@example.com")
		u := e.register(t, "vouched@example.com")
		patch := func(bearer string, body any) resp {
			return e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + u.ID, Bearer: bearer, Body: body})
		}
		got := patch(admin.Access, map[string]any{"emailVerified": true}).expect(t, http.StatusOK, "").json(t)
		if got["emailVerified"] != true || got["role"] != "user" {
			t.Fatalf("PATCH emailVerified answered %v", got)
		}
		got = patch(admin.Access, map[string]any{"role": "editor", "emailVerified": false}).expect(t, http.StatusOK, "").json(t)
		if got["emailVerified"] != false || got["role"] != "editor" {
			t.Fatalf("PATCH both answered %v", got)
		}
		patch(admin.Access, map[string]any{}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		patch(admin.Access, map[string]any{"emailVerified": "yes"}).expect(t, http.StatusBadRequest, "INVALID_JSON")
		patch(u.Access, map[string]any{"emailVerified": true}).expect(t, http.StatusForbidden, "INSUFFICIENT_ROLE")
		list := e.do(req{Method: http.MethodGet, Path: "/v1/admin/users", Bearer: admin.Access}).expect(t, http.StatusOK, "")
		if !strings.Contains(string(list.Body), `"emailVerified":false`) {
			t.Errorf("the user list lacks emailVerified: %s", list.Body)
		}
	})
}

// Forgot-password shares the login limits per email and per address, and
// says nothing when throttled; the new endpoints are under the
// per-address request limit.
func TestForgotPasswordThrottleAndRequestLimit(t *testing.T) {
	m := newMailEnvOn(t, sqliteTarget(t), map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "2"})
	a := m.register(t, "victim@example.com")
	m.nextMail(t, ports.MailVerifyEmail, a.Email)
	first := m.forgot(a.Email).expect(t, http.StatusAccepted, "")
	m.nextMail(t, ports.MailResetPassword, a.Email)
	m.forgot(a.Email).expect(t, http.StatusAccepted, "")
	m.nextMail(t, ports.MailResetPassword, a.Email)
	throttled := m.forgot(a.Email).expect(t, http.StatusAccepted, "")
	if string(throttled.Body) != string(first.Body) {
		t.Errorf("a throttled answer differs: %s", throttled.Body)
	}
	m.noNewMail(t)
	m.login(t, a) // login keeps its own budget

	limited := newEnv(t, map[string]string{"AUTHD_IP_RATE_LIMIT": "4"})
	paths := []string{"/v1/auth/password/forgot", "/v1/auth/password/reset", "/v1/auth/verify-email", "/v1/auth/password/forgot"}
	for _, p := range paths {
		if r := limited.post(p, map[string]string{}); r.Status == http.StatusTooManyRequests {
			t.Fatalf("%s limited too early", p)
		}
	}
	for _, p := range paths[:3] {
		limited.post(p, map[string]string{}).expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
	}
}

// Request bodies are never echoed: an error names the field, not the value.
func TestRecoveryErrorsDoNotEchoTokens(t *testing.T) {
	e := newEnv(t, nil)
	const bogus = "eyJzZWNyZXQiOiJ0b2tlbiJ9-not-a-real-one-0123"
	for _, r := range []resp{
		e.post("/v1/auth/verify-email", map[string]string{"token": bogus}),
		e.post("/v1/auth/password/reset", map[string]string{"token": bogus, "newPassword": newPassword}),
		e.post("/v1/auth/password/reset", map[string]string{"token": bogus, "newPassword": "x"}),
		e.post("/v1/auth/password/reset", map[string]string{"newPassword": newPassword}),
	} {
		if r.Status != http.StatusBadRequest || strings.Contains(string(r.Body), bogus) {
			t.Errorf("%d %s", r.Status, r.Body)
		}
	}
	e.post("/v1/auth/verify-email", map[string]string{}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	e.post("/v1/auth/verify-email", map[string]any{"token": bogus, "extra": 1}).expect(t, http.StatusBadRequest, "INVALID_JSON")
	if r := e.post("/v1/auth/password/forgot", strings.Repeat("x", 70<<10)); r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized forgot body: %d", r.Status)
	}
}
