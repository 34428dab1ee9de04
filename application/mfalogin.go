package application

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// challenge starts the second step of u's login, bound to the device it
// proved and its transport, and answers with the mfaToken.
func (m *MFA) challenge(ctx context.Context, u domain.User, deviceID string, c ports.Credentials) error {
	now := m.clock.Now()
	raw, ch, err := domain.NewMFAChallenge(rand.Reader, u, deviceID, c.CookieTransport, now)
	if err != nil {
		return err
	}
	if err := m.challenges.Create(ctx, ch); err != nil {
		return fmt.Errorf("store mfa challenge: %w", err)
	}
	m.record(ctx, domain.AuditMFARequired, u.ID(), c.Client.IP, nil)
	return &domain.MFARequiredError{Token: raw, ExpiresIn: ch.ExpiresIn(now)}
}

// secondStep checks p under the login throttle of the challenge's account,
// from p's address (or its device's own counter), and returns the user,
// the spent challenge and the amr of the session to open. Wrong codes
// count as failed logins; a right one forgives the client's own counters.
func (m *MFA) secondStep(ctx context.Context, p ports.MFAProof) (domain.User, domain.MFAChallenge, []string, error) {
	if p.Token == "" {
		return domain.User{}, domain.MFAChallenge{}, nil, domain.NewValidationError("mfaToken", "is required")
	}
	if p.Code == "" {
		return domain.User{}, domain.MFAChallenge{}, nil, domain.NewValidationError("code", "is required")
	}
	u, ch, err := m.pendingChallenge(ctx, p.Token)
	if err != nil {
		return domain.User{}, domain.MFAChallenge{}, nil, err
	}
	rule := m.limits.ForLogin(domain.LoginAttempt{Account: u.Email().String(), Address: p.Client.IP, Device: ch.DeviceID()})
	if err := m.throttle.Check(ctx, rule.All(), m.clock.Now()); err != nil {
		m.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditLoginFailed, At: m.clock.Now(), UserID: u.ID(),
			IP: p.Client.IP, Reason: "throttled"})
		return domain.User{}, domain.MFAChallenge{}, nil, err
	}
	amr, err := m.tryCode(ctx, ch, p.Code, p.Client, m.clock.Now())
	settle(ctx, m.throttle, rule, err, m.clock.Now())
	if errors.Is(err, domain.ErrMFACodeInvalid) {
		m.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditLoginFailed, At: m.clock.Now(), UserID: u.ID(),
			IP: p.Client.IP, Reason: "mfa_code_invalid"})
	}
	if err != nil {
		return domain.User{}, domain.MFAChallenge{}, nil, err
	}
	return u, ch, amr, nil
}

// pendingChallenge finds the usable challenge of raw and its user; anything
// else (never minted, spent, expired, exhausted, user gone, password
// changed since the login) is ErrMFATokenInvalid.
func (m *MFA) pendingChallenge(ctx context.Context, raw string) (domain.User, domain.MFAChallenge, error) {
	hash, err := domain.MFATokenHash(raw)
	if err != nil {
		return domain.User{}, domain.MFAChallenge{}, err
	}
	ch, err := m.challenges.ByHash(ctx, hash)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && !ch.Usable(m.clock.Now())) {
		return domain.User{}, domain.MFAChallenge{}, domain.ErrMFATokenInvalid
	}
	if err != nil {
		return domain.User{}, domain.MFAChallenge{}, fmt.Errorf("load mfa challenge: %w", err)
	}
	u, err := m.users.ByID(ctx, ch.UserID())
	if errors.Is(err, domain.ErrNotFound) || (err == nil && !ch.IssuedFor(u)) {
		return domain.User{}, domain.MFAChallenge{}, domain.ErrMFATokenInvalid
	}
	if err != nil {
		return domain.User{}, domain.MFAChallenge{}, fmt.Errorf("load user: %w", err)
	}
	return u, ch, nil
}

// tryCode takes one of the challenge's attempts before looking at the code,
// so parallel guesses cannot exceed domain.MaxMFAAttempts, then spends the
// code and the challenge, each by a conditional update.
func (m *MFA) tryCode(ctx context.Context, ch domain.MFAChallenge, code string, client domain.Client, now time.Time) ([]string, error) {
	won, err := m.challenges.Attempt(ctx, ch.Hash(), now)
	if err != nil {
		return nil, fmt.Errorf("count mfa attempt: %w", err)
	}
	if !won {
		return nil, domain.ErrMFATokenInvalid
	}
	rec, err := m.records.ByUser(ctx, ch.UserID())
	if errors.Is(err, domain.ErrNotFound) || (err == nil && !rec.Enabled()) {
		return nil, domain.ErrMFATokenInvalid // MFA was turned off since the login: log in again
	}
	if err != nil {
		return nil, fmt.Errorf("load mfa: %w", err)
	}
	amr, err := m.checkCode(ctx, rec, code, client, now)
	if err != nil {
		return nil, err
	}
	spent, err := m.challenges.Spend(ctx, ch.Hash(), now)
	if err != nil {
		return nil, fmt.Errorf("spend mfa challenge: %w", err)
	}
	if !spent {
		return nil, domain.ErrMFATokenInvalid
	}
	return amr, nil
}

// VerifyMFA is the second login step: a right code opens the session the
// login asked for, with the amr the code earned.
func (a *Auth) VerifyMFA(ctx context.Context, p ports.MFAProof) (ports.Tokens, bool, error) {
	u, ch, amr, err := a.mfa.secondStep(ctx, p)
	if err != nil {
		return ports.Tokens{}, false, err
	}
	tokens, err := a.signIn(ctx, u, p.Client, ch.DeviceID(), amr)
	if err != nil {
		return ports.Tokens{}, false, err
	}
	a.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditLoginSucceeded, At: a.issuer.clock.Now(), UserID: u.ID(),
		SessionID: tokens.SessionID, IP: p.Client.IP, Detail: map[string]string{"amr": strings.Join(amr, " ")}})
	return tokens, ch.CookieTransport(), nil
}
