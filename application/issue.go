package application

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"

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
	audit    ports.AuditLog
	claims   ports.ClaimsHook // nil: no extra claims
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
	// Asked before the write, so a failing hook leaves no session behind.
	extra, err := i.extraClaims(ctx, u, s)
	if err != nil {
		return ports.Tokens{}, err
	}
	if err := i.sessions.Create(ctx, s); err != nil {
		return ports.Tokens{}, fmt.Errorf("create session: %w", err)
	}
	if err := i.enforceLimit(ctx, s); err != nil {
		return ports.Tokens{}, err
	}
	return i.pair(u, s, extra)
}

// extraClaims asks the claims hook what u's access token in s carries
// beyond authd's own claims, refusing any registered claim name.
func (i *issuer) extraClaims(ctx context.Context, u domain.User, s domain.Session) (map[string]any, error) {
	if i.claims == nil {
		return nil, nil
	}
	extra, err := i.claims.AccessClaims(ctx, u, s)
	if err != nil {
		return nil, fmt.Errorf("claims hook: %w", err)
	}
	if err := domain.CheckExtraClaims(extra); err != nil {
		return nil, fmt.Errorf("claims hook: %w", err)
	}
	return extra, nil
}

// enforceLimit ends the user's least recently used sessions beyond
// Policy.MaxSessionsPerUser once s exists, so s is never the one ended by
// its own login. Should that fail, s is ended too: the caller sees an
// error and no session it was not told about stays live.
func (i *issuer) enforceLimit(ctx context.Context, s domain.Session) error {
	limit := i.policy.MaxSessionsPerUser
	if limit < 1 {
		return nil
	}
	now := i.clock.Now()
	n, err := i.sessions.RevokeOverLimit(ctx, s.UserID(), s.ID(), limit, now, domain.RevokeSessionLimit)
	if err != nil {
		err = fmt.Errorf("end sessions over the limit: %w", err)
		if _, rerr := i.sessions.Revoke(context.WithoutCancel(ctx), s.ID(), now, domain.RevokeSessionLimit); rerr != nil {
			err = errors.Join(err, fmt.Errorf("end the new session: %w", rerr))
		}
		return err
	}
	if n > 0 {
		i.audit.Record(ctx, domain.AuditEvent{
			Kind: domain.AuditSessionEnded, At: now, UserID: s.UserID(), IP: s.IP(),
			Reason: domain.RevokeSessionLimit, Detail: map[string]string{"sessions": strconv.Itoa(n)},
		})
	}
	return nil
}

// pair mints the access token for u in session s, carrying s's amr and
// extra, and the refresh token of s's current generation. The refresh token
// is a pure function of the row, so every caller that sees the same
// generation gets the same token.
func (i *issuer) pair(u domain.User, s domain.Session, extra map[string]any) (ports.Tokens, error) {
	now := i.clock.Now()
	jti, err := domain.NewID(rand.Reader)
	if err != nil {
		return ports.Tokens{}, err
	}
	access, err := i.tokens.Issue(domain.AccessClaims{
		Subject: u.ID(), Role: u.Role(), SessionID: s.ID(), ID: jti,
		IssuedAt: now, ExpiresAt: now.Add(i.policy.AccessTTL), AMR: s.AMR(), Extra: extra,
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
