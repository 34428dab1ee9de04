package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// MaxTokenBytes bounds an access token; longer headers are refused unparsed.
const MaxTokenBytes = 8 << 10

var (
	errTokenMissing   = newAPIError(http.StatusUnauthorized, "TOKEN_MISSING", "an Authorization: Bearer token is required")
	errTokenMalformed = newAPIError(http.StatusUnauthorized, "TOKEN_MALFORMED", "the Authorization header must be exactly 'Bearer <token>'")
)

// Authenticate verifies the access token of the Authorization header with
// verifier and stores its claims for ClaimsFrom. Mount it on any Gin route;
// the token is read from the header only, never from the query, a form or a
// cookie. verifier is asked on every request: to skip the signature check
// for a token seen before, pass a VerifyCache (NewVerifyCache) built once
// and shared by every route, as authd's App.Verifier already is.
func Authenticate(verifier ports.AccessTokenVerifier, clock ports.Clock) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(bearerRouteKey, true)
		token, err := bearerToken(c.Request.Header)
		if err != nil {
			fail(c, err)
			return
		}
		claims, err := verifier.Verify(token, clock.Now())
		if err != nil {
			fail(c, err)
			return
		}
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), claimsKey{}, claims))
		c.Next()
	}
}

// bearerToken extracts the token of exactly one "Bearer <token>" header
// (scheme in any letter case, one space, no spaces in the token).
func bearerToken(h http.Header) (string, error) {
	values := h.Values("Authorization")
	switch {
	case len(values) == 0:
		return "", errTokenMissing
	case len(values) > 1:
		return "", errTokenMalformed
	}
	v := values[0]
	if v == "" {
		return "", errTokenMissing
	}
	scheme, token, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > MaxTokenBytes ||
		strings.ContainsAny(token, " \t\r\n") {
		return "", errTokenMalformed
	}
	return token, nil
}

// requireClaims returns the claims Authenticate verified; without them
// (the guard mounted without Authenticate before it) it answers 401
// TOKEN_MISSING and reports false.
func requireClaims(c *gin.Context) (domain.AccessClaims, bool) {
	claims, ok := ClaimsFrom(c)
	if !ok {
		c.Set(bearerRouteKey, true)
		fail(c, errTokenMissing)
	}
	return claims, ok
}

// RequireRole lets through callers whose token's role is one of roles; role
// admin passes every check. Mount it after Authenticate. It reads no
// storage: a role taken away still passes until the token expires (see
// RequireCurrentRole for routes that must not wait).
func RequireRole(roles ...string) gin.HandlerFunc {
	required := toRoles(roles)
	return func(c *gin.Context) {
		claims, ok := requireClaims(c)
		if !ok {
			return
		}
		if !claims.Role.Satisfies(required...) {
			fail(c, domain.ErrInsufficientRole)
			return
		}
		c.Next()
	}
}

var errMFARequired = newAPIError(http.StatusForbidden, "MFA_REQUIRED",
	"a second factor is required: log in again with your authenticator app or a recovery code")

// RequireMFA lets through callers whose token's amr contains "mfa": the
// user passed a second factor (a TOTP or recovery code) at the login that
// opened the session; a session keeps its amr across refreshes. Others get
// 403 MFA_REQUIRED. Mount it after Authenticate. Like RequireRole it reads
// no storage: MFA turned off or reset later does not change a live
// session's amr (an admin reset ends the user's sessions).
func RequireMFA() gin.HandlerFunc {
	return func(c *gin.Context) {
		claims, ok := requireClaims(c)
		if !ok {
			return
		}
		if !domain.HasMFA(claims.AMR) {
			fail(c, errMFARequired)
			return
		}
		c.Next()
	}
}

// claimsKey keys the verified claims in the request's context. Its type is
// unexported, so no other package can plant claims; a gin.Context string
// key would not do, as any handler can set any of those.
type claimsKey struct{}

// ClaimsFrom returns the verified claims Authenticate stored; false when it
// did not run or refused the request. Extra holds the claims a
// ports.ClaimsHook added; read it, never write it.
func ClaimsFrom(c *gin.Context) (domain.AccessClaims, bool) {
	if c.Request == nil {
		return domain.AccessClaims{}, false
	}
	claims, ok := c.Request.Context().Value(claimsKey{}).(domain.AccessClaims)
	return claims, ok
}
