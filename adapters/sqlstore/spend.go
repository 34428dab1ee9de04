package sqlstore

import (
	"context"
	"errors"
	"time"

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

// The user changes of each spend.
const (
	verifyUserSQL = "UPDATE users SET email_verified = ?, updated_at = ? WHERE id = ?"
	resetUserSQL  = "UPDATE users SET password_hash = ?, email_verified = ?, updated_at = ? WHERE id = ?"
)

// SpendVerification spends t, marks its user's email verified and voids
// the user's other verification tokens, in one transaction.
func (r *Tokens) SpendVerification(ctx context.Context, t domain.OneTimeToken, now time.Time) (bool, error) {
	now = ts(now)
	err := r.db.inTx(ctx, "spend verification token", func(ctx context.Context, tx runner) error {
		return spend(ctx, tx, t, domain.PurposeVerifyEmail, now, verifyUserSQL, true, now, t.UserID())
	})
	return spent(err)
}

// SpendReset spends t and, in the same transaction, sets the password,
// marks the email verified, ends every live session of the user and voids
// the user's other reset tokens. It returns how many sessions it ended.
func (r *Tokens) SpendReset(ctx context.Context, t domain.OneTimeToken, passwordHash string, now time.Time) (int, bool, error) {
	now = ts(now)
	var ended int64
	err := r.db.inTx(ctx, "spend reset token", func(ctx context.Context, tx runner) error {
		if err := spend(ctx, tx, t, domain.PurposeResetPassword, now, resetUserSQL, passwordHash, true, now, t.UserID()); err != nil {
			return err
		}
		var err error
		ended, err = tx.exec(ctx, revokeUserSessionsSQL, now, string(domain.RevokePasswordReset), t.UserID(), noSession)
		return err
	})
	if won, err := spent(err); !won {
		return 0, false, err
	}
	return int(ended), true, nil
}

// spend runs one spend of t for purpose inside tx: the user row is updated
// first (userSQL with userArgs), so every spend of one user's tokens
// queues on that row lock and two of them can never deadlock over each
// other's token rows; then the conditional UPDATE decides, and losing is
// errSpendLost, which rolls the transaction back; then the user's other
// tokens of purpose are voided.
func spend(ctx context.Context, tx runner, t domain.OneTimeToken, purpose domain.TokenPurpose, now time.Time,
	userSQL string, userArgs ...any) error {
	if _, err := tx.exec(ctx, userSQL, userArgs...); err != nil {
		return err
	}
	n, err := tx.exec(ctx, spendSQL, now, t.Hash(), t.UserID(), string(purpose), now)
	if err != nil {
		return err
	}
	if n != 1 {
		return errSpendLost
	}
	_, err = tx.exec(ctx, voidTokensSQL, now, t.UserID(), string(purpose))
	return err
}

// spent is the outcome of a spend transaction: won when it committed, lost
// (false, nil) when the token was not spendable any more.
func spent(err error) (bool, error) {
	if errors.Is(err, errSpendLost) {
		return false, nil
	}
	return err == nil, err
}
