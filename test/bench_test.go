package test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/adapters/httpapi"
)

// BenchmarkAuthenticateMiddleware measures access-token verification as
// other routes pay for it: the exported Authenticate middleware in front of
// a handler that does nothing, with the App's own verifier and clock.
func BenchmarkAuthenticateMiddleware(b *testing.B) {
	e := newEnv(b, nil)
	a := e.register(b, "bench-auth@example.com")

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/protected", httpapi.Authenticate(e.app.Verifier, e.app.Clock), func(c *gin.Context) {
		if _, ok := httpapi.ClaimsFrom(c); !ok {
			c.Status(http.StatusInternalServerError)
			return
		}
		c.Status(http.StatusNoContent)
	})
	req := httptest.NewRequest(http.MethodGet, "/protected", nil)
	req.Header.Set("Authorization", "Bearer "+a.Access)

	// The token must actually pass, or this measures the failure path.
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != http.StatusNoContent {
		b.Fatalf("status %d, want 204: %s", w.Code, w.Body)
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusNoContent {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkRefreshSQLite measures one full refresh through the real router
// on SQLite: parse, load the session, MAC check, conditional rotation,
// access token signing, JSON in and out. Each iteration spends the token the
// previous one got, so every request is a winning rotation.
func BenchmarkRefreshSQLite(b *testing.B) {
	e := newEnv(b, nil)
	token := e.register(b, "bench-refresh@example.com").Refresh

	refresh := func() {
		req := httptest.NewRequest(http.MethodPost, "/v1/auth/refresh", strings.NewReader(`{"refreshToken":"`+token+`"}`))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.app.Router.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("refresh: status %d: %s", w.Code, w.Body)
		}
		var out struct {
			RefreshToken string `json:"refreshToken"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.RefreshToken == "" || out.RefreshToken == token {
			b.Fatalf("refresh: no new refresh token (%v): %s", err, w.Body)
		}
		token = out.RefreshToken
	}
	refresh() // warm up: statement cache, pools

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		refresh()
	}
}
