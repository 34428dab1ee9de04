package jwtverify

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// claimsKey keys the verified Claims in the request's context. Its type is
// unexported, so no other package can plant claims; gin.Context.Set would
// not do, as any handler can set any string key.
type claimsKey struct{}

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
	problemMFA         = problem{http.StatusForbidden, "MFA_REQUIRED", "a second factor is required"}
)

// Middleware verifies the Authorization: Bearer token and stores its claims
// for ClaimsFrom; refused requests get authd's error shape and a 401 with
// WWW-Authenticate (RFC 6750), or, when the token's key cannot be known
// yet, a 503 with Retry-After: a new token would not help then.
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
			c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), claimsKey{}, claims))
			c.Next()
		case errors.Is(err, ErrExpired):
			abort(c, problemExpired, true)
		case errors.Is(err, ErrUnavailable):
			retryAfter(c, err)
			abort(c, problemUnavailable, false)
		default:
			abort(c, problemInvalid, true)
		}
	}
}

// ClaimsFrom returns the claims Middleware verified for this request;
// false when it did not run or refused the request.
func ClaimsFrom(c *gin.Context) (Claims, bool) {
	if c.Request == nil {
		return Claims{}, false
	}
	claims, ok := c.Request.Context().Value(claimsKey{}).(Claims)
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

// RequireMFA lets through callers whose token's amr contains "mfa": the
// user passed a second factor (a TOTP or recovery code) at login. Others
// get 403 MFA_REQUIRED; the user must log in again with the second step
// (turning MFA on first if it is off). Mount it after Middleware.
func RequireMFA() gin.HandlerFunc {
	return func(c *gin.Context) {
		claims, ok := ClaimsFrom(c)
		if !ok {
			abort(c, problemMissing, false)
			return
		}
		if !slices.Contains(claims.AMR, "mfa") {
			abort(c, problemMFA, false)
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

// retryAfter tells the client when the keys may be known (RFC 9110
// §10.2.3), in whole seconds.
func retryAfter(c *gin.Context, err error) {
	wait := time.Second
	var u *UnavailableError
	if errors.As(err, &u) {
		wait = max(wait, u.RetryAfter)
	}
	c.Header("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
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
