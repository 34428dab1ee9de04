package test

import (
	"net/http"
	"testing"
)

func TestRegisterLoginMe(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a := e.register(t, "  Alice@Example.COM ")
		me := e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "").json(t)
		if me["email"] != "alice@example.com" || me["role"] != "user" || me["id"] != a.ID {
			t.Fatalf("me = %v", me)
		}
		e.post("/v1/auth/register", map[string]string{"email": "ALICE@example.com", "password": testPassword}).
			expect(t, http.StatusConflict, "EMAIL_TAKEN")
		r := e.post("/v1/auth/login", map[string]string{"email": "alice@EXAMPLE.com", "password": testPassword}).expect(t, http.StatusOK, "")
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("login Cache-Control = %q", r.Header.Get("Cache-Control"))
		}
		body := r.json(t)
		if body["tokenType"] != "Bearer" || body["expiresIn"] != float64(900) {
			t.Fatalf("login body = %v", body)
		}
	})
}
