package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authd-dev/authd/domain"
)

// MFA implements ports.MFARepository. Recovery codes exist only for an
// enabled enrolment: Enable writes them, SavePending (only possible while
// not enabled) and Delete remove them.
type MFA struct {
	db *DB
}

// NewMFA returns the enrolment repository on db; each call is bounded by
// pool.QueryTimeout.
func NewMFA(db *DB) *MFA { return &MFA{db: db} }

// userWithMFASQL reads a user and counts its enabled enrolment (0 or 1)
// in one statement, portable to every backend.
var userWithMFASQL = "SELECT " + qualified("u", userColumns) + ", (SELECT COUNT(*) FROM user_mfa m " +
	"WHERE m.user_id = u.id AND m.enabled_at IS NOT NULL) FROM users u WHERE u.id = ?"

// The statements of the enrolment and its recovery codes.
const (
	mfaByUserSQL      = "SELECT " + mfaColumns + " FROM user_mfa WHERE user_id = ?"
	replacePendingSQL = "UPDATE user_mfa SET totp_secret = ?, last_step = 0, created_at = ?, updated_at = ? " +
		"WHERE user_id = ? AND enabled_at IS NULL"
	enableMFASQL = "UPDATE user_mfa SET enabled_at = ?, last_step = ?, updated_at = ? " +
		"WHERE user_id = ? AND enabled_at IS NULL AND totp_secret = ?"
	acceptStepSQL = "UPDATE user_mfa SET last_step = ?, updated_at = ? " +
		"WHERE user_id = ? AND enabled_at IS NOT NULL AND last_step < ?"
	resealSQL      = "UPDATE user_mfa SET totp_secret = ?, updated_at = ? WHERE user_id = ? AND totp_secret = ?"
	enabledMFASQL  = "SELECT 1 FROM user_mfa WHERE user_id = ? AND enabled_at IS NOT NULL"
	codesLeftSQL   = "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL"
	deleteCodesSQL = "DELETE FROM mfa_recovery_codes WHERE user_id = ?"
	deleteMFASQL   = "DELETE FROM user_mfa WHERE user_id = ?"
)

// UserWithMFA is GET /v1/auth/me's one read.
func (r *MFA) UserWithMFA(ctx context.Context, id string) (domain.User, bool, error) {
	var row userRow
	var enabled int64
	if err := r.db.queryRow(ctx, "user with mfa", userWithMFASQL, []any{id}, append(row.fields(), &enabled)...); err != nil {
		return domain.User{}, false, err
	}
	u, err := row.domain()
	if err != nil {
		return domain.User{}, false, fmt.Errorf("sqlstore: user with mfa: stored user %s: %w", row.ID, err)
	}
	return u, enabled > 0, nil
}

// errMFALost rolls back a transaction whose condition no longer held.
var errMFALost = errors.New("mfa enrolment changed meanwhile")

// ByUser returns userID's enrolment, or domain.ErrNotFound.
func (r *MFA) ByUser(ctx context.Context, userID string) (domain.MFA, error) {
	var row mfaRow
	if err := r.db.queryRow(ctx, "mfa by user", mfaByUserSQL, []any{userID}, row.fields()...); err != nil {
		return domain.MFA{}, err
	}
	return row.domain(), nil
}

// SavePending replaces a pending enrolment or inserts one; two parallel
// enrolments of one user end with one of them, never an error.
func (r *MFA) SavePending(ctx context.Context, m domain.MFA) error {
	row := toMFARow(m)
	for range 2 {
		n, err := r.db.exec(ctx, "replace pending mfa", replacePendingSQL,
			row.TOTPSecret, row.CreatedAt, row.UpdatedAt, row.UserID)
		if err != nil || n == 1 {
			return err
		}
		_, err = r.db.exec(ctx, "insert pending mfa", insertSQL("user_mfa", mfaColumns), row.values()...)
		if !isUniqueViolation(err) {
			return unknownUser(err, "save pending mfa", row.UserID)
		}
		// A row appeared since the UPDATE: enabled, or a parallel enrolment.
	}
	return fmt.Errorf("sqlstore: save pending mfa: %w", domain.ErrMFAAlreadyEnabled)
}

// Enable switches on the pending enrolment whose sealed secret is on's and
// stores the recovery codes, in one transaction.
func (r *MFA) Enable(ctx context.Context, on domain.MFA, codes [][]byte) (bool, error) {
	row := toMFARow(on)
	err := r.db.inTx(ctx, "enable mfa", func(ctx context.Context, tx runner) error {
		n, err := tx.exec(ctx, enableMFASQL, row.EnabledAt, row.LastStep, row.UpdatedAt, row.UserID, row.TOTPSecret)
		if err != nil {
			return err
		}
		if n != 1 {
			return errMFALost
		}
		return replaceCodes(ctx, tx, row.UserID, codes, row.UpdatedAt)
	})
	if errors.Is(err, errMFALost) {
		return false, nil
	}
	return err == nil, err
}

