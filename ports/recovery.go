package ports

import (
	"context"

	"github.com/authd-dev/authd/domain"
)

// RecoveryService is the driving port for email verification and password
// reset. Tokens are the secrets mailed in links; they are never logged.
type RecoveryService interface {
	// RequestVerification mails userID a new verification link before
	// returning. An already verified account gets nothing and no error; a
	// deleted user is domain.ErrTokenInvalid; a mail that could not be
	// handed over is an error wrapping domain.ErrUnavailable.
	RequestVerification(ctx context.Context, userID string, client domain.Client) error
	// VerifyEmail spends a verification token and returns the user, now
	// verified. A malformed, unknown, used, voided or expired token is
	// domain.ErrVerificationTokenInvalid.
	VerifyEmail(ctx context.Context, token string, client domain.Client) (domain.User, error)
	// ForgotPassword answers the same way, in the same time, whether or not
	// email belongs to an account: the lookup and the mail happen in the
	// background, and a throttled request is silently dropped. Only a
	// malformed email is an error (*domain.ValidationError).
	ForgotPassword(ctx context.Context, email string, client domain.Client) error
	// ResetPassword spends a reset token: the password becomes newPassword,
	// every session of the user ends, the email counts as verified and the
	// user's other reset links die, all in one transaction. Errors: a
	// *domain.ValidationError or domain.ErrPasswordTooShort/TooLong for
	// newPassword (checked first, so a typo does not cost the link), then
	// domain.ErrResetTokenInvalid for a malformed, unknown, used, voided or
	// expired token, including the loser of two concurrent resets.
	ResetPassword(ctx context.Context, token, newPassword string, client domain.Client) error
}
