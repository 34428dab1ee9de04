package memstore

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/authd-dev/authd/domain"
)

// Users implements ports.UserRepository on a Store.
type Users struct{ s *Store }

// Create inserts u; a taken email is domain.ErrEmailTaken.
func (r *Users) Create(ctx context.Context, u domain.User) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	if _, ok := r.s.byEmail[u.Email().String()]; ok {
		return fmt.Errorf("memstore: create user: %w", domain.ErrEmailTaken)
	}
	if _, ok := r.s.users[u.ID()]; ok {
		return fmt.Errorf("memstore: create user: duplicate id %s", u.ID())
	}
	stored, err := stored(u)
	if err != nil {
		return err
	}
	r.s.users[u.ID()] = stored
	r.s.byEmail[u.Email().String()] = u.ID()
	return nil
}

// stored is u as the SQL backends keep it: times in UTC at TimePrecision.
func stored(u domain.User) (domain.User, error) {
	st := u.State()
	st.CreatedAt, st.UpdatedAt = domain.Truncate(st.CreatedAt), domain.Truncate(st.UpdatedAt)
	return domain.RestoreUser(st)
}

// ByID returns the user with id, or domain.ErrNotFound.
func (r *Users) ByID(ctx context.Context, id string) (domain.User, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.User{}, err
	}
	defer r.s.mu.Unlock()
	u, ok := r.s.users[id]
	if !ok {
		return domain.User{}, fmt.Errorf("memstore: user %s: %w", id, domain.ErrNotFound)
	}
	return u, nil
}

// ByEmail returns the user with email, or domain.ErrNotFound.
func (r *Users) ByEmail(ctx context.Context, email domain.Email) (domain.User, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.User{}, err
	}
	defer r.s.mu.Unlock()
	id, ok := r.s.byEmail[email.String()]
	if !ok {
		return domain.User{}, fmt.Errorf("memstore: user by email: %w", domain.ErrNotFound)
	}
	return r.s.users[id], nil
}

// UpdatePasswordHash stores u's hash and updated time.
func (r *Users) UpdatePasswordHash(ctx context.Context, u domain.User) error {
	return r.update(ctx, u, func(old domain.User) (domain.User, error) {
		return old.WithPasswordHash(u.PasswordHash(), u.UpdatedAt()), nil
	})
}

// errStale marks an upgrade whose expected hash is no longer stored.
var errStale = errors.New("password hash changed meanwhile")

// UpgradePasswordHash stores u's hash only if the stored one is previous.
func (r *Users) UpgradePasswordHash(ctx context.Context, u domain.User, previous string) (bool, error) {
	err := r.update(ctx, u, func(old domain.User) (domain.User, error) {
		if old.PasswordHash() != previous {
			return old, errStale
		}
		return old.WithPasswordHash(u.PasswordHash(), u.UpdatedAt()), nil
	})
	if errors.Is(err, errStale) || errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// SetEmailVerified stores u's email-verified flag and updated time.
func (r *Users) SetEmailVerified(ctx context.Context, u domain.User) error {
	return r.update(ctx, u, func(old domain.User) (domain.User, error) {
		return old.WithEmailVerified(u.EmailVerified(), u.UpdatedAt()), nil
	})
}

// ChangeRole stores u's role, refusing to demote the last admin.
func (r *Users) ChangeRole(ctx context.Context, u domain.User) error {
	return r.update(ctx, u, func(old domain.User) (domain.User, error) {
		if old.Role() == domain.RoleAdmin && u.Role() != domain.RoleAdmin && r.s.admins() == 1 {
			return old, domain.ErrLastAdmin
		}
		return old.WithRole(u.Role(), u.UpdatedAt()), nil
	})
}

// update applies change to the stored copy of u under the lock. Only the
// fields change touches are taken from u, as the SQL backends do.
func (r *Users) update(ctx context.Context, u domain.User, change func(domain.User) (domain.User, error)) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	old, ok := r.s.users[u.ID()]
	if !ok {
		return fmt.Errorf("memstore: update user %s: %w", u.ID(), domain.ErrNotFound)
	}
	next, err := change(old)
	if err != nil {
		return fmt.Errorf("memstore: update user %s: %w", u.ID(), err)
	}
	if next, err = stored(next); err != nil {
		return err
	}
	r.s.users[u.ID()] = next
	return nil
}

// Delete removes the user, its sessions and its tokens atomically.
func (r *Users) Delete(ctx context.Context, id string) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	u, ok := r.s.users[id]
	switch {
	case !ok:
		return fmt.Errorf("memstore: delete user %s: %w", id, domain.ErrNotFound)
	case u.Role() == domain.RoleAdmin && r.s.admins() == 1:
		return fmt.Errorf("memstore: delete user %s: %w", id, domain.ErrLastAdmin)
	}
	for sid, st := range r.s.sessions {
		if st.UserID == id {
			delete(r.s.sessions, sid)
		}
	}
	for h, st := range r.s.tokens {
		if st.UserID == id {
			delete(r.s.tokens, h)
		}
	}
	r.s.forgetMFA(id)
	delete(r.s.byEmail, u.Email().String())
	delete(r.s.users, id)
	return nil
}

// List returns up to limit users ordered by id, after afterID.
func (r *Users) List(ctx context.Context, afterID string, limit int) ([]domain.User, error) {
	if err := r.s.lock(ctx); err != nil {
		return nil, err
	}
	defer r.s.mu.Unlock()
	var out []domain.User
	for id, u := range r.s.users {
		if id > afterID {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	if limit < 0 {
		limit = 0
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// admins counts admin users; the caller holds the lock.
func (s *Store) admins() int {
	n := 0
	for _, u := range s.users {
		if u.Role() == domain.RoleAdmin {
			n++
		}
	}
	return n
}
