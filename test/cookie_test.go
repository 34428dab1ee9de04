package test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// refreshCookie returns the authd_refresh cookie a response sets, failing
// when there is none.
func refreshCookie(t testing.TB, r resp) *http.Cookie {
	t.Helper()
	for _, line := range r.Header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("unparseable Set-Cookie %q: %v", line, err)
		}
		if c.Name == "authd_refresh" {
			return c
		}
	}
	t.Fatalf("no authd_refresh cookie set; headers: %v", r.Header)
	return nil
}

func noCookieSet(t testing.TB, r resp) {
	t.Helper()
	if v := r.Header.Values("Set-Cookie"); len(v) > 0 {
		t.Fatalf("unexpected Set-Cookie %v", v)
	}
}

// byCookie posts to an auth path carrying only the cookie (no body) from origin.
func (e *env) byCookie(path, token, origin string) resp {
	e.t.Helper()
	return e.do(req{Method: http.MethodPost, Path: path,
		Header: map[string]string{"Cookie": "authd_refresh=" + token, "Origin": origin}})
}

// wantRefreshCookie checks every attribute the contract gives the cookie.
func wantRefreshCookie(t testing.TB, c *http.Cookie, secure bool, maxAge int) {
	t.Helper()
	if c.Value == "" || !c.HttpOnly || c.Secure != secure || c.SameSite != http.SameSiteStrictMode ||
		c.Path != "/v1/auth" || c.MaxAge != maxAge || c.Domain != "" {
		t.Fatalf("cookie = %+v; want HttpOnly, Secure=%v, SameSite=Strict, Path=/v1/auth, Max-Age=%d, host-only",
			c, secure, maxAge)
	}
}

func TestCookieTransportLifecycle(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		reg := e.post("/v1/auth/register", map[string]string{"email": "c@example.com", "password": testPassword, "transport": "cookie"}).
			expect(t, http.StatusCreated, "")
		if body := reg.json(t); body["refreshToken"] != nil || body["accessToken"] == "" || body["user"] == nil {
			t.Fatalf("register body by cookie = %v; want the user and access token, no refresh token", body)
		}
		wantRefreshCookie(t, refreshCookie(t, reg), false, int((720 * time.Hour).Seconds()))

		login := e.post("/v1/auth/login", map[string]string{"email": "c@example.com", "password": testPassword, "transport": "cookie"}).
			expect(t, http.StatusOK, "")
		if login.json(t)["refreshToken"] != nil || login.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("login by cookie: body %s, Cache-Control %q", login.Body, login.Header.Get("Cache-Control"))
		}
		first := refreshCookie(t, login)

		r := e.byCookie("/v1/auth/refresh", first.Value, e.srv.URL).expect(t, http.StatusOK, "")
		if r.json(t)["refreshToken"] != nil || r.str(t, "accessToken") == "" {
			t.Fatalf("refresh by cookie body = %s", r.Body)
		}
		next := refreshCookie(t, r)
		wantRefreshCookie(t, next, false, int((720 * time.Hour).Seconds()))
		if next.Value == first.Value {
			t.Fatal("refresh by cookie did not rotate the token")
		}

		out := e.byCookie("/v1/auth/logout", next.Value, e.srv.URL).expect(t, http.StatusNoContent, "")
		if c := refreshCookie(t, out); c.Value != "" || c.MaxAge >= 0 || c.Path != "/v1/auth" {
			t.Fatalf("logout did not clear the cookie: %+v", c)
		}
		e.refresh(next.Value).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		// A dead cookie is cleared rather than presented forever.
		dead := e.byCookie("/v1/auth/refresh", next.Value, e.srv.URL).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		if c := refreshCookie(t, dead); c.MaxAge >= 0 {
			t.Fatalf("rejected cookie not cleared: %+v", c)
		}
	})
}

func TestCookieSecureAndLifetimeFollowConfig(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_COOKIE_SECURE": "true", "AUTHD_REFRESH_TTL": "1h"})
	r := e.post("/v1/auth/register", map[string]string{"email": "s@example.com", "password": testPassword, "transport": "cookie"}).
		expect(t, http.StatusCreated, "")
	wantRefreshCookie(t, refreshCookie(t, r), true, 3600)

	// The body transport sets no cookie and keeps the token in the body.
	a := e.register(t, "b@example.com")
	if a.Refresh == "" {
		t.Fatal("body transport lost the refresh token")
	}
	e.post("/v1/auth/login", map[string]string{"email": "b@example.com", "password": testPassword, "transport": "carrier-pigeon"}).
		expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
}

