package test

import (
	"net/http"
	"testing"
)

func TestLogoutEndsOneSession(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a := e.register(t, "out@example.com")
		b := e.login(t, a)
		e.post("/v1/auth/logout", map[string]string{"refreshToken": a.Refresh}).expect(t, http.StatusNoContent, "")
		e.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.refresh(b.Refresh).expect(t, http.StatusOK, "")
		// Idempotent: ended, unknown and forged tokens also get 204.
		e.post("/v1/auth/logout", map[string]string{"refreshToken": a.Refresh}).expect(t, http.StatusNoContent, "")
		e.post("/v1/auth/logout", map[string]string{"refreshToken": "rt1.unknown"}).expect(t, http.StatusNoContent, "")
		e.post("/v1/auth/logout", nil).expect(t, http.StatusBadRequest, "REFRESH_TOKEN_REQUIRED")
	})
}

func TestLogoutAllEndsEverySession(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a := e.register(t, "all@example.com")
		b := e.login(t, a)
		other := e.register(t, "bystander@example.com")
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/logout-all"}).expect(t, http.StatusUnauthorized, "TOKEN_MISSING")
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/logout-all", Bearer: b.Access}).expect(t, http.StatusNoContent, "")
		e.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.refresh(b.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.refresh(other.Refresh).expect(t, http.StatusOK, "")
	})
}

func TestBearerErrors(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "bearer@example.com")
	r := e.do(req{Method: http.MethodGet, Path: "/v1/auth/me"}).expect(t, http.StatusUnauthorized, "TOKEN_MISSING")
	if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="authd"` {
		t.Fatalf("WWW-Authenticate = %q", got)
	}
	for _, h := range []string{"Basic abc", "Bearer", "Bearer  " + a.Access, "Token " + a.Access, a.Access} {
		e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Header: map[string]string{"Authorization": h}}).
			expect(t, http.StatusUnauthorized, "TOKEN_MALFORMED")
	}
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Header: map[string]string{"Authorization": "bEaReR " + a.Access}}).
		expect(t, http.StatusOK, "")
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Refresh}).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me?access_token=" + a.Access}).expect(t, http.StatusUnauthorized, "TOKEN_MISSING")
	// A refused password, not a refused token: the challenge carries no error.
	r = e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: a.Access,
		Body: map[string]string{"currentPassword": "not the password", "newPassword": "a brand new password"}}).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="authd"` {
		t.Fatalf("WWW-Authenticate after a wrong password = %q", got)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		e.do(req{Method: http.MethodGet, Path: "/healthz"}).expect(t, http.StatusOK, "")
		e.do(req{Method: http.MethodGet, Path: "/readyz"}).expect(t, http.StatusOK, "")
		keys := e.do(req{Method: http.MethodGet, Path: "/.well-known/jwks.json"}).expect(t, http.StatusOK, "").json(t)
		if list, ok := keys["keys"].([]any); !ok || len(list) != 0 {
			t.Fatalf("HS256 JWKS = %v, want an empty key list", keys)
		}
	})
}

func TestLoginFailuresLookAlike(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "same@example.com")
	unknown := e.post("/v1/auth/login", map[string]string{"email": "nobody@example.com", "password": testPassword}).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	wrong := e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": "wrong password"}).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	long := e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": a.Password + string(make([]byte, 80))}).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	if string(unknown.Body) != string(wrong.Body) || string(wrong.Body) != string(long.Body) {
		t.Fatalf("failures differ: %s / %s / %s", unknown.Body, wrong.Body, long.Body)
	}
}

func TestTrailingSlashIsNotFoundNotRedirect(t *testing.T) {
	e := newEnv(t, nil)
	e.post("/v1/auth/login/", map[string]string{"email": "a@example.com", "password": testPassword}).expect(t, http.StatusNotFound, "NOT_FOUND")
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me/"}).expect(t, http.StatusNotFound, "NOT_FOUND")
	if r := e.do(req{Method: http.MethodGet, Path: "/demo"}); r.Status != http.StatusMovedPermanently || r.Header.Get("Location") != "/demo/" {
		t.Fatalf("/demo answered %d to %q", r.Status, r.Header.Get("Location"))
	}
}
