package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Accounts implements ports.AccountService: a signed-in user's own account.
type Accounts struct {
	users    ports.UserRepository
	sessions ports.SessionRepository
	hasher   ports.PasswordHasher
	clock    ports.Clock
	audit    ports.AuditLog
	throttle ports.LoginThrottle
	tokens   ports.OneTimeTokenRepository
	limits   domain.LoginLimits
}

var _ ports.AccountService = (*Accounts)(nil)

// NewAccounts builds the account use cases. Wrong current passwords are
// throttled (policy.Login.ForPasswordChange): without it a stolen access
// token would be an unthrottled password-guessing oracle. A password change
// voids the user's outstanding reset links through tokens.
func NewAccounts(users ports.UserRepository, sessions ports.SessionRepository, hasher ports.PasswordHasher,
	clock ports.Clock, audit ports.AuditLog, throttle ports.LoginThrottle, tokens ports.OneTimeTokenRepository,
	policy Policy) *Accounts {
	return &Accounts{users: users, sessions: sessions, hasher: hasher, clock: clock, audit: audit, throttle: throttle,
		tokens: tokens, limits: policy.Login}
}

// Me returns the user; a deleted user's still-unexpired token is refused.
func (a *Accounts) Me(ctx context.Context, userID string) (domain.User, error) {
	u, err := a.users.ByID(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, domain.ErrTokenInvalid
	}
	return u, err
}

// Sessions lists userID's live sessions, newest first.
func (a *Accounts) Sessions(ctx context.Context, userID string) ([]domain.Session, error) {
	return a.sessions.ListLive(ctx, userID, a.clock.Now())
}

// EndSession ends one of userID's own sessions.
func (a *Accounts) EndSession(ctx context.Context, userID, sessionID string) error {
	if _, err := domain.ParseID(sessionID); err != nil {
		return domain.ErrNotFound
	}
	s, err := a.sessions.ByID(ctx, sessionID)
	if err != nil {
		return err
	}
	if s.UserID() != userID {
		return domain.ErrNotFound // never confirm that another user's session exists
	}
	ended, err := a.sessions.Revoke(ctx, sessionID, a.clock.Now(), domain.RevokeEnded)
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if ended {
		a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditSessionEnded, At: a.clock.Now(), UserID: userID, SessionID: sessionID})
	}
	return nil
}

// ChangePassword checks current, stores next and ends every other session.
func (a *Accounts) ChangePassword(ctx context.Context, userID, keepSessionID, current, next string, client domain.Client) error {
	if current == "" {
		return domain.NewValidationError("currentPassword", "is required")
	}
	if err := domain.ValidatePassword(next); err != nil {
		return renameField(err, "password", "newPassword")
	}
	u, err := a.users.ByID(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.ErrTokenInvalid
	}
	if err != nil {
		return fmt.Errorf("load user: %w", err)
	}
	rule := a.limits.ForPasswordChange(u.ID(), keepSessionID, client.IP)
	if err := a.guardedVerify(ctx, u, current, rule); err != nil {
		return err
	}
	hash, err := a.hasher.Hash(ctx, next)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	// Before the new password is stored: if this fails, nothing changed.
	if _, err := a.tokens.Void(ctx, userID, domain.PurposeResetPassword, a.clock.Now()); err != nil {
		return fmt.Errorf("void reset links: %w", err)
	}
	if err := a.users.UpdatePasswordHash(ctx, u.WithPasswordHash(hash, a.clock.Now())); err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	n, err := a.sessions.RevokeAllForUser(ctx, userID, keepSessionID, a.clock.Now(), domain.RevokePasswordChange)
	if err != nil {
		return fmt.Errorf("end other sessions: %w", err)
	}
	a.audit.Record(ctx, domain.AuditEvent{
		Kind: domain.AuditPasswordChanged, At: a.clock.Now(), UserID: userID, SessionID: keepSessionID,
		Detail: map[string]string{"sessionsEnded": strconv.Itoa(n)},
	})
	return nil
}

// guardedVerify checks current under its own counters, apart from login's,
// so nobody's failed logins can block a password change.
func (a *Accounts) guardedVerify(ctx context.Context, u domain.User, current string, rule domain.ThrottleRule) error {
	if err := a.throttle.Check(ctx, rule.All(), a.clock.Now()); err != nil {
		return err
	}
	err := verifyPassword(ctx, a.hasher, u, current)
	settle(ctx, a.throttle, rule, err, a.clock.Now())
	return err
}

// verifyPassword checks plain against u's hash; a password that cannot be
// the hash's costs the same dummy compare, so the answer takes the same time.
func verifyPassword(ctx context.Context, hasher ports.PasswordHasher, u domain.User, plain string) error {
	if !domain.PasswordFitsHash(plain) {
		if err := hasher.DummyCompare(ctx, plain); err != nil {
			return fmt.Errorf("compare password: %w", err)
		}
		return domain.ErrInvalidCredentials
	}
	ok, err := hasher.Compare(ctx, u.PasswordHash(), plain)
	if err != nil {
		return fmt.Errorf("compare password: %w", err)
	}
	if !ok {
		return domain.ErrInvalidCredentials
	}
	return nil
}

// renameField points a validation error at the request's field name.
func renameField(err error, from, to string) error {
	var v *domain.ValidationError
	if errors.As(err, &v) && v.Field == from {
		return domain.NewValidationError(to, v.Reason)
	}
	return err
}
