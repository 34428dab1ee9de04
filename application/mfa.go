package application

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// MFA implements ports.MFAService (a user's own TOTP enrolment) and holds
// the second login step that Auth runs.
type MFA struct {
	users      ports.UserRepository
	records    ports.MFARepository
	challenges ports.MFAChallengeRepository
	otp        ports.OTP
	sealer     ports.SecretSealer
	hasher     ports.PasswordHasher
	throttle   ports.LoginThrottle
	clock      ports.Clock
	audit      ports.AuditLog
	limits     domain.LoginLimits
}

var _ ports.MFAService = (*MFA)(nil)

// NewMFA builds the two-factor use cases. Wrong codes at login count on
// the login throttle (policy.Login.ForLogin); wrong passwords and codes at
// disable and recovery-code regeneration count like a password change's
// (policy.Login.ForPasswordChange).
func NewMFA(users ports.UserRepository, records ports.MFARepository, challenges ports.MFAChallengeRepository,
	otp ports.OTP, sealer ports.SecretSealer, hasher ports.PasswordHasher, throttle ports.LoginThrottle,
	clock ports.Clock, audit ports.AuditLog, policy Policy) *MFA {
	return &MFA{users: users, records: records, challenges: challenges, otp: otp, sealer: sealer, hasher: hasher,
		throttle: throttle, clock: clock, audit: audit, limits: policy.Login}
}

// Enroll draws a new secret and stores it sealed as a pending enrolment,
// replacing a pending one.
func (m *MFA) Enroll(ctx context.Context, userID string) (ports.TOTPKey, error) {
	u, err := m.caller(ctx, userID)
	if err != nil {
		return ports.TOTPKey{}, err
	}
	switch rec, err := m.records.ByUser(ctx, userID); {
	case err == nil && rec.Enabled():
		return ports.TOTPKey{}, domain.ErrMFAAlreadyEnabled
	case err != nil && !errors.Is(err, domain.ErrNotFound):
		return ports.TOTPKey{}, fmt.Errorf("load mfa: %w", err)
	}
	key, err := m.otp.NewKey(u.Email().String())
	if err != nil {
		return ports.TOTPKey{}, err
	}
	sealed, err := m.sealer.Seal([]byte(key.Secret), userID)
	if err != nil {
		return ports.TOTPKey{}, fmt.Errorf("seal totp secret: %w", err)
	}
	pending, err := domain.NewPendingMFA(userID, sealed, m.clock.Now())
	if err != nil {
		return ports.TOTPKey{}, err
	}
	if err := m.records.SavePending(ctx, pending); err != nil {
		return ports.TOTPKey{}, gone(err)
	}
	return key, nil
}

// Confirm checks a first code against the pending secret, switches MFA on
// and hands out the recovery codes. The code's step counts as used.
func (m *MFA) Confirm(ctx context.Context, userID, code string) ([]string, error) {
	if code == "" {
		return nil, domain.NewValidationError("code", "is required")
	}
	if _, err := m.caller(ctx, userID); err != nil {
		return nil, err
	}
	rec, err := m.records.ByUser(ctx, userID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return nil, domain.ErrMFANotPending
	case err != nil:
		return nil, fmt.Errorf("load mfa: %w", err)
	case rec.Enabled():
		return nil, domain.ErrMFAAlreadyEnabled
	}
	now := m.clock.Now()
	step, err := m.matchTOTP(ctx, rec, code, now)
	if err != nil {
		return nil, err
	}
	codes, digests, err := m.newRecoveryCodes(userID)
	if err != nil {
		return nil, err
	}
	won, err := m.records.Enable(ctx, rec.Enable(step, now), digests)
	if err != nil {
		return nil, fmt.Errorf("enable mfa: %w", err)
	}
	if !won {
		return nil, domain.ErrMFANotPending // re-enrolled or confirmed meanwhile
	}
	m.record(ctx, domain.AuditMFAEnabled, userID, "", nil)
	return codes, nil
}

// Enabled reports whether userID has MFA on.
func (m *MFA) Enabled(ctx context.Context, userID string) (bool, error) {
	rec, err := m.records.ByUser(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load mfa: %w", err)
	}
	return rec.Enabled(), nil
}

// Status returns the caller's record and its MFA state in one read.
func (m *MFA) Status(ctx context.Context, userID string) (domain.User, bool, error) {
	u, on, err := m.records.UserWithMFA(ctx, userID)
	if err != nil {
		return domain.User{}, false, gone(err)
	}
	return u, on, nil
}

// caller reads the signed-in user; one that no longer exists makes the
// token invalid.
func (m *MFA) caller(ctx context.Context, userID string) (domain.User, error) {
	u, err := m.users.ByID(ctx, userID)
	if err != nil {
		return domain.User{}, gone(err)
	}
	return u, nil
}

// gone turns a vanished user into an invalid credential.
func gone(err error) error {
	if errors.Is(err, domain.ErrNotFound) {
		return domain.ErrTokenInvalid
	}
	return err
}

// open decrypts rec's secret; one sealed under a retired key is sealed
// anew under the current key, best effort, so retired keys can be dropped
// once every enrolment has been used.
func (m *MFA) open(ctx context.Context, rec domain.MFA) (string, error) {
	plain, current, err := m.sealer.Open(rec.Secret(), rec.UserID())
	if err != nil {
		return "", fmt.Errorf("open totp secret of %s: %w", rec.UserID(), err)
	}
	if !current {
		if sealed, err := m.sealer.Seal(plain, rec.UserID()); err == nil {
			_, _ = m.records.Reseal(ctx, rec.UserID(), rec.Secret(), sealed, m.clock.Now())
		}
	}
	return string(plain), nil
}

// matchTOTP returns the step of rec's secret that code belongs to, among
// the steps rec still accepts at now; no match is ErrMFACodeInvalid. The
// step is not recorded here: callers spend it by a conditional update.
func (m *MFA) matchTOTP(ctx context.Context, rec domain.MFA, code string, now time.Time) (uint64, error) {
	secret, err := m.open(ctx, rec)
	if err != nil {
		return 0, err
	}
	step, ok := m.otp.Match(secret, code, rec.CandidateSteps(now))
	if !ok {
		return 0, domain.ErrMFACodeInvalid
	}
	return step, nil
}

// newRecoveryCodes draws the codes to show and their digests to store.
func (m *MFA) newRecoveryCodes(userID string) ([]string, [][]byte, error) {
	codes, err := domain.NewRecoveryCodes(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	digests := make([][]byte, len(codes))
	for i, c := range codes {
		canonical, _ := domain.NormaliseRecoveryCode(c)
		digests[i] = m.sealer.Digests(canonical, userID)[0]
	}
	return codes, digests, nil
}

func (m *MFA) record(ctx context.Context, kind domain.AuditKind, userID, ip string, detail map[string]string) {
	m.audit.Record(ctx, domain.AuditEvent{Kind: kind, At: m.clock.Now(), UserID: userID, IP: ip, Detail: detail})
}
