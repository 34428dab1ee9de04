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
	hasher   ports.PasswordHasher
	clock    ports.Clock
	audit    ports.AuditLog
}

var _ ports.AdminService = (*Admin)(nil)

// NewAdmin builds the user administration use cases.
func NewAdmin(users ports.UserRepository, sessions ports.SessionRepository, hasher ports.PasswordHasher,
	clock ports.Clock, audit ports.AuditLog) *Admin {
	return &Admin{users: users, sessions: sessions, hasher: hasher, clock: clock, audit: audit}
}

// CreateUser creates an account with role, even while registration is closed.
func (a *Admin) CreateUser(ctx context.Context, email, password string, role domain.Role, actorID string) (domain.User, error) {
	if _, err := domain.NewRole(string(role)); err != nil {
		return domain.User{}, err
	}
	u, err := createUser(ctx, a.users, a.hasher, a.clock, email, password, role)
	if err != nil {
		return domain.User{}, err
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditUserCreated, At: a.clock.Now(), UserID: u.ID(), ActorID: actorID,
		Detail: map[string]string{"role": role.String()}})
	return u, nil
}

// ListUsers pages users in id order. The cursor is the last id of the
// previous page; next is "" when there are no more.
func (a *Admin) ListUsers(ctx context.Context, cursor string, limit int) ([]domain.User, string, error) {
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
	if _, err := a.lookup(ctx, id); err != nil {
		return err
	}
	if err := a.users.Delete(ctx, id); err != nil {
		return err
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditUserDeleted, At: a.clock.Now(), UserID: id, ActorID: actorID})
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
