package ports

import (
	"context"

	"github.com/authd-dev/authd/domain"
)

// SessionWithUserReader is an optional capability of a SessionRepository:
// reading a session together with its user in one round trip, which every
// refresh needs (the MAC needs the session's salt, the access token the
// user's current role). Repositories without it are read twice.
type SessionWithUserReader interface {
	// ByIDWithUser returns the session with id and the user it belongs to,
	// or domain.ErrNotFound when there is no such session (or user).
	ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error)
}
