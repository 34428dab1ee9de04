package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/wire"

	"github.com/authd-dev/authd/ports"
)

// ProviderSet provides the router from a Deps struct.
var ProviderSet = wire.NewSet(wire.Struct(new(Deps), "*"), NewRouter)

// Config is the HTTP adapter's share of the configuration.
type Config struct {
	CookieSecure   bool
	AllowedOrigins []string
	TrustedProxies []string
	Issuer         string // iss of access tokens; the discovery document's issuer
	SigningAlg     string // JWS alg of access tokens
	// AdminRequireMFA: admin routes refuse tokens whose amr lacks "mfa".
	AdminRequireMFA bool
}

// Deps is everything the router needs; Wire fills it.
type Deps struct {
	Auth     ports.AuthService
	Accounts ports.AccountService
	Admin    ports.AdminService
	Recovery ports.RecoveryService
	MFA      ports.MFAService
	Users    ports.UserLookup
	Verifier ports.AccessTokenVerifier
	Keys     ports.KeySet
	Health   ports.HealthChecker
	Limiter  ports.RateLimiter
	Clock    ports.Clock
	Log      *slog.Logger
	Metrics  Observer
	Config   Config
}

// NewRouter builds the API's Gin engine.
func NewRouter(d Deps) (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false // an API answers JSON 404s, not HTML redirects
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	if err := r.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, err
	}
	if len(d.Config.TrustedProxies) == 0 {
		r.ForwardedByClientIP = false
	}
	proxies, err := parseTrustedProxies(d.Config.TrustedProxies)
	if err != nil {
		return nil, err
	}
	k := newCookies(d.Config.CookieSecure, d.Config.AllowedOrigins, proxies)
	r.Use(requestContext(d.Log), d.Metrics.Middleware(), recoverPanics(), k.cors())
	r.NoRoute(func(c *gin.Context) { fail(c, newAPIError(http.StatusNotFound, "NOT_FOUND", "no such route")) })
	r.NoMethod(func(c *gin.Context) {
		fail(c, newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed on this route"))
	})

	authn := Authenticate(d.Verifier, d.Clock)
	limit := rateLimit(d.Limiter, d.Clock)
	fair := fairByClient() // on every route that hashes a password
	ah := authHandlers{auth: d.Auth, cookies: k}
	acc := accountHandlers{accounts: d.Accounts, mfa: d.MFA}
	mh := mfaHandlers{mfa: d.MFA}
	adm := adminHandlers{admin: d.Admin}

	v1 := r.Group("/v1/auth")
	v1.POST("/register", limit, fair, ah.register)
	v1.POST("/login", limit, fair, ah.login)
	v1.POST("/refresh", limit, ah.refresh)
	v1.POST("/logout", limit, ah.logout)
	v1.POST("/mfa/verify", limit, ah.verifyMFA)
	v1.GET("/me", authn, acc.me)
	rec := recoveryHandlers{recovery: d.Recovery}
	v1.POST("/verify-email", limit, rec.verifyEmail)
	v1.POST("/password/forgot", limit, rec.forgotPassword)
	v1.POST("/password/reset", limit, fair, rec.resetPassword)

	// The account's own state: a deleted user's unexpired token is refused
	// here at once, not when it expires.
	account := v1.Group("", authn, RequireCurrentRole(d.Users))
	account.POST("/logout-all", ah.logoutAll)
	account.GET("/sessions", acc.sessions)
	account.DELETE("/sessions/:id", acc.endSession)
	account.POST("/password", fair, acc.changePassword)
	account.POST("/verify-email/request", limit, rec.requestVerification)
	account.POST("/mfa/totp/enroll", mh.enroll)
	account.POST("/mfa/totp/confirm", mh.confirm)
	account.POST("/mfa/totp/disable", fair, mh.disable)
	account.POST("/mfa/recovery-codes", fair, mh.regenerate)

	admin := r.Group("/v1/admin", adminChain(authn, d)...)
	admin.GET("/users", adm.list)
	admin.POST("/users", fair, adm.create)
	admin.PATCH("/users/:id", adm.patchUser)
	admin.DELETE("/users/:id", adm.deleteUser)
	admin.DELETE("/users/:id/mfa", adm.resetMFA)

	discoveryDoc, err := DiscoveryDocument(d.Config.Issuer, d.Config.SigningAlg)
	if err != nil {
		return nil, fmt.Errorf("httpapi: discovery document: %w", err)
	}
	ops := opsHandlers{health: d.Health, keys: d.Keys}
	r.GET("/healthz", ops.healthz)
	r.GET("/readyz", ops.readyz)
	r.GET("/.well-known/jwks.json", ops.jwks)
	r.GET("/.well-known/openid-configuration", serveDiscovery(discoveryDoc))
	r.GET("/metrics", gin.WrapH(d.Metrics.Handler()))
	r.GET("/openapi.json", serveOpenAPI)
	mountDemo(r)
	return r, nil
}

// adminChain authenticates, re-reads the caller's current role, and with
// AdminRequireMFA wants a second factor in the token's amr.
func adminChain(authn gin.HandlerFunc, d Deps) []gin.HandlerFunc {
	chain := []gin.HandlerFunc{authn, RequireCurrentRole(d.Users, "admin")}
	if d.Config.AdminRequireMFA {
		chain = append(chain, RequireMFA())
	}
	return chain
}

// rateLimit meters requests per client address.
func rateLimit(l ports.RateLimiter, clock ports.Clock) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := l.Allow(c.Request.Context(), c.ClientIP(), clock.Now()); err != nil {
			fail(c, err)
			return
		}
		c.Next()
	}
}

// readyTimeout bounds the database check of /readyz.
const readyTimeout = 2 * time.Second
