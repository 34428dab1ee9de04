package application

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// issuer opens sessions and mints token pairs; every flow that hands out
// tokens goes through it so they all look the same.
type issuer struct {
	tokens   ports.AccessTokenIssuer
	key      domain.RefreshKey
	clock    ports.Clock
	sessions ports.SessionRepository
	policy   Policy
}

// openSession starts a new session (generation 1) for u, authenticated by amr.
func (i *issuer) openSession(ctx context.Context, u domain.User, client domain.Client, amr []string) (ports.Tokens, error) {
	id, err := domain.NewID(rand.Reader)
	if err != nil {
		return ports.Tokens{}, err
	}
	salt := make([]byte, domain.SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return ports.Tokens{}, fmt.Errorf("session salt: %w", err)
	}
	s, err := domain.NewSession(id, u.ID(), salt, client, i.clock.Now(), i.policy.Session)
	if err != nil {
		return ports.Tokens{}, err
	}
	s = s.WithAMR(amr)
	if err := i.sessions.Create(ctx, s); err != nil {
		return ports.Tokens{}, fmt.Errorf("create session: %w", err)
	}
	return i.pair(u, s)
}

// pair mints the access token for u in session s, carrying s's amr, and the
// refresh token of s's current generation. The refresh token is a pure function of the row,
// so every caller that sees the same generation gets the same token.
func (i *issuer) pair(u domain.User, s domain.Session) (ports.Tokens, error) {
	now := i.clock.Now()
	jti, err := domain.NewID(rand.Reader)
	if err != nil {
		return ports.Tokens{}, err
	}
	access, err := i.tokens.Issue(domain.AccessClaims{
		Subject: u.ID(), Role: u.Role(), SessionID: s.ID(), ID: jti,
		IssuedAt: now, ExpiresAt: now.Add(i.policy.AccessTTL), AMR: s.AMR(),
	})
	if err != nil {
		return ports.Tokens{}, fmt.Errorf("sign access token: %w", err)
	}
	return ports.Tokens{
		AccessToken:  access,
		RefreshToken: i.key.MintRefreshToken(s, s.Generation()),
		ExpiresIn:    i.policy.AccessTTL,
		SessionID:    s.ID(),
		RefreshTTL:   s.ExpiresAt().Sub(now),
	}, nil
}
