package test

// Benchmarks of authorization against current state: what re-reading the
// caller's record costs a request. They measure; they assert nothing about
// speed.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/adapters/httpapi"
	"github.com/authd-dev/authd/test/backends"
)

// BenchmarkPerfRoleCheck is one route behind Authenticate, then either the
// stateless RequireRole("admin") (the token's claim) or
// RequireCurrentRole(users, "admin") (one read of the caller's record), on
// each configured backend: the difference is the price of the re-check.
func BenchmarkPerfRoleCheck(b *testing.B) {
	for _, target := range backends.Servers(b) {
		round := 0 // with -count N the framework runs the sub-benchmark N times
		b.Run("backend="+target.Name, func(b *testing.B) {
			round++
			e := newEnvOn(b, target, nil)
			admin := e.newAdmin(b, fmt.Sprintf("bench-role-%d@example.com", round))
			r := gin.New()
			ok := func(c *gin.Context) { c.Status(http.StatusOK) }
			api := r.Group("/", httpapi.Authenticate(e.app.Verifier, e.app.Clock))
			api.GET("/stateless", httpapi.RequireRole("admin"), ok)
			api.GET("/current", httpapi.RequireCurrentRole(e.app.Users, "admin"), ok)
			for _, route := range []string{"/stateless", "/current"} {
				b.Run(route[1:], func(b *testing.B) { benchGet(b, r, route, admin.Access) })
			}
		})
	}
}

// BenchmarkPerfAdminList is GET /v1/admin/users?limit=1 through the real
// router (the re-check, the use case's actor check and a one-row page) next
// to GET /v1/auth/me (one user read), on each configured backend.
func BenchmarkPerfAdminList(b *testing.B) {
	for _, target := range backends.Servers(b) {
		round := 0
		b.Run("backend="+target.Name, func(b *testing.B) {
			round++
			e := newEnvOn(b, target, nil)
			admin := e.newAdmin(b, fmt.Sprintf("bench-admin-%d@example.com", round))
			for _, r := range []struct{ name, route string }{
				{"admin-users", "/v1/admin/users?limit=1"}, {"me", "/v1/auth/me"},
			} {
				b.Run(r.name, func(b *testing.B) { benchGet(b, e.app.Router, r.route, admin.Access) })
			}
		})
	}
}

// benchGet serves GET route with token on h until the benchmark ends; any
// answer but 200 stops it.
func benchGet(b *testing.B, h http.Handler, route, token string) {
	req := httptest.NewRequest(http.MethodGet, route, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d: %s", route, w.Code, w.Body)
		}
	}
}
