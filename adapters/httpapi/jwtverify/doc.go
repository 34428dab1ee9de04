// Package jwtverify lets other Go services accept authd access tokens
// without sharing any secret: it fetches authd's JWKS
// (/.well-known/jwks.json, published when authd signs with EdDSA, ES256 or
// RS256), caches it, and checks each token's signature, kid, alg, typ
// (at+jwt), iss, aud and exp. It depends only on the standard library, Gin
// and golang-jwt, never on authd's own packages.
//
// Usage:
//
//	v, err := jwtverify.New(jwtverify.Config{
//		JWKSURL:  "https://auth.example.com/.well-known/jwks.json",
//		Issuer:   "authd",     // authd's AUTHD_ISSUER
//		Audience: "authd",     // authd's AUTHD_AUDIENCE
//		Leeway:   30 * time.Second,
//	})
//	if err != nil { ... }
//	r := gin.New()
//	api := r.Group("/api", v.Middleware())
//	api.GET("/me", func(c *gin.Context) {
//		claims, _ := jwtverify.ClaimsFrom(c)
//		c.JSON(200, gin.H{"user": claims.Subject})
//	})
//	api.DELETE("/things/:id", jwtverify.RequireRole("editor"), deleteThing)
//
// Keys rotate without restarts: a token naming an unknown kid triggers one
// refetch (at most once per MinRefreshInterval, shared by all concurrent
// requests), and the set is refetched when older than CacheTTL. If a fetch
// fails the last good set keeps serving. Refused requests get authd's error
// shape, {"error": "...", "code": "TOKEN_MISSING" | "TOKEN_MALFORMED" |
// "TOKEN_EXPIRED" | "TOKEN_INVALID"}, with a 401 and
// WWW-Authenticate: Bearer realm="authd"; when no key set could ever be
// fetched the answer is 503 with code UNAVAILABLE instead, so clients do
// not throw away good tokens during an outage.
package jwtverify