// AcceptStep raises last_step of an enabled enrolment in one conditional
// UPDATE: of two requests with one code, the second matches no row.
func (r *MFA) AcceptStep(ctx context.Context, userID string, step uint64, now time.Time) (bool, error) {
	n, err := r.db.exec(ctx, "accept totp step", acceptStepSQL, int64(step), ts(now), userID, int64(step))
	return n == 1, err
}

// Reseal swaps the sealed secret if it is still old.
func (r *MFA) Reseal(ctx context.Context, userID string, old, new []byte, now time.Time) (bool, error) {
	n, err := r.db.exec(ctx, "reseal totp secret", resealSQL, new, ts(now), userID, old)
	return n == 1, err
}

// SpendRecoveryCode marks one unused code among digests as used in one
// conditional UPDATE: of parallel spends of one code, one matches the row.
func (r *MFA) SpendRecoveryCode(ctx context.Context, userID string, digests [][]byte, now time.Time) (bool, error) {
	if len(digests) == 0 {
		return false, nil
	}
	args := []any{ts(now), userID}
	for _, d := range digests {
		args = append(args, d)
	}
	query := "UPDATE mfa_recovery_codes SET used_at = ? " +
		"WHERE user_id = ? AND digest IN (" + placeholders(len(digests)) + ") AND used_at IS NULL"
	n, err := r.db.exec(ctx, "spend recovery code", query, args...)
	return n >= 1, err
}

// ReplaceRecoveryCodes swaps every code of an enabled enrolment, holding
// its row so a parallel Delete or Reset waits.
func (r *MFA) ReplaceRecoveryCodes(ctx context.Context, userID string, codes [][]byte, now time.Time) error {
	return r.db.inTx(ctx, "replace recovery codes", func(ctx context.Context, tx runner) error {
		var one int
		err := tx.queryRow(ctx, enabledMFASQL+r.db.forUpdate(), []any{userID}, &one)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrMFANotEnabled
		}
		if err != nil {
			return err
		}
		return replaceCodes(ctx, tx, userID, codes, now)
	})
}

// RecoveryCodesLeft counts userID's unused codes.
func (r *MFA) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int64
	err := r.db.queryRow(ctx, "count recovery codes", codesLeftSQL, []any{userID}, &n)
	return int(n), err
}

// Delete removes userID's enrolment and codes.
func (r *MFA) Delete(ctx context.Context, userID string) (bool, error) {
	removed := false
	err := r.db.inTx(ctx, "delete mfa", func(ctx context.Context, tx runner) (err error) {
		removed, err = deleteMFA(ctx, tx, userID)
		return err
	})
	return removed, err
}

// Reset removes userID's enrolment and codes and ends its sessions, in one
// transaction.
func (r *MFA) Reset(ctx context.Context, userID string, now time.Time, reason string) (bool, int, error) {
	removed, ended := false, int64(0)
	err := r.db.inTx(ctx, "reset mfa", func(ctx context.Context, tx runner) error {
		var err error
		if removed, err = deleteMFA(ctx, tx, userID); err != nil {
			return err
		}
		ended, err = tx.exec(ctx, revokeUserSessionsSQL, ts(now), reason, userID, noSession)
		return err
	})
	if err != nil {
		return false, 0, err
	}
	return removed, int(ended), nil
}

func deleteMFA(ctx context.Context, tx runner, userID string) (bool, error) {
	if _, err := tx.exec(ctx, deleteCodesSQL, userID); err != nil {
		return false, err
	}
	n, err := tx.exec(ctx, deleteMFASQL, userID)
	return n == 1, err
}

// replaceCodes deletes userID's codes, then inserts codes as one
// multi-row INSERT.
func replaceCodes(ctx context.Context, tx runner, userID string, codes [][]byte, now time.Time) error {
	if _, err := tx.exec(ctx, deleteCodesSQL, userID); err != nil {
		return err
	}
	if len(codes) == 0 {
		return nil
	}
	rows := recoveryRows(userID, codes, now)
	args := make([]any, 0, len(rows)*4)
	for _, row := range rows {
		args = append(args, row.values()...)
	}
	query := insertSQL("mfa_recovery_codes", recoveryCodeColumns) +
		strings.Repeat(", ("+placeholders(len(rows[0].values()))+")", len(rows)-1)
	_, err := tx.exec(ctx, query, args...)
	return err
}
