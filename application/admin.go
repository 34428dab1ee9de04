package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Page sizes of ListUsers.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Admin implements ports.AdminService.
type Admin struct {
	users    ports.UserRepository
	sessions ports.SessionRepository
	mfa      ports.MFARepository
	hasher   ports.PasswordHasher
	clock    ports.Clock
	audit    ports.AuditLog
	emails   ports.EmailNormaliser
	recovery *Recovery
}

var (
	_ ports.AdminService    = (*Admin)(nil)
	_ ports.OperatorService = (*Admin)(nil)
)

// NewAdmin builds the user administration use cases; emails normalises the
// address of every account it creates, recovery mails the verification
// link of an account an admin creates.
func NewAdmin(users ports.UserRepository, sessions ports.SessionRepository, mfa ports.MFARepository,
	hasher ports.PasswordHasher, clock ports.Clock, audit ports.AuditLog, emails ports.EmailNormaliser,
	recovery *Recovery) *Admin {
	return &Admin{users: users, sessions: sessions, mfa: mfa, hasher: hasher, clock: clock, audit: audit,
		emails: emails, recovery: recovery}
}

// CreateUser creates an account with role, even while registration is
// closed, for actorID if it is currently an admin. The account starts
// unverified and is mailed a verification link in the background, as at
// registration: an admin typing an address has not shown that its owner
// reads it (an admin who knows it can set emailVerified explicitly).
func (a *Admin) CreateUser(ctx context.Context, email, password string, role domain.Role, actorID string) (domain.User, error) {
	if err := a.authorize(ctx, actorID); err != nil {
		return domain.User{}, err
	}
	u, err := a.create(ctx, email, password, role, false, actorID)
	if err != nil {
		return domain.User{}, err
	}
	a.recovery.welcome(ctx, u)
	return u, nil
}

// ProvisionUser creates an account for the operator of the process, who is
// not a user: no actor is checked. The operator vouches for the address, so
// the account is verified from the start (under AUTHD_REQUIRE_VERIFIED_EMAIL
// the first admin could not log in otherwise) and no mail is sent.
func (a *Admin) ProvisionUser(ctx context.Context, email, password string, role domain.Role, operator string) (domain.User, error) {
	return a.create(ctx, email, password, role, true, operator)
}

func (a *Admin) create(ctx context.Context, email, password string, role domain.Role, verified bool,
	actor string) (domain.User, error) {
	if _, err := domain.NewRole(string(role)); err != nil {
		return domain.User{}, err
	}
	u, err := createUser(ctx, a.users, a.hasher, a.clock, a.emails, email, password, role, verified)
	if err != nil {
		return domain.User{}, err
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditUserCreated, At: a.clock.Now(), UserID: u.ID(), ActorID: actor,
		Detail: map[string]string{"role": role.String(), "emailVerified": strconv.FormatBool(verified)}})
	return u, nil
}

// ListUsers pages users in id order. The cursor is the last id of the
// previous page; next is "" when there are no more.
func (a *Admin) ListUsers(ctx context.Context, actorID, cursor string, limit int) ([]domain.User, string, error) {
	if err := a.authorize(ctx, actorID); err != nil {
		return nil, "", err
	}
	if cursor != "" {
		if _, err := domain.ParseID(cursor); err != nil {
			return nil, "", domain.NewValidationError("cursor", "is not a cursor from a previous page")
		}
	}
	switch {
	case limit == 0:
		limit = DefaultPageSize
	case limit < 0 || limit > MaxPageSize:
		return nil, "", domain.NewValidationError("limit", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
	}
	users, err := a.users.List(ctx, cursor, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list users: %w", err)
	}
	if len(users) <= limit {
		return users, "", nil
	}
	users = users[:limit]
	return users, users[limit-1].ID(), nil
}

// ChangeRole sets a user's role; the next refresh carries it.
func (a *Admin) ChangeRole(ctx context.Context, actorID, id string, role domain.Role) (domain.User, error) {
	if err := a.authorize(ctx, actorID); err != nil {
		return domain.User{}, err
	}
	if _, err := domain.NewRole(string(role)); err != nil {
		return domain.User{}, err
	}
	u, err := a.lookup(ctx, id)
	if err != nil {
		return domain.User{}, err
	}
	old := u.Role()
	u = u.WithRole(role, a.clock.Now())
	if err := a.users.ChangeRole(ctx, u); err != nil {
		return domain.User{}, err
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditRoleChanged, At: a.clock.Now(), UserID: id, ActorID: actorID,
		Detail: map[string]string{"from": old.String(), "to": role.String()}})
	return u, nil
}

// SetEmailVerified marks a user's email verified or not, on an admin's word.
func (a *Admin) SetEmailVerified(ctx context.Context, actorID, id string, verified bool) (domain.User, error) {
	if err := a.authorize(ctx, actorID); err != nil {
		return domain.User{}, err
	}
	u, err := a.lookup(ctx, id)
	if err != nil {
		return domain.User{}, err
	}
	u = u.WithEmailVerified(verified, a.clock.Now())
	if err := a.users.SetEmailVerified(ctx, u); err != nil {
		return domain.User{}, err
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditEmailVerifiedSet, At: a.clock.Now(), UserID: id, ActorID: actorID,
		Detail: map[string]string{"to": strconv.FormatBool(verified)}})
	return u, nil
}

// DeleteUser removes a user; its sessions go with it in the same write.
func (a *Admin) DeleteUser(ctx context.Context, actorID, id string) error {
	if err := a.authorize(ctx, actorID); err != nil {
		return err
	}
	if _, err := a.lookup(ctx, id); err != nil {
		return err
	}
	if err := a.users.Delete(ctx, id); err != nil {
		return err
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditUserDeleted, At: a.clock.Now(), UserID: id, ActorID: actorID})
	return nil
}

// ResetMFA removes a user's MFA and recovery codes and ends its sessions in
// one write: whoever holds the lost device, or a session opened with it,
// is out, and the user logs in with the password alone.
func (a *Admin) ResetMFA(ctx context.Context, actorID, id string) error {
	if err := a.authorize(ctx, actorID); err != nil {
		return err
	}
	if _, err := a.lookup(ctx, id); err != nil {
		return err
	}
	removed, ended, err := a.mfa.Reset(ctx, id, a.clock.Now(), domain.RevokeMFAReset)
	if err != nil {
		return fmt.Errorf("reset mfa: %w", err)
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditMFAReset, At: a.clock.Now(), UserID: id, ActorID: actorID,
		Detail: map[string]string{"sessionsEnded": strconv.Itoa(ended), "hadMFA": strconv.FormatBool(removed)}})
	return nil
}

// authorize requires actorID's current record to hold role admin,
// whatever role the caller's token was minted with.
func (a *Admin) authorize(ctx context.Context, actorID string) error {
	if _, err := domain.ParseID(actorID); err != nil {
		return domain.ErrTokenInvalid
	}
	actor, err := a.users.ByID(ctx, actorID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.ErrTokenInvalid // the credential names a user that is gone
	case err != nil:
		return fmt.Errorf("load acting admin: %w", err)
	case !actor.Role().Satisfies(domain.RoleAdmin):
		return domain.ErrInsufficientRole
	}
	return nil
}

func (a *Admin) lookup(ctx context.Context, id string) (domain.User, error) {
	if _, err := domain.ParseID(id); err != nil {
		return domain.User{}, domain.ErrNotFound
	}
	u, err := a.users.ByID(ctx, id)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, fmt.Errorf("load user: %w", err)
	}
	return u, err
}
