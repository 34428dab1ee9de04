package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd"
)

// routesConfig is the verify scenario's configuration (verifyConfig).
func routesConfig(t testing.TB) authd.Config {
	t.Helper()
	cfg := verifyConfig()
	if cfg.Keys.JWTSecret == "" {
		t.Fatal("verifyConfig has no HS256 secret")
	}
	return cfg
}

// TestVerifyRoutes: /open answers anyone; /protected answers the body only
// with the token verifyRoutes issued, and a wrong token is refused with
// authd's 401, so the two routes differ by the middleware alone.
func TestVerifyRoutes(t *testing.T) {
	h, token, err := verifyRoutes(routesConfig(t), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, token string
		status      int
	}{
		{"/open", "", http.StatusOK},
		{"/open", token, http.StatusOK},
		{"/protected", token, http.StatusOK},
		{"/protected", "", http.StatusUnauthorized},
		{"/protected", token[:len(token)-2] + "xx", http.StatusUnauthorized},
	} {
		req := httptest.NewRequest(http.MethodGet, c.path, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		body, _ := io.ReadAll(w.Body)
		if w.Code != c.status {
			t.Errorf("%s (token %v): status %d, want %d: %s", c.path, c.token != "", w.Code, c.status, body)
		}
		if c.status == http.StatusOK && string(body) != routeBody {
			t.Errorf("%s: body %q, want %q", c.path, body, routeBody)
		}
		if c.status == http.StatusUnauthorized && !strings.Contains(string(body), `"code"`) {
			t.Errorf("%s: refusal without authd's error shape: %s", c.path, body)
		}
	}
}

// TestVerifyRoutesRefuseOtherAlgorithms: the in-process routes build only
// the HS256 verifier; another algorithm is an error, not a silent HS256.
func TestVerifyRoutesRefuseOtherAlgorithms(t *testing.T) {
	cfg := routesConfig(t)
	cfg.Keys.Alg = "EdDSA"
	if _, _, err := verifyRoutes(cfg, time.Hour); err == nil {
		t.Fatal("verifyRoutes built EdDSA routes without a key folder")
	}
}

// BenchmarkPerfVerifyRoutes serves the verify scenario's two routes in
// process (no network): the bare route, and the same route behind
// httpapi.Authenticate (a cache hit after the first request).
func BenchmarkPerfVerifyRoutes(b *testing.B) {
	h, token, err := verifyRoutes(routesConfig(b), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	for _, route := range []string{"/open", "/protected"} {
		b.Run(strings.TrimPrefix(route, "/"), func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, route, nil)
			req.Header.Set("Authorization", "Bearer "+token) // both carry it: only the middleware differs
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
