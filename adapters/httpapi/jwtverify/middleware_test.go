package jwtverify

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestPlantedClaimsAreIgnored: no handler can hand RequireRole claims of
// its own making, whatever gin.Context key it tries.
func TestPlantedClaimsAreIgnored(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	plant := func(c *gin.Context) {
		admin := Claims{Subject: "mallory", Role: "admin", ExpiresAt: time.Now().Add(time.Hour)}
		c.Set("github.com/authd-dev/authd/jwtverify.claims", admin)
		for _, k := range []string{"claims", "jwtverify.claims", "authd.claims"} {
			c.Set(k, admin)
		}
		c.Next()
	}
	r.GET("/admin", plant, RequireRole("admin"), func(c *gin.Context) { c.String(http.StatusOK, "in") })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/admin", nil))
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("planted claims: %d %s, want 401", w.Code, w.Body)
	}
}

// TestUnavailableIs503WithRetryAfter: a token whose key cannot be known
// yet is not declared invalid (RFC 6750's invalid_token would make the
// client throw a good token away).
func TestUnavailableIs503WithRetryAfter(t *testing.T) {
	gin.SetMode(gin.TestMode)
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "EdDSA")
	c := &clock{}
	v := newVerifier(t, s, c)
	r := gin.New()
	r.GET("/me", v.Middleware(), func(c *gin.Context) { c.String(http.StatusOK, "in") })
	get := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w
	}
	if w := get(sign(t, "EdDSA", "k1", k1, goodClaims(), nil)); w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	k2 := s.add(t, "k2", "EdDSA")
	c.advance(15 * time.Second)
	w := get(sign(t, "EdDSA", "k2", k2, goodClaims(), nil))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "45" ||
		w.Header().Get("WWW-Authenticate") != "" {
		t.Fatalf("%d %s Retry-After %q WWW-Authenticate %q", w.Code, w.Body, w.Header().Get("Retry-After"),
			w.Header().Get("WWW-Authenticate"))
	}
	c.advance(45 * time.Second)
	if w := get(sign(t, "EdDSA", "k2", k2, goodClaims(), nil)); w.Code != http.StatusOK {
		t.Fatalf("after Retry-After: %d %s", w.Code, w.Body)
	}
}
