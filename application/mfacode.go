package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/authd-dev/authd/domain"
)

// checkCode accepts a TOTP code of rec's secret or one of its recovery
// codes, spending it, and returns the amr a session opened with it gets. A
// TOTP code's step must be after the last accepted one, and is recorded
// by a conditional update, so of two requests with one code one wins.
func (m *MFA) checkCode(ctx context.Context, rec domain.MFA, code string, client domain.Client, now time.Time) ([]string, error) {
	if domain.IsTOTPCode(code) {
		step, err := m.matchTOTP(ctx, rec, code, now)
		if err != nil {
			return nil, err
		}
		won, err := m.records.AcceptStep(ctx, rec.UserID(), step, now)
		if err != nil {
			return nil, fmt.Errorf("accept totp step: %w", err)
		}
		if !won {
			return nil, domain.ErrMFACodeInvalid // replayed, or lost to a parallel request
		}
		return domain.AMRPasswordAndTOTP(), nil
	}
	canonical, ok := domain.NormaliseRecoveryCode(code)
	if !ok {
		return nil, domain.ErrMFACodeInvalid
	}
	won, err := m.records.SpendRecoveryCode(ctx, rec.UserID(), m.sealer.Digests(canonical, rec.UserID()), now)
	if err != nil {
		return nil, fmt.Errorf("spend recovery code: %w", err)
	}
	if !won {
		return nil, domain.ErrMFACodeInvalid
	}
	left, err := m.records.RecoveryCodesLeft(ctx, rec.UserID())
	detail := map[string]string{"left": strconv.Itoa(left)}
	if err != nil {
		detail = nil
	}
	m.record(ctx, domain.AuditRecoveryCodeUsed, rec.UserID(), client.IP, detail)
	return domain.AMRPasswordAndRecoveryCode(), nil
}

// Disable turns MFA off after the password and a code check out.
func (m *MFA) Disable(ctx context.Context, userID, sessionID, password, code string, client domain.Client) error {
	if err := m.reauthenticate(ctx, userID, sessionID, password, code, client); err != nil {
		return err
	}
	if _, err := m.records.Delete(ctx, userID); err != nil {
		return fmt.Errorf("delete mfa: %w", err)
	}
	m.record(ctx, domain.AuditMFADisabled, userID, client.IP, nil)
	return nil
}

// RegenerateRecoveryCodes replaces every recovery code after the password
// and a code check out; the old codes stop working at once.
func (m *MFA) RegenerateRecoveryCodes(ctx context.Context, userID, sessionID, password, code string, client domain.Client) ([]string, error) {
	if err := m.reauthenticate(ctx, userID, sessionID, password, code, client); err != nil {
		return nil, err
	}
	codes, digests, err := m.newRecoveryCodes(userID)
	if err != nil {
		return nil, err
	}
	if err := m.records.ReplaceRecoveryCodes(ctx, userID, digests, m.clock.Now()); err != nil {
		return nil, fmt.Errorf("replace recovery codes: %w", err)
	}
	m.record(ctx, domain.AuditRecoveryCodesRegenerated, userID, client.IP, nil)
	return codes, nil
}

// reauthenticate checks the caller's password and a code of its enabled
// MFA under the password-change counters, so a stolen access token is no
// unthrottled oracle for either.
func (m *MFA) reauthenticate(ctx context.Context, userID, sessionID, password, code string, client domain.Client) error {
	switch {
	case password == "":
		return domain.NewValidationError("password", "is required")
	case code == "":
		return domain.NewValidationError("code", "is required")
	}
	u, err := m.caller(ctx, userID)
	if err != nil {
		return err
	}
	rec, err := m.records.ByUser(ctx, userID)
	switch {
	case errors.Is(err, domain.ErrNotFound) || (err == nil && !rec.Enabled()):
		return domain.ErrMFANotEnabled
	case err != nil:
		return fmt.Errorf("load mfa: %w", err)
	}
	rule := m.limits.ForPasswordChange(userID, sessionID, client.IP)
	if err := m.throttle.Check(ctx, rule.All(), m.clock.Now()); err != nil {
		return err
	}
	err = verifyPassword(ctx, m.hasher, u, password)
	if err == nil {
		_, err = m.checkCode(ctx, rec, code, client, m.clock.Now())
	}
	settle(ctx, m.throttle, rule, err, m.clock.Now())
	return err
}
