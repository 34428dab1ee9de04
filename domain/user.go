package domain

import "time"

// User is an account. Fields are private so every User passed around has
// been through NewUser or RestoreUser.
type User struct {
	id           string
	email        Email
	role         Role
	passwordHash string
	verified     bool
	createdAt    time.Time
	updatedAt    time.Time
}

// UserState is the plain form of a User, for storage adapters.
type UserState struct {
	ID           string
	Email        string
	Role         string
	PasswordHash string
	// EmailVerified: the owner proved they read mail at Email (or an admin
	// said so). New accounts start unverified.
	EmailVerified bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// NewUser creates an account with a freshly hashed password.
func NewUser(id string, email Email, passwordHash string, role Role, now time.Time) (User, error) {
	if id == "" {
		return User{}, NewValidationError("id", "is required")
	}
	if email.IsZero() {
		return User{}, NewValidationError("email", "is required")
	}
	if passwordHash == "" {
		return User{}, ErrInvalidPasswordHash
	}
	if _, err := NewRole(string(role)); err != nil {
		return User{}, err
	}
	now = Truncate(now)
	return User{id: id, email: email, role: role, passwordHash: passwordHash, createdAt: now, updatedAt: now}, nil
}

// RestoreUser rebuilds a User from storage, re-validating what it can.
func RestoreUser(s UserState) (User, error) {
	email, err := NewEmail(s.Email)
	if err != nil {
		return User{}, err
	}
	role, err := NewRole(s.Role)
	if err != nil {
		return User{}, err
	}
	return User{
		id: s.ID, email: email, role: role, passwordHash: s.PasswordHash, verified: s.EmailVerified,
		createdAt: Truncate(s.CreatedAt), updatedAt: Truncate(s.UpdatedAt),
	}, nil
}

// State returns the plain form of u.
func (u User) State() UserState {
	return UserState{
		ID: u.id, Email: u.email.String(), Role: string(u.role), PasswordHash: u.passwordHash,
		EmailVerified: u.verified, CreatedAt: u.createdAt, UpdatedAt: u.updatedAt,
	}
}

func (u User) ID() string           { return u.id }
func (u User) Email() Email         { return u.email }
func (u User) Role() Role           { return u.role }
func (u User) PasswordHash() string { return u.passwordHash }
func (u User) EmailVerified() bool  { return u.verified }
func (u User) CreatedAt() time.Time { return u.createdAt }
func (u User) UpdatedAt() time.Time { return u.updatedAt }

// WithRole returns u with a new role.
func (u User) WithRole(r Role, now time.Time) User {
	u.role, u.updatedAt = r, Truncate(now)
	return u
}

// WithPasswordHash returns u with a new password hash.
func (u User) WithPasswordHash(hash string, now time.Time) User {
	u.passwordHash, u.updatedAt = hash, Truncate(now)
	return u
}

// WithEmailVerified returns u with its email marked verified or not.
func (u User) WithEmailVerified(verified bool, now time.Time) User {
	u.verified, u.updatedAt = verified, Truncate(now)
	return u
}
