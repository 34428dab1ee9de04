package domain

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Callers compare with errors.Is; adapters translate them at
// their edge (HTTP status and code, storage driver errors).
var (
	ErrNotFound            = errors.New("not found")
	ErrEmailTaken          = errors.New("email already registered")
	ErrInvalidCredentials  = errors.New("invalid email or password")
	ErrPasswordTooShort    = errors.New("password must be at least 8 characters")
	ErrPasswordTooLong     = errors.New("password must be at most 72 bytes")
	ErrRefreshInvalid      = errors.New("refresh token is invalid")
	ErrRefreshExpired      = errors.New("refresh token has expired")
	ErrRefreshReused       = errors.New("refresh token was already used; the session has been revoked")
	ErrTokenExpired        = errors.New("access token has expired")
	ErrTokenInvalid        = errors.New("access token is invalid")
	ErrInsufficientRole    = errors.New("insufficient role")
	ErrRegistrationClosed  = errors.New("registration is closed")
	ErrLastAdmin           = errors.New("the last admin cannot be demoted or deleted")
	ErrUnavailable         = errors.New("a backing service is unavailable") // storage, mail server
	ErrSessionNotCurrent   = errors.New("session is not live")
	ErrWeakSecret          = errors.New("secret must be at least 32 bytes")
	ErrInvalidPasswordHash = errors.New("stored password hash is malformed")

	// Two-factor authentication.
	ErrMFARequired       = errors.New("a second factor is required")
	ErrMFACodeInvalid    = errors.New("the code is wrong, expired or already used")
	ErrMFATokenInvalid   = errors.New("the mfaToken is invalid, expired or used up; log in again")
	ErrMFAAlreadyEnabled = errors.New("two-factor authentication is already on")
	ErrMFANotPending     = errors.New("no two-factor enrolment is waiting for confirmation; enrol first")
	ErrMFANotEnabled     = errors.New("two-factor authentication is not on")
	// ErrBusy: the work was refused before it started because too much of
	// it is waiting already; nothing was changed, and retrying later may work.
	ErrBusy = errors.New("the service is busy; try again shortly")
)

// ValidationError reports a missing or malformed input field.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }

// NewValidationError builds a ValidationError for field.
func NewValidationError(field, reason string) error {
	return &ValidationError{Field: field, Reason: reason}
}

// RateLimitedError says a caller must wait RetryAfter before trying again.
type RateLimitedError struct {
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many attempts; retry after %s", e.RetryAfter)
}

// MFARequiredError answers a login whose password was right for an account
// with two-factor authentication on: no session yet, only Token, the
// mfaToken of the second step (POST /v1/auth/mfa/verify), valid for
// ExpiresIn. It matches ErrMFARequired with errors.Is; its message never
// holds the token.
type MFARequiredError struct {
	Token     string
	ExpiresIn time.Duration
}

func (e *MFARequiredError) Error() string { return ErrMFARequired.Error() }

func (e *MFARequiredError) Unwrap() error { return ErrMFARequired }
