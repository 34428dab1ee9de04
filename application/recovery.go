package application

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Recovery implements ports.RecoveryService: email verification and
// password reset by one-time links.
type Recovery struct {
	users    ports.UserRepository
	tokens   ports.OneTimeTokenRepository
	hasher   ports.PasswordHasher
	clock    ports.Clock
	audit    ports.AuditLog
	throttle ports.LoginThrottle
	emails   ports.EmailNormaliser
	mail     *MailSender
	policy   Policy
}

var _ ports.RecoveryService = (*Recovery)(nil)

// NewRecovery builds the recovery use cases. throttle is the login
// throttle, whose limits forgot-password requests share in counters of
// their own (see forgotThrottled); emails normalises forgot-password's
// address as login does, so equivalent spellings find the same account.
func NewRecovery(users ports.UserRepository, tokens ports.OneTimeTokenRepository, hasher ports.PasswordHasher,
	clock ports.Clock, audit ports.AuditLog, throttle ports.LoginThrottle, emails ports.EmailNormaliser,
	mail *MailSender, policy Policy) *Recovery {
	return &Recovery{users: users, tokens: tokens, hasher: hasher, clock: clock, audit: audit, throttle: throttle,
		emails: emails, mail: mail, policy: policy}
}

// RequestVerification mails userID a fresh verification link, unless the
// address is verified already.
func (r *Recovery) RequestVerification(ctx context.Context, userID string, client domain.Client) error {
	u, err := r.users.ByID(ctx, userID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.ErrTokenInvalid
	case err != nil:
		return fmt.Errorf("load user: %w", err)
	case u.EmailVerified():
		r.record(ctx, domain.AuditVerificationRequested, u.ID(), client.IP, "already_verified", nil)
		return nil
	}
	m, err := r.issue(ctx, u, domain.PurposeVerifyEmail)
	if err != nil {
		return err
	}
	r.record(ctx, domain.AuditVerificationRequested, u.ID(), client.IP, "", nil)
	return r.mail.send(ctx, m, u.ID())
}

// VerifyEmail spends a verification token and returns the verified user.
func (r *Recovery) VerifyEmail(ctx context.Context, token string, client domain.Client) (domain.User, error) {
	if token == "" {
		return domain.User{}, domain.NewValidationError("token", "is required")
	}
	t, err := r.spendable(ctx, token, domain.PurposeVerifyEmail)
	if err == nil {
		var won bool
		if won, err = r.tokens.SpendVerification(ctx, t, r.clock.Now()); err == nil && !won {
			err = errSpent
		}
	}
	if errors.Is(err, errSpent) {
		r.record(ctx, domain.AuditVerificationRejected, t.UserID(), client.IP, "invalid_token", nil)
		return domain.User{}, domain.ErrVerificationTokenInvalid
	}
	if err != nil {
		return domain.User{}, err
	}
	u, err := r.users.ByID(ctx, t.UserID())
	if err != nil {
		return domain.User{}, fmt.Errorf("load verified user: %w", err)
	}
	r.record(ctx, domain.AuditEmailVerified, u.ID(), client.IP, "", nil)
	return u, nil
}

// ResetPassword checks newPassword, then the token, hashes, and spends the
// token in the transaction that sets the password and ends every session.
func (r *Recovery) ResetPassword(ctx context.Context, token, newPassword string, client domain.Client) error {
	if token == "" {
		return domain.NewValidationError("token", "is required")
	}
	if err := domain.ValidatePassword(newPassword); err != nil {
		return renameField(err, "password", "newPassword")
	}
	// The token is looked at before hashing, so a bad one costs no bcrypt.
	t, err := r.spendable(ctx, token, domain.PurposeResetPassword)
	ended := 0
	if err == nil {
		var hash string
		if hash, err = r.hasher.Hash(ctx, newPassword); err != nil {
			return fmt.Errorf("hash password: %w", err)
		}
		var won bool
		if ended, won, err = r.tokens.SpendReset(ctx, t, hash, r.clock.Now()); err == nil && !won {
			err = errSpent
		}
	}
	if errors.Is(err, errSpent) {
		r.record(ctx, domain.AuditResetRejected, t.UserID(), client.IP, "invalid_token", nil)
		return domain.ErrResetTokenInvalid
	}
	if err != nil {
		return err
	}
	r.record(ctx, domain.AuditPasswordReset, t.UserID(), client.IP, "",
		map[string]string{"sessionsEnded": strconv.Itoa(ended)})
	return nil
}

// errSpent stands for every way a presented token is no good: malformed,
// unknown, used, voided, expired, of another purpose, or lost to a racer.
var errSpent = errors.New("one-time token not spendable")

// spendable finds the stored token behind secret if it can be spent on
// purpose now; otherwise errSpent (the token returned then carries the
// user id when one was found, for the audit log).
func (r *Recovery) spendable(ctx context.Context, secret string, purpose domain.TokenPurpose) (domain.OneTimeToken, error) {
	hash, ok := domain.HashOneTimeToken(secret)
	if !ok {
		return domain.OneTimeToken{}, errSpent
	}
	t, err := r.tokens.ByHash(ctx, hash)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.OneTimeToken{}, errSpent
	case err != nil:
		return domain.OneTimeToken{}, fmt.Errorf("find token: %w", err)
	case !t.SpendableFor(purpose, r.clock.Now()):
		return t, errSpent
	}
	return t, nil
}

// issue stores a new token of purpose for u (a reset token voids the older
// ones) and returns the mail that carries its link.
func (r *Recovery) issue(ctx context.Context, u domain.User, purpose domain.TokenPurpose) (ports.Mail, error) {
	kind, ttl, store := ports.MailVerifyEmail, r.policy.Links.VerifyTTL, r.tokens.Create
	if purpose == domain.PurposeResetPassword {
		kind, ttl, store = ports.MailResetPassword, r.policy.Links.ResetTTL, r.tokens.Replace
	}
	t, secret, err := domain.NewOneTimeToken(rand.Reader, u.ID(), purpose, r.clock.Now(), ttl)
	if err != nil {
		return ports.Mail{}, err
	}
	if err := store(ctx, t); err != nil {
		return ports.Mail{}, fmt.Errorf("store %s token: %w", purpose, err)
	}
	// The fragment never reaches a server in a request or a Referer.
	link := r.policy.Links.URL + "#" + string(kind) + "=" + secret
	return ports.Mail{To: u.Email(), Kind: kind, Link: link, Lifetime: ttl}, nil
}

func (r *Recovery) record(ctx context.Context, kind domain.AuditKind, userID, ip, reason string, detail map[string]string) {
	r.audit.Record(ctx, domain.AuditEvent{Kind: kind, At: r.clock.Now(), UserID: userID, IP: ip, Reason: reason, Detail: detail})
}
