package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/authd-dev/authd/domain"
)

// MFA implements ports.MFARepository. Recovery codes exist only for an
// enabled enrolment: Enable writes them, SavePending (only possible while
// not enabled) and Delete remove them.
type MFA struct {
	repo
	userWithMFA string // in the dialect's placeholder syntax
}

// NewMFA returns the enrolment repository on db; each call is bounded by
// pool.QueryTimeout.
func NewMFA(db *DB) *MFA {
	return &MFA{repo: newRepo(db), userWithMFA: db.Rebind(userWithMFASQL)}
}

// userWithMFASQL reads a user and counts its enabled enrolment (0 or 1)
// in one statement, portable to every backend.
const userWithMFASQL = "SELECT " + userColumns + ", (SELECT COUNT(*) FROM user_mfa m " +
	"WHERE m.user_id = users.id AND m.enabled_at IS NOT NULL) FROM users WHERE id = ?"

// UserWithMFA is GET /v1/auth/me's one read, through database/sql
// (rawsql.go) like the other user lookups on hot paths.
func (r *MFA) UserWithMFA(ctx context.Context, id string) (domain.User, bool, error) {
	var row userRow
	var enabled int64
	if err := r.queryRow(ctx, "user with mfa", r.userWithMFA, []any{id}, append(row.fields(), &enabled)...); err != nil {
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
	db, cancel := r.conn(ctx)
	defer cancel()
	var row mfaRow
	if err := db.Where("user_id = ?", userID).Take(&row).Error; err != nil {
		return domain.MFA{}, classify(err, "mfa by user")
	}
	return row.domain(), nil
}

// SavePending replaces a pending enrolment or inserts one; two parallel
// enrolments of one user end with one of them, never an error.
func (r *MFA) SavePending(ctx context.Context, m domain.MFA) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	row := toMFARow(m)
	for range 2 {
		res := db.Exec("UPDATE user_mfa SET totp_secret = ?, last_step = 0, created_at = ?, updated_at = ? "+
			"WHERE user_id = ? AND enabled_at IS NULL", row.TOTPSecret, row.CreatedAt, row.UpdatedAt, row.UserID)
		if res.Error != nil || res.RowsAffected == 1 {
			return classify(res.Error, "replace pending mfa")
		}
		err := db.Create(&row).Error
		switch {
		case errors.Is(err, gorm.ErrForeignKeyViolated):
			return fmt.Errorf("sqlstore: save pending mfa: user %s: %w", row.UserID, domain.ErrNotFound)
		case !errors.Is(err, gorm.ErrDuplicatedKey):
			return classify(err, "insert pending mfa")
		}
		// A row appeared since the UPDATE: enabled, or a parallel enrolment.
	}
	return fmt.Errorf("sqlstore: save pending mfa: %w", domain.ErrMFAAlreadyEnabled)
}

// Enable switches on the pending enrolment whose sealed secret is on's and
// stores the recovery codes, in one transaction.
func (r *MFA) Enable(ctx context.Context, on domain.MFA, codes [][]byte) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	row := toMFARow(on)
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE user_mfa SET enabled_at = ?, last_step = ?, updated_at = ? "+
			"WHERE user_id = ? AND enabled_at IS NULL AND totp_secret = ?",
			row.EnabledAt, row.LastStep, row.UpdatedAt, row.UserID, row.TOTPSecret)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errMFALost
		}
		return replaceCodes(tx, row.UserID, codes, row.UpdatedAt)
	})
	if errors.Is(err, errMFALost) {
		return false, nil
	}
	return err == nil, classify(err, "enable mfa")
}

// AcceptStep raises last_step of an enabled enrolment in one conditional
// UPDATE: of two requests with one code, the second matches no row.
func (r *MFA) AcceptStep(ctx context.Context, userID string, step uint64, now time.Time) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Exec("UPDATE user_mfa SET last_step = ?, updated_at = ? "+
		"WHERE user_id = ? AND enabled_at IS NOT NULL AND last_step < ?", int64(step), ts(now), userID, int64(step))
	if res.Error != nil {
		return false, classify(res.Error, "accept totp step")
	}
	return res.RowsAffected == 1, nil
}

