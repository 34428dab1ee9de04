package application

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// authenticRefreshWithUser is authenticRefresh plus the session's user
// (whose current role the new access token carries). A repository that can
// join them (ports.SessionWithUserReader) answers in one round trip; the
// outcome is the same either way: any missing row or bad MAC is
// ErrRefreshInvalid, and only a token we minted goes on to the rules.
func (a *Auth) authenticRefreshWithUser(ctx context.Context, raw string) (domain.RefreshToken, domain.Session, domain.User, error) {
	joined, ok := a.sessions.(ports.SessionWithUserReader)
	if !ok {
		return a.authenticThenLoadUser(ctx, raw)
	}
	t, err := domain.ParseRefreshToken(raw)
	if err != nil {
		return t, domain.Session{}, domain.User{}, err
	}
	s, u, err := joined.ByIDWithUser(ctx, t.SessionID)
	if err != nil {
		return t, domain.Session{}, domain.User{}, refreshLookupError(err)
	}
	if !a.issuer.key.Verify(t, s) {
		return t, domain.Session{}, domain.User{}, domain.ErrRefreshInvalid
	}
	return t, s, u, nil
}

// authenticThenLoadUser is the two-read path for repositories without the
// joined read.
func (a *Auth) authenticThenLoadUser(ctx context.Context, raw string) (domain.RefreshToken, domain.Session, domain.User, error) {
	t, s, err := a.authenticRefresh(ctx, raw)
	if err != nil {
		return t, s, domain.User{}, err
	}
	u, err := a.users.ByID(ctx, s.UserID())
	if errors.Is(err, domain.ErrNotFound) {
		return t, s, domain.User{}, domain.ErrRefreshInvalid
	}
	if err != nil {
		return t, s, domain.User{}, fmt.Errorf("load session user: %w", err)
	}
	return t, s, u, nil
}
