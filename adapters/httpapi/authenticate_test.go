package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
)

type stillClock struct{ t time.Time }

func (c stillClock) Now() time.Time { return c.t }

// rekeyingVerifier is a fakeVerifier whose keys change: bumping gen stands
// for a key being removed, after which it refuses every token it accepted.
type rekeyingVerifier struct {
	fakeVerifier
	gen atomic.Uint64
}

func (r *rekeyingVerifier) Verify(token string, now time.Time) (domain.AccessClaims, error) {
	if r.gen.Load() > 0 {
		r.calls.Add(1)
		return domain.AccessClaims{}, domain.ErrTokenInvalid
	}
	return r.fakeVerifier.Verify(token, now)
}

func (r *rekeyingVerifier) KeyGeneration() uint64 { return r.gen.Load() }

// TestVerifyCacheFollowsKeyGenerations: a token cached under one key
// generation is verified again once the keys changed.
func TestVerifyCacheFollowsKeyGenerations(t *testing.T) {
	r := &rekeyingVerifier{fakeVerifier: fakeVerifier{ok: map[string]domain.AccessClaims{"tok.ab": claimsFor("u1")}}}
	c := CachedVerifier(r)
	if _, err := c.Verify("tok.ab", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify("tok.ab", t0); err != nil || r.calls.Load() != 1 {
		t.Fatalf("same generation: %v after %d calls, want a hit", err, r.calls.Load())
	}
	r.gen.Add(1)
	if _, err := c.Verify("tok.ab", t0); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("after a key change: %v, want ErrTokenInvalid", err)
	}
}

// TestAuthenticateHasNoHiddenCache: Authenticate asks the verifier it was
// given on every request, even one a cache could front; caching is the
// caller's choice, made once with CachedVerifier or NewVerifyCache.
func TestAuthenticateHasNoHiddenCache(t *testing.T) {
	r := &rekeyingVerifier{fakeVerifier: fakeVerifier{ok: map[string]domain.AccessClaims{"tok.ab": claimsFor("u1")}}}
	plain := routeBehind(Authenticate(r, stillClock{t0}), nil)
	cached := CachedVerifier(r)
	shared := [2]*gin.Engine{routeBehind(Authenticate(cached, stillClock{t0}), nil), routeBehind(Authenticate(cached, stillClock{t0}), nil)}
	for range 3 {
		if w := serveGet(plain, "/", "Bearer tok.ab"); w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	if n := r.fakeVerifier.calls.Load(); n != 3 {
		t.Fatalf("inner called %d times for 3 requests, want 3 (no cache)", n)
	}
	for i := range 4 {
		if w := serveGet(shared[i%2], "/", "Bearer tok.ab"); w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	if n := r.fakeVerifier.calls.Load(); n != 4 {
		t.Fatalf("inner called %d more times behind one shared cache on two routes, want 1", n-3)
	}
}

// TestVerifyCacheHandsOutItsOwnExtra: a caller writing to the extra claims
// it got does not change what the next hit returns.
func TestVerifyCacheHandsOutItsOwnExtra(t *testing.T) {
	cl := claimsFor("u1")
	cl.Extra = map[string]any{"tenant": "acme"}
	c := NewVerifyCache(&fakeVerifier{ok: map[string]domain.AccessClaims{"tok.ab": cl}}, 0, 16)
	for range 2 {
		got, err := c.Verify("tok.ab", t0)
		if err != nil || got.Extra["tenant"] != "acme" {
			t.Fatalf("%v, %v", got.Extra, err)
		}
		got.Extra["tenant"] = "mallory"
	}
}

// TestPlantedClaimsAreIgnored: a handler cannot hand RequireRole claims of
// its own making through the gin.Context.
func TestPlantedClaimsAreIgnored(t *testing.T) {
	plant := func(c *gin.Context) {
		admin := domain.AccessClaims{Subject: "mallory", Role: domain.RoleAdmin, IssuedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		for _, k := range []string{"authd.claims", "claims"} {
			c.Set(k, admin)
		}
		c.Next()
	}
	r := routeBehind(plant, RequireRole("admin"))
	if w := serveGet(r, "/", ""); w.Code != http.StatusUnauthorized {
		t.Fatalf("planted claims: %d %s, want 401", w.Code, w.Body)
	}
}

func routeBehind(first, second gin.HandlerFunc) *gin.Engine {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	chain := []gin.HandlerFunc{first}
	if second != nil {
		chain = append(chain, second)
	}
	chain = append(chain, func(c *gin.Context) {
		claims, _ := ClaimsFrom(c)
		c.String(http.StatusOK, claims.Subject)
	})
	r.GET("/", chain...)
	return r
}

func serveGet(r http.Handler, path, auth string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// TestRequireMFA lets through tokens whose amr has "mfa" and refuses the
// rest with 403 MFA_REQUIRED, or 401 when no token was verified.
func TestRequireMFA(t *testing.T) {
	withAMR := func(sub string, amr ...string) domain.AccessClaims {
		c := claimsFor(sub)
		c.AMR = amr
		return c
	}
	f := &fakeVerifier{ok: map[string]domain.AccessClaims{
		"tok.totp": withAMR("u1", "pwd", "otp", "mfa"), "tok.code": withAMR("u2", "pwd", "mfa"),
		"tok.pwd": withAMR("u3", "pwd"), "tok.none": withAMR("u4"),
	}}
	r := routeBehind(Authenticate(f, stillClock{t0}), RequireMFA())
	for token, want := range map[string]int{"tok.totp": 200, "tok.code": 200, "tok.pwd": 403, "tok.none": 403} {
		w := serveGet(r, "/", "Bearer "+token)
		if w.Code != want || (want == 403 && !strings.Contains(w.Body.String(), `"MFA_REQUIRED"`)) {
			t.Errorf("%s: %d %s, want %d", token, w.Code, w.Body, want)
		}
	}
	if w := serveGet(routeBehind(RequireMFA(), nil), "/", "Bearer tok.totp"); w.Code != http.StatusUnauthorized {
		t.Errorf("without Authenticate: %d, want 401", w.Code)
	}
}
