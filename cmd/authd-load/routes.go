package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/httpapi"
	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/adapters/secret"
	"github.com/authd-dev/authd/domain"
)

// routeBody is what both verify routes answer.
const routeBody = "00000000-0000-4000-8000-000000000001"

// verifyRoutes builds a Gin engine with two routes that touch no database
// and answer the same body: GET /open, and GET /protected behind
// httpapi.Authenticate with the access-token verifier the server builds
// from cfg (HS256 only), behind a verify cache as the server has it. It
// returns a token /protected accepts for ttl. Comparing the two isolates
// the cost of authd's middleware.
func verifyRoutes(cfg authd.Config, ttl time.Duration) (http.Handler, string, error) {
	clk := clock.NewSystem()
	t, err := hs256Tokens(cfg, clk)
	if err != nil {
		return nil, "", err
	}
	now := clk.Now()
	token, err := t.Issue(domain.AccessClaims{Subject: routeBody, Role: domain.RoleUser,
		SessionID: "00000000-0000-4000-8000-000000000002", ID: "00000000-0000-4000-8000-000000000003",
		IssuedAt: now, ExpiresAt: now.Add(ttl)})
	if err != nil {
		return nil, "", fmt.Errorf("issue token: %w", err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/open", func(c *gin.Context) { c.String(http.StatusOK, routeBody) })
	r.GET("/protected", httpapi.Authenticate(httpapi.CachedVerifier(t), clk), func(c *gin.Context) {
		claims, _ := httpapi.ClaimsFrom(c)
		c.String(http.StatusOK, claims.Subject)
	})
	return r, token, nil
}

// hs256Tokens is the server's access-token signer and verifier for cfg's
// HS256 secret, issuer, audience and skew. Other algorithms need a key
// folder, which the in-process routes have no use for.
func hs256Tokens(cfg authd.Config, clk clock.System) (*jwt.Tokens, error) {
	if cfg.Keys.Alg != jwt.HS256 {
		return nil, fmt.Errorf("verify routes: HS256 only, not %s", cfg.Keys.Alg)
	}
	s, err := secret.Resolve(cfg.Keys.JWTSecret, "AUTHD_JWT_SECRET", cfg.Storage.DataDir, false, nil)
	if err != nil {
		return nil, fmt.Errorf("verify routes: %w", err)
	}
	return jwt.New(jwt.Config{Alg: jwt.HS256, Secret: s, Issuer: cfg.Tokens.Issuer, Audience: cfg.Tokens.Audience,
		Skew: cfg.Tokens.ClockSkew}, clk)
}
