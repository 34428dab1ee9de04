package ports

import (
	"context"
	"errors"
	"time"

	"github.com/authd-dev/authd/domain"
)

// Storage errors common to every method below: a backend that cannot be
// reached (connection refused, timeout, pool exhausted) or that refuses
// writes (read-only, no write grant, disk full) returns an error wrapping
// domain.ErrUnavailable; any other driver failure is wrapped with context
// and is a bug. No method leaves a partial write behind on error.

// UserLookup reads one account: the part of UserRepository that checking
// a caller against its current record needs, so an adapter can take it
// without the rest of the repository.
type UserLookup interface {
	// ByID returns the user with id, or domain.ErrNotFound.
	ByID(ctx context.Context, id string) (domain.User, error)
}

// UserRepository stores accounts. Emails are unique case-insensitively
// (they are normalised to lower case by domain.NewEmail before storage).
type UserRepository interface {
	// Create inserts u. A user with the same email exists: domain.ErrEmailTaken.
	Create(ctx context.Context, u domain.User) error
	// ByID returns the user with id, or domain.ErrNotFound.
	ByID(ctx context.Context, id string) (domain.User, error)
	// ByEmail returns the user with email, or domain.ErrNotFound.
	ByEmail(ctx context.Context, email domain.Email) (domain.User, error)
	// UpdatePasswordHash stores u's password hash and updated time; an
	// unknown user is domain.ErrNotFound.
	UpdatePasswordHash(ctx context.Context, u domain.User) error
	// UpgradePasswordHash stores u's hash only if the stored hash is still
	// previous, and reports whether it did: a re-hash at login never
	// overwrites a password changed meanwhile. Unknown user: (false, nil).
	UpgradePasswordHash(ctx context.Context, u domain.User, previous string) (bool, error)
	// SetEmailVerified stores u's email-verified flag and updated time; an
	// unknown user is domain.ErrNotFound.
	SetEmailVerified(ctx context.Context, u domain.User) error
	// ChangeRole stores u's role. If u was an admin and would no longer be,
	// and no other admin exists, nothing changes and the error is
	// domain.ErrLastAdmin. Unknown user: domain.ErrNotFound.
	ChangeRole(ctx context.Context, u domain.User) error
	// Delete removes the user and, in the same transaction, every one of its
	// sessions and one-time tokens. Deleting the only admin is domain.ErrLastAdmin; an unknown
	// user is domain.ErrNotFound.
	Delete(ctx context.Context, id string) error
	// List returns up to limit users ordered by id, starting after the id
	// afterID ("" for the first page). A limit of 0 or less returns none.
	List(ctx context.Context, afterID string, limit int) ([]domain.User, error)
}

// SessionRepository stores sessions: one row per login, rotated in place.
type SessionRepository interface {
	// Create inserts s. A session of an unknown user is domain.ErrNotFound.
	Create(ctx context.Context, s domain.Session) error
	// ByID returns the session with id, or domain.ErrNotFound.
	ByID(ctx context.Context, id string) (domain.Session, error)
	// ByIDWithUser returns the session with id and the user it belongs to in
	// one read (a refresh needs both: the salt for the MAC, the user's
	// current role for the access token), or domain.ErrNotFound.
	ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error)
	// ListLive returns userID's sessions that are neither revoked nor expired
	// at now, newest first.
	ListLive(ctx context.Context, userID string, now time.Time) ([]domain.Session, error)
	// Rotate stores next if and only if the stored row still has generation
	// next.Generation()-1, is not revoked and has not expired at now, in one
	// conditional update. It reports whether this call won; a lost race is
	// (false, nil), never an error.
	Rotate(ctx context.Context, next domain.Session, now time.Time) (bool, error)
	// Revoke ends session id at now with reason unless it already ended (the
	// first reason is kept). It reports whether this call ended it; an
	// unknown id is (false, nil).
	Revoke(ctx context.Context, id string, now time.Time, reason string) (bool, error)
	// RevokeAllForUser ends every unrevoked session of userID (expired ones
	// included) except exceptID ("" for none) and returns how many it ended.
	RevokeAllForUser(ctx context.Context, userID, exceptID string, now time.Time, reason string) (int, error)
	// RevokeOverLimit ends userID's sessions live at now beyond the limit
	// most recently used ones, in one statement, and returns how many it
	// ended. keepID (the session just opened) is always kept and counts as
	// one of the limit; the others rank by last use, then creation time,
	// then id, newest first. A limit below 1 ends nothing. Each call sees
	// every session committed before it starts, so when every new session
	// is followed by a call keeping it, at most limit sessions are live
	// once the concurrent calls have returned.
	RevokeOverLimit(ctx context.Context, userID, keepID string, limit int, now time.Time, reason string) (int, error)
	// Purge deletes at most limit sessions revoked or expired before cutoff,
	// in short transactions holding locks on no more than limit rows, and
	// returns how many it deleted: fewer than limit means none are left. A
	// limit below 1 deletes nothing. Callers loop, so a large backlog never
	// holds locks for long.
	Purge(ctx context.Context, cutoff time.Time, limit int) (int, error)
	// CountLive counts sessions neither revoked nor expired at now.
	CountLive(ctx context.Context, now time.Time) (int, error)
}

// HealthChecker answers whether the storage can serve.
type HealthChecker interface {
	// Ping returns nil when the database answers within ctx's deadline and
	// accepts writes; a database that answers but refuses writes (a
	// replica, read-only, no write grant) is an error too, wrapping
	// domain.ErrUnavailable like an unreachable one.
	Ping(ctx context.Context) error
}

// Storage is every storage port authd needs, as one value: a backend
// provides all of them over one database, so a team plugging in its own
// (or memstore in tests) hands over one thing. Every field is required.
type Storage struct {
	Users         UserRepository
	Sessions      SessionRepository
	Tokens        OneTimeTokenRepository
	MFA           MFARepository
	MFAChallenges MFAChallengeRepository
	Health        HealthChecker
}

// Check reports the first missing port, naming it.
func (s Storage) Check() error {
	switch {
	case s.Users == nil:
		return errors.New("storage: Users is nil")
	case s.Sessions == nil:
		return errors.New("storage: Sessions is nil")
	case s.Tokens == nil:
		return errors.New("storage: Tokens is nil")
	case s.MFA == nil:
		return errors.New("storage: MFA is nil")
	case s.MFAChallenges == nil:
		return errors.New("storage: MFAChallenges is nil")
	case s.Health == nil:
		return errors.New("storage: Health is nil")
	}
	return nil
}