func TestCookieForeignOriginSpendsNothing(t *testing.T) {
	const allowed = "https://app.example.com"
	eachBackend(t, map[string]string{"AUTHD_ALLOWED_ORIGINS": allowed}, func(t *testing.T, e *env) {
		e.register(t, "o@example.com")
		login := e.post("/v1/auth/login", map[string]string{"email": "o@example.com", "password": testPassword, "transport": "cookie"})
		token := refreshCookie(t, login.expect(t, http.StatusOK, "")).Value

		for _, origin := range []string{"https://evil.example", "null", "", "http://127.0.0.1:1", "https://app.example.com.evil.example"} {
			for _, path := range []string{"/v1/auth/refresh", "/v1/auth/logout"} {
				r := e.byCookie(path, token, origin).expect(t, http.StatusForbidden, "ORIGIN_REJECTED")
				noCookieSet(t, r) // clearing it would be a cross-site logout
				if r.Header.Get("Access-Control-Allow-Origin") != "" {
					t.Fatalf("%s from %q answered with CORS headers", path, origin)
				}
			}
		}

		// Past the reuse grace a spent token would be REFRESH_TOKEN_REUSED and a
		// revoked one REFRESH_TOKEN_INVALID: success proves nothing was spent.
		e.clock.Advance(11 * time.Second)
		r := e.byCookie("/v1/auth/refresh", token, e.srv.URL).expect(t, http.StatusOK, "")
		token = refreshCookie(t, r).Value

		// An allowed foreign origin works, with credentialed CORS headers.
		r = e.byCookie("/v1/auth/refresh", token, allowed).expect(t, http.StatusOK, "")
		if r.Header.Get("Access-Control-Allow-Origin") != allowed || r.Header.Get("Access-Control-Allow-Credentials") != "true" ||
			!strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
			t.Fatalf("CORS headers for %s: %v", allowed, r.Header)
		}
		refreshCookie(t, r)
	})
}

func TestCORSPreflight(t *testing.T) {
	const allowed = "https://app.example.com"
	e := newEnv(t, map[string]string{"AUTHD_ALLOWED_ORIGINS": allowed})
	pre := func(origin string) resp {
		return e.do(req{Method: http.MethodOptions, Path: "/v1/auth/refresh",
			Header: map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "content-type"}})
	}
	r := pre(allowed)
	h := r.Header
	if r.Status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != allowed ||
		h.Get("Access-Control-Allow-Credentials") != "true" || h.Get("Access-Control-Allow-Methods") == "" {
		t.Fatalf("preflight from allowed origin: %d %v", r.Status, h)
	}
	if r := pre("https://evil.example"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from a foreign origin got CORS headers: %v", r.Header)
	}
}

// TestForwardedProtoBelievedOnlyFromTrustedProxies: a client that is not a
// trusted proxy cannot claim https with X-Forwarded-Proto to pass the
// cookie's origin check as the service's https origin; a trusted proxy can.
func TestForwardedProtoBelievedOnlyFromTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		name, trusted string
		want          int
	}{
		{"no trusted proxies", "", http.StatusForbidden},
		{"peer not trusted", "192.0.2.0/24", http.StatusForbidden},
		{"peer trusted", "127.0.0.1/32", http.StatusOK},
		{"peer trusted as an address", "127.0.0.1", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, map[string]string{"AUTHD_TRUSTED_PROXIES": tc.trusted})
			reg := e.post("/v1/auth/register", map[string]string{"email": "p@example.com", "password": testPassword, "transport": "cookie"}).
				expect(t, http.StatusCreated, "")
			httpsOrigin := "https://" + strings.TrimPrefix(e.srv.URL, "http://")
			r := e.do(req{Method: http.MethodPost, Path: "/v1/auth/refresh", Header: map[string]string{
				"Cookie": "authd_refresh=" + refreshCookie(t, reg).Value, "Origin": httpsOrigin, "X-Forwarded-Proto": "https"}})
			if r.Status != tc.want {
				t.Fatalf("refresh from %s claiming X-Forwarded-Proto https: %d, want %d: %s", httpsOrigin, r.Status, tc.want, r.Body)
			}
			if tc.want == http.StatusForbidden {
				r.expect(t, http.StatusForbidden, "ORIGIN_REJECTED")
				// The plain-http origin still works: the header changed nothing.
				e.byCookie("/v1/auth/refresh", refreshCookie(t, reg).Value, e.srv.URL).expect(t, http.StatusOK, "")
			}
		})
	}
}
