package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
)

// apiError is an error decided at the HTTP edge (bad JSON, missing header),
// already carrying its status and code.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func newAPIError(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

// errorBody is the one error shape of the API.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// domainErrors is the table from domain error to status and code. Messages
// are the domain's own, which never carry input, SQL or secrets.
var domainErrors = []struct {
	err    error
	status int
	code   string
}{
	{domain.ErrPasswordTooShort, http.StatusBadRequest, "PASSWORD_TOO_SHORT"},
	{domain.ErrPasswordTooLong, http.StatusBadRequest, "PASSWORD_TOO_LONG"},
	{domain.ErrInvalidCredentials, http.StatusUnauthorized, "INVALID_CREDENTIALS"},
	{domain.ErrTokenExpired, http.StatusUnauthorized, "TOKEN_EXPIRED"},
	{domain.ErrTokenInvalid, http.StatusUnauthorized, "TOKEN_INVALID"},
	{domain.ErrRefreshInvalid, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID"},
	{domain.ErrRefreshExpired, http.StatusUnauthorized, "REFRESH_TOKEN_EXPIRED"},
	{domain.ErrRefreshReused, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED"},
	{domain.ErrInsufficientRole, http.StatusForbidden, "INSUFFICIENT_ROLE"},
	{domain.ErrRegistrationClosed, http.StatusForbidden, "REGISTRATION_CLOSED"},
	{domain.ErrEmailNotVerified, http.StatusForbidden, "EMAIL_NOT_VERIFIED"},
	{domain.ErrVerificationTokenInvalid, http.StatusBadRequest, "VERIFICATION_TOKEN_INVALID"},
	{domain.ErrResetTokenInvalid, http.StatusBadRequest, "RESET_TOKEN_INVALID"},
	{domain.ErrNotFound, http.StatusNotFound, "NOT_FOUND"},
	{domain.ErrEmailTaken, http.StatusConflict, "EMAIL_TAKEN"},
	{domain.ErrLastAdmin, http.StatusConflict, "LAST_ADMIN"},
	{domain.ErrMFARequired, http.StatusForbidden, "MFA_REQUIRED"},
	{domain.ErrMFACodeInvalid, http.StatusUnauthorized, "MFA_CODE_INVALID"},
	{domain.ErrMFATokenInvalid, http.StatusUnauthorized, "MFA_TOKEN_INVALID"},
	{domain.ErrMFAAlreadyEnabled, http.StatusConflict, "MFA_ALREADY_ENABLED"},
	{domain.ErrMFANotPending, http.StatusConflict, "MFA_NOT_PENDING"},
	{domain.ErrMFANotEnabled, http.StatusConflict, "MFA_NOT_ENABLED"},
	{domain.ErrBusy, http.StatusServiceUnavailable, "BUSY"},
	{domain.ErrUnavailable, http.StatusServiceUnavailable, "UNAVAILABLE"},
	{context.DeadlineExceeded, http.StatusServiceUnavailable, "UNAVAILABLE"},
	{context.Canceled, http.StatusServiceUnavailable, "UNAVAILABLE"},
}

// busyRetryAfter is the Retry-After of BUSY, the shortest one can say: a
// place in the hash queue frees each time a queued hash starts.
const busyRetryAfter = time.Second

// classify maps err to status, code and a message safe to show.
func classify(err error) (status int, code, message string, retryAfter time.Duration) {
	var api *apiError
	var invalid *domain.ValidationError
	var limited *domain.RateLimitedError
	switch {
	case errors.As(err, &api):
		return api.status, api.code, api.message, 0
	case errors.As(err, &invalid):
		return http.StatusBadRequest, "VALIDATION_FAILED", invalid.Error(), 0
	case errors.As(err, &limited):
		return http.StatusTooManyRequests, "RATE_LIMITED", "too many attempts; try again later", limited.RetryAfter
	}
	for _, row := range domainErrors {
		if errors.Is(err, row.err) {
			if row.err == domain.ErrBusy {
				return row.status, row.code, row.err.Error(), busyRetryAfter
			}
			if row.status == http.StatusServiceUnavailable {
				return row.status, row.code, "the service is temporarily unavailable", 0
			}
			return row.status, row.code, row.err.Error(), 0
		}
	}
	return http.StatusInternalServerError, "INTERNAL", "internal error", 0
}

// fail writes err as the API's error shape and stops the chain. Unknown
// errors and outages (not BUSY) are logged with the request id; their text
// never reaches the client.
func fail(c *gin.Context, err error) {
	status, code, message, retryAfter := classify(err)
	if status >= 500 && code != "BUSY" { // shedding load is expected; the access log and metrics count it
		logger(c).LogAttrs(c.Request.Context(), slog.LevelError, "request failed",
			slog.String("requestId", RequestID(c)), slog.Int("status", status), slog.String("error", err.Error()))
	}
	if retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	}
	if status == http.StatusUnauthorized && c.GetBool(bearerRouteKey) {
		challenge := `Bearer realm="authd"`
		if strings.HasPrefix(code, "TOKEN_") && code != "TOKEN_MISSING" {
			challenge += `, error="invalid_token"` // only when the token itself was refused
		}
		c.Header("WWW-Authenticate", challenge)
	}
	c.AbortWithStatusJSON(status, errorBody{Error: message, Code: code})
}
