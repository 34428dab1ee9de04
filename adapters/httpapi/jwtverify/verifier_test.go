package jwtverify

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	gojwt "github.com/golang-jwt/jwt/v5"
)

func TestVerifyPerAlgorithm(t *testing.T) {
	for _, alg := range []string{"EdDSA", "ES256", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			s := newAuthServer(t)
			key := s.add(t, "k1", alg)
			v := newVerifier(t, s, &clock{})
			der, _ := x509.MarshalPKIXPublicKey(key.Public())
			edit := func(f func(gojwt.MapClaims)) gojwt.MapClaims { c := goodClaims(); f(c); return c }
			cases := []struct {
				name  string
				token string
				want  error
			}{
				{"valid", sign(t, alg, "k1", key, goodClaims(), nil), nil},
				{"application/at+jwt", sign(t, alg, "k1", key, goodClaims(), map[string]any{"typ": "application/at+jwt"}), nil},
				{"expired", sign(t, alg, "k1", key, edit(func(c gojwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() }), nil), ErrExpired},
				{"expired and forged", sign(t, alg, "k1", genKey(t, alg), edit(func(c gojwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() }), nil), ErrInvalid},
				{"wrong iss", sign(t, alg, "k1", key, edit(func(c gojwt.MapClaims) { c["iss"] = "x" }), nil), ErrInvalid},
				{"wrong aud", sign(t, alg, "k1", key, edit(func(c gojwt.MapClaims) { c["aud"] = "x" }), nil), ErrInvalid},
				{"no exp", sign(t, alg, "k1", key, edit(func(c gojwt.MapClaims) { delete(c, "exp") }), nil), ErrInvalid},
				{"no sub", sign(t, alg, "k1", key, edit(func(c gojwt.MapClaims) { delete(c, "sub") }), nil), ErrInvalid},
				{"typ JWT", sign(t, alg, "k1", key, goodClaims(), map[string]any{"typ": "JWT"}), ErrInvalid},
				{"no kid", sign(t, alg, "k1", key, goodClaims(), map[string]any{"kid": nil}), ErrInvalid},
				{"other key, same kid", sign(t, alg, "k1", genKey(t, alg), goodClaims(), nil), ErrInvalid},
				{"alg confusion HS256 with public key", sign(t, "HS256", "k1", der, goodClaims(), nil), ErrInvalid},
				{"alg none", sign(t, "none", "k1", gojwt.UnsafeAllowNoneSignatureType, goodClaims(), nil), ErrInvalid},
				{"garbage", "x.y.z", ErrInvalid},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					c, err := v.Verify(context.Background(), tc.token)
					if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
						t.Fatalf("got %v, want %v", err, tc.want)
					}
					if err == nil && (c.Subject != "user-1" || c.Role != "user" || c.SessionID != "s1" || c.ID != "j1" || c.ExpiresAt.IsZero()) {
						t.Fatalf("claims %+v", c)
					}
				})
			}
		})
	}
}

// TestConcurrentUnknownKIDsShareOneFetch: the first requests, with the
// key set not fetched yet, all wait for one fetch.
func TestConcurrentUnknownKIDsShareOneFetch(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "ES256")
	release := s.block(t, false)
	v := newVerifier(t, s, &clock{})
	var wg, ready sync.WaitGroup
	var ok atomic.Int32
	for i := range 50 {
		kid := "k1"
		if i%2 == 0 {
			kid = "unknown"
		}
		token := sign(t, "ES256", kid, k1, goodClaims(), nil)
		ready.Add(1)
		wg.Go(func() {
			ready.Done()
			if _, err := v.Verify(context.Background(), token); err == nil {
				ok.Add(1)
			}
		})
	}
	ready.Wait()
	<-s.entered
	release()
	wg.Wait()
	if n := s.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches for 50 concurrent requests, want 1", n)
	}
	if ok.Load() != 25 {
		t.Fatalf("%d of 25 good tokens verified: waiters must share the fetch", ok.Load())
	}
}

func TestCacheTTLRetiresKeysAndSurvivesOutages(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "RS256")
	k2 := s.add(t, "k2", "RS256")
	c := &clock{}
	v := newVerifier(t, s, c)
	ctx := context.Background()
	old, cur := sign(t, "RS256", "k1", k1, goodClaims(), nil), sign(t, "RS256", "k2", k2, goodClaims(), nil)
	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatal(err)
	}
	s.fail.Store(true)
	c.advance(11 * time.Minute) // stale, and the endpoint is down
	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatalf("last good set must keep serving: %v", err)
	}
	if err := v.Refresh(ctx); err == nil { // waits for the background refetch
		t.Fatal("the failed refetch reported success")
	}
	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatalf("after a failed refetch: %v", err)
	}
	s.fail.Store(false)
	s.remove("k1")
	c.advance(2 * time.Minute)
	v.Verify(ctx, old) // still served from the stale set; starts the refetch
	if err := v.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, old); !errors.Is(err, ErrInvalid) {
		t.Fatalf("retired key: got %v", err)
	}
	if _, err := v.Verify(ctx, cur); err != nil {
		t.Fatal(err)
	}
}

