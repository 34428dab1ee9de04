package test

import (
	"net/http"
	"testing"
	"time"
)

// loginWith posts credentials with extra headers (X-Forwarded-For).
func (e *env) loginWith(email, password string, header map[string]string) resp {
	e.t.Helper()
	return e.do(req{Method: http.MethodPost, Path: "/v1/auth/login", Header: header,
		Body: map[string]string{"email": email, "password": password}})
}

func expectRetryAfter(t *testing.T, r resp, want string) {
	t.Helper()
	r.expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
	if got := r.Header.Get("Retry-After"); got != want {
		t.Fatalf("Retry-After = %q, want %q", got, want)
	}
}

func TestLoginLockoutPerAccount(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "3", "AUTHD_LOGIN_FAILURE_WINDOW": "10m"})
	victim, other := e.register(t, "victim@example.com"), e.register(t, "other@example.com")
	for range 3 {
		e.loginWith(victim.Email, "wrong password", nil).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		e.clock.Advance(time.Minute)
	}
	// Locked for the rest of the window, even with the right password.
	expectRetryAfter(t, e.loginWith(victim.Email, "wrong password", nil), "420")
	expectRetryAfter(t, e.loginWith(victim.Email, testPassword, nil), "420")
	// The account keys on the normalised email.
	expectRetryAfter(t, e.loginWith("  VICTIM@example.com ", testPassword, nil), "420")

	// Other accounts are untouched, and their own failures reset on success.
	e.loginWith(other.Email, "wrong password", nil).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	e.loginWith(other.Email, "wrong password", nil).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	e.login(t, other)
	for range 2 {
		e.loginWith(other.Email, "wrong password", nil).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	}
	e.login(t, other)

	// Tokens the victim already holds keep working during the lockout.
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: victim.Access}).expect(t, http.StatusOK, "")

	e.clock.Advance(7*time.Minute - time.Second)
	expectRetryAfter(t, e.loginWith(victim.Email, testPassword, nil), "1")
	e.clock.Advance(time.Second)
	e.login(t, victim)
}

func TestLoginLockoutOfUnknownEmail(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "2"})
	for range 2 {
		e.loginWith("nobody@example.com", testPassword, nil).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	}
	// Same answer as a known account: the lockout does not reveal existence.
	expectRetryAfter(t, e.loginWith("nobody@example.com", testPassword, nil), "900")
}

func TestIPRateLimit(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_IP_RATE_LIMIT": "5"}) // one per 12s, burst 5
	a := e.register(t, "a@example.com")
	e.login(t, a)
	e.refresh(a.Refresh).expect(t, http.StatusOK, "")
	e.loginWith(a.Email, "wrong password", nil).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	e.loginWith("b@example.com", testPassword, nil).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	// The budget of 5 is spent across register, login and refresh.
	expectRetryAfter(t, e.loginWith(a.Email, testPassword, nil), "12")
	expectRetryAfter(t, e.post("/v1/auth/register", map[string]string{"email": "c@example.com", "password": testPassword}), "12")
	expectRetryAfter(t, e.refresh(a.Refresh), "12")
	// Other routes are not metered.
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
	e.clock.Advance(12 * time.Second)
	e.login(t, a)
	expectRetryAfter(t, e.loginWith(a.Email, testPassword, nil), "12")
}

func TestForwardedForIgnoredWithoutTrustedProxies(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_IP_RATE_LIMIT": "2"})
	for _, ip := range []string{"203.0.113.1", "203.0.113.2"} {
		e.loginWith("x@example.com", testPassword, map[string]string{"X-Forwarded-For": ip}).expect(t, http.StatusUnauthorized, "")
	}
	// A spoofed header does not buy a fresh budget.
	expectRetryAfter(t, e.loginWith("x@example.com", testPassword, map[string]string{"X-Forwarded-For": "203.0.113.3"}), "30")
}

func TestForwardedForHonouredFromTrustedProxy(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_IP_RATE_LIMIT": "2", "AUTHD_TRUSTED_PROXIES": "127.0.0.1/32"})
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	for range 2 {
		e.loginWith("x@example.com", testPassword, from("203.0.113.1")).expect(t, http.StatusUnauthorized, "")
	}
	expectRetryAfter(t, e.loginWith("x@example.com", testPassword, from("203.0.113.1")), "30")
	// Each client behind the proxy has its own budget...
	e.loginWith("x@example.com", testPassword, from("203.0.113.2")).expect(t, http.StatusUnauthorized, "")
	// ...and the client address is the one the proxy saw (rightmost
	// untrusted entry), so a client cannot prepend its own.
	expectRetryAfter(t, e.loginWith("x@example.com", testPassword, from("198.51.100.9, 203.0.113.1")), "30")
}

// The session records the same client address the limiter meters.
func TestSessionAddressFollowsTrustedProxies(t *testing.T) {
	for trusted, want := range map[string]string{"": "127.0.0.1", "127.0.0.1/32": "203.0.113.50"} {
		e := newEnv(t, map[string]string{"AUTHD_TRUSTED_PROXIES": trusted})
		r := e.do(req{Method: http.MethodPost, Path: "/v1/auth/register", Header: map[string]string{"X-Forwarded-For": "203.0.113.50"},
			Body: map[string]string{"email": "a@example.com", "password": testPassword}}).expect(t, http.StatusCreated, "")
		list := e.sessions(t, r.str(t, "accessToken"))
		if len(list) != 1 || list[0]["ip"] != want {
			t.Fatalf("trusted proxies %q: sessions %v, want ip %s", trusted, list, want)
		}
	}
}
