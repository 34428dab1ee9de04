package application

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// createUser validates, hashes and stores a new account, its email already
// verified when verified is set (one write: no unverified moment).
func createUser(ctx context.Context, users ports.UserRepository, hasher ports.PasswordHasher, clock ports.Clock,
	emails ports.EmailNormaliser, rawEmail, password string, role domain.Role, verified bool) (domain.User, error) {
	email, err := emails.NormaliseEmail(rawEmail)
	if err != nil {
		return domain.User{}, err
	}
	if err := domain.ValidatePassword(password); err != nil {
		return domain.User{}, err
	}
	hash, err := hasher.Hash(ctx, password)
	if err != nil {
		return domain.User{}, fmt.Errorf("hash password: %w", err)
	}
	id, err := domain.NewID(rand.Reader)
	if err != nil {
		return domain.User{}, err
	}
	now := clock.Now()
	u, err := domain.NewUser(id, email, hash, role, now)
	if err != nil {
		return domain.User{}, err
	}
	if verified {
		u = u.WithEmailVerified(true, now)
	}
	if err := users.Create(ctx, u); err != nil {
		return domain.User{}, err
	}
	return u, nil
}