func TestNoKeysYetIsUnavailable(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "EdDSA")
	s.fail.Store(true)
	v := newVerifier(t, s, &clock{})
	_, err := v.Verify(context.Background(), sign(t, "EdDSA", "k1", k1, goodClaims(), nil))
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}

func TestMiddleware(t *testing.T) {
	gin.SetMode(gin.TestMode)
	s := newAuthServer(t)
	k := s.add(t, "k1", "EdDSA")
	v := newVerifier(t, s, &clock{})
	r := gin.New()
	r.GET("/me", v.Middleware(), func(c *gin.Context) {
		claims, _ := ClaimsFrom(c)
		c.String(http.StatusOK, claims.Subject)
	})
	r.GET("/admin", v.Middleware(), RequireRole("editor"), func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/unguarded", RequireRole("editor"), func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/mfa", v.Middleware(), RequireMFA(), func(c *gin.Context) {
		claims, _ := ClaimsFrom(c)
		c.String(http.StatusOK, strings.Join(claims.AMR, " "))
	})
	r.GET("/mfa-unguarded", RequireMFA(), func(c *gin.Context) { c.String(http.StatusOK, "ok") })

	role := func(r string) string {
		c := goodClaims()
		c["role"] = r
		return "Bearer " + sign(t, "EdDSA", "k1", k, c, nil)
	}
	amr := func(methods ...string) string {
		c := goodClaims()
		if methods != nil {
			c["amr"] = methods
		}
		return "Bearer " + sign(t, "EdDSA", "k1", k, c, nil)
	}
	expired := goodClaims()
	expired["exp"] = time.Now().Add(-time.Hour).Unix()
	cases := []struct {
		path, auth string
		status     int
		code       string
		challenge  string
	}{
		{"/me", role("user"), 200, "", ""},
		{"/me", "bearer " + strings.TrimPrefix(role("user"), "Bearer "), 200, "", ""},
		{"/me", "", 401, "TOKEN_MISSING", `Bearer realm="authd"`},
		{"/me", "Basic dXNlcjpwdw==", 401, "TOKEN_MALFORMED", `Bearer realm="authd", error="invalid_token"`},
		{"/me", "Bearer a b", 401, "TOKEN_MALFORMED", `Bearer realm="authd", error="invalid_token"`},
		{"/me", "Bearer " + sign(t, "EdDSA", "k1", k, expired, nil), 401, "TOKEN_EXPIRED", `Bearer realm="authd", error="invalid_token"`},
		{"/me", "Bearer x.y.z", 401, "TOKEN_INVALID", `Bearer realm="authd", error="invalid_token"`},
		{"/admin", role("user"), 403, "INSUFFICIENT_ROLE", ""},
		{"/admin", role("editor"), 200, "", ""},
		{"/admin", role("admin"), 200, "", ""},
		{"/unguarded", "", 401, "TOKEN_MISSING", `Bearer realm="authd"`},
		{"/mfa", amr("pwd", "otp", "mfa"), 200, "", ""},
		{"/mfa", amr("pwd", "mfa"), 200, "", ""},
		{"/mfa", amr("pwd"), 403, "MFA_REQUIRED", ""},
		{"/mfa", amr("pwd", "otp"), 403, "MFA_REQUIRED", ""},
		{"/mfa", amr(), 403, "MFA_REQUIRED", ""},
		{"/mfa-unguarded", "", 401, "TOKEN_MISSING", `Bearer realm="authd"`},
	}
	for _, tc := range cases {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		var body struct{ Error, Code string }
		json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != tc.status || body.Code != tc.code || w.Header().Get("WWW-Authenticate") != tc.challenge {
			t.Errorf("%s %q: %d %s %q, want %d %s %q", tc.path, tc.auth, w.Code, w.Body, w.Header().Get("WWW-Authenticate"), tc.status, tc.code, tc.challenge)
		}
		if tc.status == 200 && tc.path == "/me" && w.Body.String() != "user-1" {
			t.Errorf("claims not exposed: %s", w.Body)
		}
		if tc.status == 200 && tc.path == "/mfa" && !strings.HasSuffix(w.Body.String(), "mfa") {
			t.Errorf("amr not exposed: %s", w.Body)
		}
	}
}
