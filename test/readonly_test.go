package test

import (
	"net/http"
	"testing"

	"github.com/authd-dev/authd/test/backends"
)

// TestReadOnlyDatabase: a database that refuses writes (a replica, a
// read-only transaction default, a user without write grants) answers
// every write with 503 UNAVAILABLE, never 500, /readyz says so, and reads
// still work.
func TestReadOnlyDatabase(t *testing.T) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) {
			writable := newEnvOn(t, target, nil)
			a := writable.register(t, "before@example.com")
			writable.do(req{Method: http.MethodGet, Path: "/readyz"}).expect(t, http.StatusOK, "")

			e := newEnvOn(t, backends.ReadOnly(t, target), nil)
			e.post("/v1/auth/register", map[string]string{"email": "during@example.com", "password": testPassword}).
				expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": a.Password}).
				expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.refresh(a.Refresh).expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
			e.do(req{Method: http.MethodGet, Path: "/readyz"}).expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.do(req{Method: http.MethodGet, Path: "/healthz"}).expect(t, http.StatusOK, "")

			// Nothing was written: the refused refresh spent nothing.
			writable.refresh(a.Refresh).expect(t, http.StatusOK, "")
		})
	}
}
