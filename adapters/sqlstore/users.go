package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/authd-dev/authd/domain"
)

// Users implements ports.UserRepository.
type Users struct {
	db *DB
}

// NewUsers returns the user repository on db; each call is bounded by
// pool.QueryTimeout.
func NewUsers(db *DB) *Users {
	return &Users{db: db}
}

// The statements of Users.
var insertUserSQL = insertSQL("users", userColumns)

const (
	userByIDSQL            = "SELECT " + userColumns + " FROM users WHERE id = ?"
	userByEmailSQL         = "SELECT " + userColumns + " FROM users WHERE email = ?"
	listUsersSQL           = "SELECT " + userColumns + " FROM users WHERE id > ? ORDER BY id LIMIT ?"
	adminsAndTargetSQL     = "SELECT id, role FROM users WHERE role = ? OR id = ? ORDER BY id"
	setPasswordHashSQL     = "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?"
	upgradePasswordHashSQL = "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?"
	setEmailVerifiedSQL    = "UPDATE users SET email_verified = ?, updated_at = ? WHERE id = ?"
	setRoleSQL             = "UPDATE users SET role = ?, updated_at = ? WHERE id = ?"
	deleteUserSessionsSQL  = "DELETE FROM sessions WHERE user_id = ?"
	deleteUserSQL          = "DELETE FROM users WHERE id = ?"
)

// Create inserts u; a taken email is domain.ErrEmailTaken.
func (r *Users) Create(ctx context.Context, u domain.User) error {
	_, err := r.db.exec(ctx, "create user", insertUserSQL, toUserRow(u).values()...)
	if isUniqueViolation(err) {
		// The id is a random UUID, so a duplicate is the email's index.
		return fmt.Errorf("sqlstore: create user: %w", domain.ErrEmailTaken)
	}
	return err
}

// ByID returns the user with id, or domain.ErrNotFound.
func (r *Users) ByID(ctx context.Context, id string) (domain.User, error) {
	return r.take(ctx, "user by id", userByIDSQL, id)
}

// ByEmail returns the user with email, or domain.ErrNotFound.
func (r *Users) ByEmail(ctx context.Context, email domain.Email) (domain.User, error) {
	return r.take(ctx, "user by email", userByEmailSQL, email.String())
}

// take reads one user through query; a stored row the domain refuses is
// an error naming the row.
func (r *Users) take(ctx context.Context, op, query string, arg any) (domain.User, error) {
	var row userRow
	if err := r.db.queryRow(ctx, op, query, []any{arg}, row.fields()...); err != nil {
		return domain.User{}, err
	}
	u, err := row.domain()
	if err != nil {
		return domain.User{}, fmt.Errorf("sqlstore: %s: stored user %s: %w", op, row.ID, err)
	}
	return u, nil
}

// UpdatePasswordHash stores u's hash and updated time.
func (r *Users) UpdatePasswordHash(ctx context.Context, u domain.User) error {
	return r.updateOne(ctx, "update password hash", setPasswordHashSQL, u.PasswordHash(), ts(u.UpdatedAt()), u.ID())
}

// UpgradePasswordHash stores u's hash only where the stored one is still
// previous: one conditional UPDATE, so a concurrent password change wins.
func (r *Users) UpgradePasswordHash(ctx context.Context, u domain.User, previous string) (bool, error) {
	n, err := r.db.exec(ctx, "upgrade password hash", upgradePasswordHashSQL,
		u.PasswordHash(), ts(u.UpdatedAt()), u.ID(), previous)
	return n == 1, err
}

// SetEmailVerified stores u's email-verified flag and updated time.
func (r *Users) SetEmailVerified(ctx context.Context, u domain.User) error {
	return r.updateOne(ctx, "set email verified", setEmailVerifiedSQL, u.EmailVerified(), ts(u.UpdatedAt()), u.ID())
}

// updateOne runs an UPDATE of one user; no matched row is
// domain.ErrNotFound (matched, not changed: OpenMySQL sets
// clientFoundRows).
func (r *Users) updateOne(ctx context.Context, op, query string, args ...any) error {
	n, err := r.db.exec(ctx, op, query, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: %s: %w", op, domain.ErrNotFound)
	}
	return nil
}

// ChangeRole stores u's role, refusing to demote the last admin.
func (r *Users) ChangeRole(ctx context.Context, u domain.User) error {
	return r.db.inTx(ctx, "change role", func(ctx context.Context, tx runner) error {
		if err := r.guardLastAdmin(ctx, tx, u.ID(), u.Role() == domain.RoleAdmin); err != nil {
			return err
		}
		_, err := tx.exec(ctx, setRoleSQL, string(u.Role()), ts(u.UpdatedAt()), u.ID())
		return err
	})
}

// Delete removes the user and its sessions in one transaction; its
// one-time tokens go with the row (ON DELETE CASCADE).
func (r *Users) Delete(ctx context.Context, id string) error {
	return r.db.inTx(ctx, "delete user", func(ctx context.Context, tx runner) error {
		if err := r.guardLastAdmin(ctx, tx, id, false); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, deleteUserSessionsSQL, id); err != nil {
			return err
		}
		_, err := tx.exec(ctx, deleteUserSQL, id)
		return err
	})
}

// guardLastAdmin checks, inside tx, that user id exists and that if it is an
// admin and stays admin is false, another admin remains.
//
// It locks the target and every admin row (FOR UPDATE, in id order so two
// guards never deadlock) before counting, so two admins demoting or deleting
// each other at once serialise: the second sees the first's commit (a
// Postgres READ COMMITTED or InnoDB locking read re-reads the latest row)
// and gets ErrLastAdmin. SQLite's statement has no FOR UPDATE, but its
// write transactions are serial anyway (DB.forUpdate).
func (r *Users) guardLastAdmin(ctx context.Context, tx runner, id string, staysAdmin bool) error {
	found, targetAdmin, admins := false, false, 0
	err := tx.query(ctx, adminsAndTargetSQL+r.db.forUpdate(), []any{string(domain.RoleAdmin), id}, func(rows *sql.Rows) error {
		var rowID, role string
		if err := rows.Scan(&rowID, &role); err != nil {
			return err
		}
		isAdmin := role == string(domain.RoleAdmin)
		if isAdmin {
			admins++
		}
		if rowID == id {
			found, targetAdmin = true, isAdmin
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case !found:
		return domain.ErrNotFound
	case targetAdmin && !staysAdmin && admins == 1:
		return domain.ErrLastAdmin
	}
	return nil
}

// List returns up to limit users ordered by id, after afterID (keyset
// pagination: "" sorts before every id, so it starts at the first).
func (r *Users) List(ctx context.Context, afterID string, limit int) ([]domain.User, error) {
	if limit <= 0 {
		return nil, nil
	}
	out := []domain.User{}
	err := r.db.query(ctx, "list users", listUsersSQL, []any{afterID, limit}, func(rows *sql.Rows) error {
		var row userRow
		if err := rows.Scan(row.fields()...); err != nil {
			return err
		}
		u, err := row.domain()
		if err != nil {
			return fmt.Errorf("stored user %s: %w", row.ID, err)
		}
		out = append(out, u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
