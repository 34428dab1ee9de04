package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// maxRotationAttempts bounds how often a refresh re-reads a row after losing
// a rotation race; after one loss the row is either replayable or ended.
const maxRotationAttempts = 3

// Refresh rotates a refresh token per the rotation rules.
func (a *Auth) Refresh(ctx context.Context, raw string, client domain.Client) (ports.Tokens, error) {
	tokens, err := a.refresh(ctx, raw, client)
	a.recordRejection(ctx, err, client)
	return tokens, err
}

// recordRejection audits an invalid or expired refresh token, so failed
// refreshes are visible (and countable) like failed logins.
func (a *Auth) recordRejection(ctx context.Context, err error, client domain.Client) {
	switch {
	case errors.Is(err, domain.ErrRefreshInvalid):
		a.record(ctx, domain.AuditRefreshRejected, "", "", client.IP, "invalid")
	case errors.Is(err, domain.ErrRefreshExpired):
		a.record(ctx, domain.AuditRefreshRejected, "", "", client.IP, "expired")
	}
}

func (a *Auth) refresh(ctx context.Context, raw string, client domain.Client) (ports.Tokens, error) {
	t, s, u, err := a.authenticRefresh(ctx, raw)
	if err != nil {
		return ports.Tokens{}, err
	}
	for range maxRotationAttempts {
		now := a.issuer.clock.Now()
		decision, err := domain.DecideRefresh(s, t.Generation, now, a.policy.Session)
		if err != nil {
			return ports.Tokens{}, err
		}
		if decision == domain.DecideRevoke {
			return ports.Tokens{}, a.revokeStolen(ctx, s, t.Generation, client)
		}
		// Asked before rotating, so a failing hook leaves the session as it was.
		extra, err := a.issuer.extraClaims(ctx, u, s)
		if err != nil {
			return ports.Tokens{}, err
		}
		if decision == domain.DecideReplay {
			a.record(ctx, domain.AuditRefreshReplayed, u.ID(), s.ID(), client.IP, "")
			return a.issuer.pair(u, s, extra)
		}
		next := s.Rotated(now, a.policy.Session, client)
		won, err := a.sessions.Rotate(ctx, next, now)
		if err != nil {
			return ports.Tokens{}, fmt.Errorf("rotate session: %w", err)
		}
		if won {
			a.record(ctx, domain.AuditSessionRotated, u.ID(), s.ID(), client.IP, "")
			return a.issuer.pair(u, next, extra)
		}
		if s, err = a.sessions.ByID(ctx, s.ID()); err != nil {
			return ports.Tokens{}, refreshLookupError(err)
		}
	}
	return ports.Tokens{}, fmt.Errorf("session %s: rotation did not settle after %d attempts", s.ID(), maxRotationAttempts)
}

// authenticRefresh parses raw, loads its session with the session's user
// in one read and checks the MAC. Every failure here is ErrRefreshInvalid
// and never counts as reuse: only a token we minted can revoke a session.
func (a *Auth) authenticRefresh(ctx context.Context, raw string) (domain.RefreshToken, domain.Session, domain.User, error) {
	t, err := domain.ParseRefreshToken(raw)
	if err != nil {
		return t, domain.Session{}, domain.User{}, err
	}
	s, u, err := a.sessions.ByIDWithUser(ctx, t.SessionID)
	if err != nil {
		return t, domain.Session{}, domain.User{}, refreshLookupError(err)
	}
	if !a.issuer.key.Verify(t, s) {
		return t, domain.Session{}, domain.User{}, domain.ErrRefreshInvalid
	}
	return t, s, u, nil
}

func refreshLookupError(err error) error {
	if errors.Is(err, domain.ErrNotFound) {
		return domain.ErrRefreshInvalid
	}
	return fmt.Errorf("load session: %w", err)
}

// revokeStolen ends a session whose spent token came back and reports reuse.
func (a *Auth) revokeStolen(ctx context.Context, s domain.Session, presented uint64, client domain.Client) error {
	if _, err := a.sessions.Revoke(ctx, s.ID(), a.issuer.clock.Now(), domain.RevokeReuse); err != nil {
		return fmt.Errorf("revoke reused session: %w", err)
	}
	a.audit.Record(ctx, domain.AuditEvent{
		Kind: domain.AuditRefreshReused, At: a.issuer.clock.Now(), UserID: s.UserID(), SessionID: s.ID(),
		IP: client.IP, Reason: domain.RevokeReuse,
		Detail: map[string]string{
			"presentedGeneration": strconv.FormatUint(presented, 10),
			"currentGeneration":   strconv.FormatUint(s.Generation(), 10),
			"generationGap":       strconv.FormatUint(s.Generation()-presented, 10),
		},
	})
	return domain.ErrRefreshReused
}

// Logout ends the session of an authentic refresh token of any generation:
// ending a session only ever takes access away, so even a spent token may
// do it. Unknown, forged or ended tokens are not an error.
func (a *Auth) Logout(ctx context.Context, raw string) error {
	_, s, _, err := a.authenticRefresh(ctx, raw)
	if errors.Is(err, domain.ErrRefreshInvalid) {
		return nil
	}
	if err != nil {
		return err
	}
	ended, err := a.sessions.Revoke(ctx, s.ID(), a.issuer.clock.Now(), domain.RevokeLogout)
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if ended {
		a.record(ctx, domain.AuditLogout, s.UserID(), s.ID(), "", "")
	}
	return nil
}

// LogoutAll ends every session of userID.
func (a *Auth) LogoutAll(ctx context.Context, userID string) error {
	n, err := a.sessions.RevokeAllForUser(ctx, userID, "", a.issuer.clock.Now(), domain.RevokeLogoutAll)
	if err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	a.audit.Record(ctx, domain.AuditEvent{
		Kind: domain.AuditLogoutAll, At: a.issuer.clock.Now(), UserID: userID,
		Detail: map[string]string{"sessions": strconv.Itoa(n)},
	})
	return nil
}