// Reseal swaps the sealed secret if it is still old.
func (r *MFA) Reseal(ctx context.Context, userID string, old, new []byte, now time.Time) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Exec("UPDATE user_mfa SET totp_secret = ?, updated_at = ? WHERE user_id = ? AND totp_secret = ?",
		new, ts(now), userID, old)
	if res.Error != nil {
		return false, classify(res.Error, "reseal totp secret")
	}
	return res.RowsAffected == 1, nil
}

// SpendRecoveryCode marks one unused code among digests as used in one
// conditional UPDATE: of parallel spends of one code, one matches the row.
// It goes through database/sql (rawsql.go): GORM would expand each []byte
// of the IN list into its bytes.
func (r *MFA) SpendRecoveryCode(ctx context.Context, userID string, digests [][]byte, now time.Time) (bool, error) {
	if len(digests) == 0 {
		return false, nil
	}
	args := []any{ts(now), userID}
	for _, d := range digests {
		args = append(args, d)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(digests)), ", ")
	query := rebind(r.db.Dialector.Name(), "UPDATE mfa_recovery_codes SET used_at = ? "+
		"WHERE user_id = ? AND digest IN ("+marks+") AND used_at IS NULL")
	n, err := r.exec(ctx, "spend recovery code", query, args...)
	return n >= 1, err
}

// ReplaceRecoveryCodes swaps every code of an enabled enrolment, holding
// its row so a parallel Delete or Reset waits.
func (r *MFA) ReplaceRecoveryCodes(ctx context.Context, userID string, codes [][]byte, now time.Time) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	err := db.Transaction(func(tx *gorm.DB) error {
		var row mfaRow
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("user_id = ? AND enabled_at IS NOT NULL", userID).
			Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return domain.ErrMFANotEnabled
		}
		if err != nil {
			return err
		}
		return replaceCodes(tx, userID, codes, now)
	})
	if errors.Is(err, domain.ErrMFANotEnabled) {
		return fmt.Errorf("sqlstore: replace recovery codes: %w", err)
	}
	return classify(err, "replace recovery codes")
}

// RecoveryCodesLeft counts userID's unused codes.
func (r *MFA) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	var n int64
	err := db.Model(&recoveryCodeRow{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	return int(n), classify(err, "count recovery codes")
}

// Delete removes userID's enrolment and codes.
func (r *MFA) Delete(ctx context.Context, userID string) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	removed := false
	err := db.Transaction(func(tx *gorm.DB) (err error) {
		removed, err = deleteMFA(tx, userID)
		return err
	})
	return removed, classify(err, "delete mfa")
}

// Reset removes userID's enrolment and codes and ends its sessions, in one
// transaction.
func (r *MFA) Reset(ctx context.Context, userID string, now time.Time, reason string) (bool, int, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	removed, ended := false, 0
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		if removed, err = deleteMFA(tx, userID); err != nil {
			return err
		}
		res := tx.Exec("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
			ts(now), reason, userID)
		ended = int(res.RowsAffected)
		return res.Error
	})
	if err != nil {
		return false, 0, classify(err, "reset mfa")
	}
	return removed, ended, nil
}

func deleteMFA(tx *gorm.DB, userID string) (bool, error) {
	if err := tx.Where("user_id = ?", userID).Delete(&recoveryCodeRow{}).Error; err != nil {
		return false, err
	}
	res := tx.Where("user_id = ?", userID).Delete(&mfaRow{})
	return res.RowsAffected == 1, res.Error
}

func replaceCodes(tx *gorm.DB, userID string, codes [][]byte, now time.Time) error {
	if err := tx.Where("user_id = ?", userID).Delete(&recoveryCodeRow{}).Error; err != nil {
		return err
	}
	if len(codes) == 0 {
		return nil
	}
	rows := recoveryRows(userID, codes, now)
	return tx.Create(&rows).Error
}
