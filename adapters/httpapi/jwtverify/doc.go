// Package jwtverify lets other Go services accept authd access tokens
// without sharing any secret: it fetches authd's JWKS
// (/.well-known/jwks.json, published when authd signs with EdDSA, ES256 or
// RS256), caches it, and checks each token's signature, kid, alg, typ
// (at+jwt), iss, aud and exp. It depends only on the standard library, Gin
// and golang-jwt, never on authd's own packages. Supported API for other
// teams' services.
//
// Usage:
//
//	v, err := jwtverify.New(jwtverify.Config{
//		JWKSURL:  "https://auth.example.com/.well-known/jwks.json",
//		Issuer:   "authd", // authd's AUTHD_ISSUER
//		Audience: "authd", // authd's AUTHD_AUDIENCE
//	})
//	if err != nil { ... }
//	r := gin.New()
//	api := r.Group("/api", v.Middleware())
//	api.GET("/me", func(c *gin.Context) {
//		claims, _ := jwtverify.ClaimsFrom(c)
//		c.JSON(200, gin.H{"user": claims.Subject})
//	})
//	api.DELETE("/things/:id", jwtverify.RequireRole("editor"), deleteThing)
//	api.POST("/payouts", jwtverify.RequireMFA(), payout) // amr has "mfa"
//
// # Fetching the keys
//
// The key set comes only from JWKSURL over https (plain http only with the
// test opt-in InsecureLoopbackHTTP, on a loopback address). A redirect is
// followed only to the same scheme and host, so neither a redirect nor a
// downgrade can substitute another party's keys; this holds for a
// caller's HTTPClient too, which is copied, never modified. Every fetch,
// from connecting to the last byte of the body, ends within 10 seconds
// whatever the client's own timeout, and at most one runs at a time.
//
// A fetched document must be one JSON object with at least one usable
// signature key and no repeated kid; keys of other types or uses, or whose
// key_ops lack "verify", are skipped. A fetch that fails in any way,
// including a 200 with an empty or unusable set, keeps the last good set.
//
// # Caching and rotation
//
// A set is used for its response's Cache-Control max-age, bounded to
// 30s..CacheTTL (CacheTTL when the response says nothing). A token whose
// kid is in the set never waits for the network: once the set is stale it
// is refetched in the background while it keeps serving, and while fetches
// fail it keeps serving indefinitely (retried at most once per
// MinRefreshInterval, on the next request). A token naming a kid not in the set
// triggers a fetch at once, if none started within MinRefreshInterval
// (default 1s); concurrent requests share that fetch. The token is refused
// as invalid only when a set fetched after it arrived lacks its kid, or
// when its kid was dropped from the set; such kids are remembered for 30
// seconds (at most 1024 of them), so retrying a retired token costs no
// fetch. When no fetch may start yet, Verify returns an *UnavailableError
// saying when to retry, so a flood of made-up kids can delay a newly
// rotated key by at most MinRefreshInterval and never gets it refused.
//
// # Tokens
//
// Tokens must be in their single canonical spelling: unpadded base64url
// with zero trailing bits, low-S ECDSA signatures, exp, iat and nbf as
// JSON numbers. A header with crit or b64 is refused. Leeway on the times
// is 30s unless configured (at most 60s).
//
// # Errors over HTTP
//
// Refused requests get authd's error shape, {"error": "...", "code":
// "TOKEN_MISSING" | "TOKEN_MALFORMED" | "TOKEN_EXPIRED" | "TOKEN_INVALID"},
// with a 401 and WWW-Authenticate: Bearer realm="authd". When the token's
// key cannot be known yet (no set could be fetched, or an unseen kid with
// no fetch allowed) the answer is 503 with code UNAVAILABLE and
// Retry-After instead, so clients do not throw away good tokens.
package jwtverify
