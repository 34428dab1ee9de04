package jwtverify

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
)

// claimsKey is the gin.Context key of the verified Claims; unexported so no
// other code can plant claims.
const claimsKey = "github.com/authd-dev/authd/jwtverify.claims"

type problem struct {
	status    int
	code, msg string
}

var (
	problemMissing     = problem{http.StatusUnauthorized, "TOKEN_MISSING", "an Authorization: Bearer token is required"}
	problemMalformed   = problem{http.StatusUnauthorized, "TOKEN_MALFORMED", "the Authorization header must be exactly 'Bearer <token>'"}
	problemExpired     = problem{http.StatusUnauthorized, "TOKEN_EXPIRED", "access token has expired"}
	problemInvalid     = problem{http.StatusUnauthorized, "TOKEN_INVALID", "access token is invalid"}
	problemUnavailable = problem{http.StatusServiceUnavailable, "UNAVAILABLE", "token keys are unavailable; try again later"}
	problemRole        = problem{http.StatusForbidden, "INSUFFICIENT_ROLE", "insufficient role"}
)

// Middleware verifies the Authorization: Bearer token and stores its claims
// for ClaimsFrom; refused requests get authd's error shape and a 401 with
// WWW-Authenticate (RFC 6750), or a 503 when the keys cannot be fetched.
func (v *Verifier) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		token, p, ok := bearerToken(c.Request.Header)
		if !ok {
			abort(c, p, p != problemMissing)
			return
		}
		claims, err := v.Verify(c.Request.Context(), token)
		switch {
		case err == nil:
			c.Set(claimsKey, claims)
			c.Next()
		case errors.Is(err, ErrExpired):
			abort(c, problemExpired, true)
		case errors.Is(err, ErrUnavailable):
			abort(c, problemUnavailable, false)
		default:
			abort(c, problemInvalid, true)
		}
	}
}

// ClaimsFrom returns the claims Middleware verified for this request.
func ClaimsFrom(c *gin.Context) (Claims, bool) {
	v, ok := c.Get(claimsKey)
	if !ok {
		return Claims{}, false
	}
	claims, ok := v.(Claims)
	return claims, ok
}

// RequireRole lets through callers whose role is one of roles (role admin
// passes every check). Mount it after Middleware.
func RequireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		claims, ok := ClaimsFrom(c)
		if !ok {
			abort(c, problemMissing, false)
			return
		}
		if claims.Role != "admin" && len(roles) > 0 && !slices.Contains(roles, claims.Role) {
			abort(c, problemRole, false)
			return
		}
		c.Next()
	}
}

// bearerToken extracts exactly one "Bearer <token>" header (scheme in any
// letter case, one space, no white space in the token), as authd does.
func bearerToken(h http.Header) (string, problem, bool) {
	values := h.Values("Authorization")
	switch {
	case len(values) == 0 || (len(values) == 1 && values[0] == ""):
		return "", problemMissing, false
	case len(values) > 1:
		return "", problemMalformed, false
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > MaxTokenBytes ||
		strings.ContainsAny(token, " \t\r\n") {
		return "", problemMalformed, false
	}
	return token, problem{}, true
}

func abort(c *gin.Context, p problem, presented bool) {
	if p.status == http.StatusUnauthorized {
		challenge := `Bearer realm="authd"`
		if presented {
			challenge += `, error="invalid_token"`
		}
		c.Header("WWW-Authenticate", challenge)
	}
	c.AbortWithStatusJSON(p.status, gin.H{"error": p.msg, "code": p.code})
}
