package sqlstore

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/authd-dev/authd/domain"
)

// errSpendLost rolls back a spend whose token was not spendable any more.
var errSpendLost = errors.New("token not spendable")

// spendSQL is the single-use rule as one conditional UPDATE: of concurrent
// spenders, the first to commit makes used_at non-NULL, and every other
// one re-evaluates the WHERE against that commit (a Postgres READ COMMITTED
// or InnoDB UPDATE reads the latest row version; SQLite writes serially)
// and matches nothing.
const spendSQL = "UPDATE one_time_tokens SET used_at = ? " +
	"WHERE hash = ? AND user_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?"

// SpendVerification spends t, marks its user's email verified and voids
// the user's other verification tokens, in one transaction.
func (r *Tokens) SpendVerification(ctx context.Context, t domain.OneTimeToken, now time.Time) (bool, error) {
	won, err := r.spend(ctx, t, domain.PurposeVerifyEmail, now, map[string]any{"email_verified": true},
		func(*gorm.DB) error { return nil })
	return won, classify(err, "spend verification token")
}

// SpendReset spends t and, in the same transaction, sets the password,
// marks the email verified, ends every session of the user and voids the
// user's other reset tokens.
func (r *Tokens) SpendReset(ctx context.Context, t domain.OneTimeToken, passwordHash string, now time.Time) (int, bool, error) {
	ended := 0
	won, err := r.spend(ctx, t, domain.PurposeResetPassword, now,
		map[string]any{"password_hash": passwordHash, "email_verified": true},
		func(tx *gorm.DB) error {
			res := tx.Exec("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
				ts(now), domain.RevokePasswordReset, t.UserID())
			ended = int(res.RowsAffected)
			return res.Error
		})
	if err != nil || !won {
		return 0, false, classify(err, "spend reset token")
	}
	return ended, true, nil
}

// spend runs one spend of t for purpose: the user row is updated first, so
// every spend of one user's tokens queues on that row lock and two of them
// can never deadlock over each other's token rows; then the conditional
// UPDATE decides (losing rolls everything back); then the user's other
// tokens of purpose are voided and more runs.
func (r *Tokens) spend(ctx context.Context, t domain.OneTimeToken, purpose domain.TokenPurpose, now time.Time,
	userChanges map[string]any, more func(tx *gorm.DB) error) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	now = ts(now)
	userChanges["updated_at"] = now
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Table("users").Where("id = ?", t.UserID()).Updates(userChanges).Error; err != nil {
			return err
		}
		res := tx.Exec(spendSQL, now, t.Hash(), t.UserID(), string(purpose), now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errSpendLost
		}
		if _, err := voidTokens(tx, t.UserID(), purpose, now); err != nil {
			return err
		}
		return more(tx)
	})
	if errors.Is(err, errSpendLost) {
		return false, nil
	}
	return err == nil, err
}
