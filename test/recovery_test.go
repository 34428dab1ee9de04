package test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/ports"
)

const newPassword = "a brand new password"

func TestVerifyEmailByMail(t *testing.T) {
	eachMailBackend(t, nil, func(t *testing.T, m *mailEnv) {
		a := m.register(t, "ver@example.com")
		if m.me(t, a.Access)["emailVerified"] != false {
			t.Fatal("a new account reads as verified")
		}
		token, _ := m.nextMail(t, ports.MailVerifyEmail, a.Email)
		u := m.verify(token).expect(t, http.StatusOK, "").json(t)
		if u["emailVerified"] != true || u["id"] != a.ID {
			t.Fatalf("verify-email answered %v", u)
		}
		if m.me(t, a.Access)["emailVerified"] != true {
			t.Fatal("/me does not show the verification")
		}
		m.verify(token).expect(t, http.StatusBadRequest, "VERIFICATION_TOKEN_INVALID")
		m.verify("not-a-token").expect(t, http.StatusBadRequest, "VERIFICATION_TOKEN_INVALID")
		m.do(req{Method: http.MethodPost, Path: "/v1/auth/verify-email/request", Bearer: a.Access}).expect(t, http.StatusAccepted, "")
		m.noNewMail(t) // already verified
	})
}

func TestVerificationRequestAndExpiry(t *testing.T) {
	eachMailBackend(t, nil, func(t *testing.T, m *mailEnv) {
		a := m.register(t, "again@example.com")
		first, _ := m.nextMail(t, ports.MailVerifyEmail, a.Email)
		r := m.do(req{Method: http.MethodPost, Path: "/v1/auth/verify-email/request", Bearer: a.Access}).expect(t, http.StatusAccepted, "")
		if r.str(t, "status") != "accepted" {
			t.Fatalf("body %s", r.Body)
		}
		second, _ := m.nextMail(t, ports.MailVerifyEmail, a.Email)
		m.clock.Advance(24 * time.Hour)
		m.verify(first).expect(t, http.StatusBadRequest, "VERIFICATION_TOKEN_INVALID")
		m.verify(second).expect(t, http.StatusBadRequest, "VERIFICATION_TOKEN_INVALID")
		m.do(req{Method: http.MethodPost, Path: "/v1/auth/verify-email/request"}).expect(t, http.StatusUnauthorized, "TOKEN_MISSING")
	})
}

func TestPasswordResetByMail(t *testing.T) {
	eachMailBackend(t, nil, func(t *testing.T, m *mailEnv) {
		a := m.register(t, "reset@example.com")
		m.nextMail(t, ports.MailVerifyEmail, a.Email)
		other := m.login(t, a)
		m.forgot(a.Email).expect(t, http.StatusAccepted, "")
		older, _ := m.nextMail(t, ports.MailResetPassword, a.Email)
		m.forgot(a.Email).expect(t, http.StatusAccepted, "")
		token, _ := m.nextMail(t, ports.MailResetPassword, a.Email)

		m.reset(token, "short").expect(t, http.StatusBadRequest, "PASSWORD_TOO_SHORT")
		// An unpaired surrogate decodes to U+FFFD: refused, the token unspent.
		m.post("/v1/auth/password/reset", `{"token":"`+token+`","newPassword":"a brand \ud800 new password"}`).
			expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		m.reset(older, newPassword).expect(t, http.StatusBadRequest, "RESET_TOKEN_INVALID") // voided by the newer request
		m.reset(token, newPassword).expect(t, http.StatusNoContent, "")

		for _, s := range []account{a, other} { // every session ended
			m.refresh(s.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		}
		m.post("/v1/auth/login", map[string]string{"email": a.Email, "password": testPassword}).
			expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		a.Password = newPassword
		fresh := m.login(t, a)
		if m.me(t, fresh.Access)["emailVerified"] != true {
			t.Error("a reset did not verify the email")
		}
		m.reset(token, "yet another password").expect(t, http.StatusBadRequest, "RESET_TOKEN_INVALID")
		m.login(t, a) // the spent token changed nothing
	})
}

func TestConcurrentResetsOneWins(t *testing.T) {
	eachMailBackend(t, nil, func(t *testing.T, m *mailEnv) {
		a := m.register(t, "race@example.com")
		m.nextMail(t, ports.MailVerifyEmail, a.Email)
		m.forgot(a.Email).expect(t, http.StatusAccepted, "")
		token, _ := m.nextMail(t, ports.MailResetPassword, a.Email)
		statuses := make([]resp, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, pw := range []string{"racer one password", "racer two password"} {
			wg.Go(func() { <-start; statuses[i] = m.reset(token, pw) })
		}
		close(start)
		wg.Wait()
		won := 0
		for _, r := range statuses {
			switch {
			case r.Status == http.StatusNoContent:
				won++
			case r.Status != http.StatusBadRequest || r.str(t, "code") != "RESET_TOKEN_INVALID":
				t.Errorf("loser: %d %s", r.Status, r.Body)
			}
		}
		if won != 1 {
			t.Fatalf("%d resets succeeded, want exactly 1", won)
		}
	})
}

func TestResetLinkExpires(t *testing.T) {
	eachMailBackend(t, nil, func(t *testing.T, m *mailEnv) {
		a := m.register(t, "late@example.com")
		m.nextMail(t, ports.MailVerifyEmail, a.Email)
		m.forgot(a.Email).expect(t, http.StatusAccepted, "")
		token, _ := m.nextMail(t, ports.MailResetPassword, a.Email)
		m.clock.Advance(30 * time.Minute)
		m.reset(token, newPassword).expect(t, http.StatusBadRequest, "RESET_TOKEN_INVALID")
		m.login(t, a)
	})
}

// An unknown address gets the same status, body and headers (but the
// request id) and no mail.
func TestForgotPasswordForAnUnknownEmail(t *testing.T) {
	eachMailBackend(t, nil, func(t *testing.T, m *mailEnv) {
		a := m.register(t, "known@example.com")
		m.nextMail(t, ports.MailVerifyEmail, a.Email)
		known := m.forgot(a.Email).expect(t, http.StatusAccepted, "")
		m.nextMail(t, ports.MailResetPassword, a.Email)
		unknown := m.forgot("nobody@example.com").expect(t, http.StatusAccepted, "")
		m.noNewMail(t)
		if !bytes.Equal(known.Body, unknown.Body) {
			t.Errorf("bodies differ: %s / %s", known.Body, unknown.Body)
		}
		for _, h := range []http.Header{known.Header, unknown.Header} {
			h.Del("X-Request-ID")
			h.Del("Date")
		}
		if !sameHeader(known.Header, unknown.Header) {
			t.Errorf("headers differ: %v / %v", known.Header, unknown.Header)
		}
		m.forgot("not an address").expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	})
}

func sameHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a.Get(k) != b.Get(k) {
			return false
		}
	}
	return true
}
