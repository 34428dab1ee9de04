package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/authd-dev/authd/domain"
)

// Users implements ports.UserRepository.
type Users struct {
	repo
	byID, byEmail string // the lookups, in the dialect's placeholder syntax
}

// NewUsers returns the user repository on db; each call is bounded by
// pool.QueryTimeout.
func NewUsers(db *DB) *Users {
	lookup := func(column string) string {
		return db.Rebind("SELECT " + userColumns + " FROM users WHERE " + column + " = ?")
	}
	return &Users{repo: newRepo(db), byID: lookup("id"), byEmail: lookup("email")}
}

// Create inserts u; a taken email is domain.ErrEmailTaken.
func (r *Users) Create(ctx context.Context, u domain.User) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	row := toUserRow(u)
	err := db.Create(&row).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// The id is a random UUID, so a duplicate is the email's index.
		return fmt.Errorf("sqlstore: create user: %w", domain.ErrEmailTaken)
	}
	return classify(err, "create user")
}

// ByID returns the user with id, or domain.ErrNotFound.
func (r *Users) ByID(ctx context.Context, id string) (domain.User, error) {
	return r.take(ctx, "user by id", r.byID, id)
}

// ByEmail returns the user with email, or domain.ErrNotFound.
func (r *Users) ByEmail(ctx context.Context, email domain.Email) (domain.User, error) {
	return r.take(ctx, "user by email", r.byEmail, email.String())
}

// take runs a lookup through database/sql (rawsql.go): /me and every
// login read a user.
func (r *Users) take(ctx context.Context, op, query string, arg any) (domain.User, error) {
	var row userRow
	if err := r.queryRow(ctx, op, query, []any{arg}, row.fields()...); err != nil {
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
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Model(&userRow{}).Where("id = ?", u.ID()).
		Updates(map[string]any{"password_hash": u.PasswordHash(), "updated_at": ts(u.UpdatedAt())})
	if res.Error != nil {
		return classify(res.Error, "update password hash")
	}
	if res.RowsAffected == 0 { // matched rows: OpenMySQL sets clientFoundRows
		return fmt.Errorf("sqlstore: update password hash: %w", domain.ErrNotFound)
	}
	return nil
}

// UpgradePasswordHash stores u's hash only where the stored one is still
// previous: one conditional UPDATE, so a concurrent password change wins.
func (r *Users) UpgradePasswordHash(ctx context.Context, u domain.User, previous string) (bool, error) {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Model(&userRow{}).Where("id = ? AND password_hash = ?", u.ID(), previous).
		Updates(map[string]any{"password_hash": u.PasswordHash(), "updated_at": ts(u.UpdatedAt())})
	if res.Error != nil {
		return false, classify(res.Error, "upgrade password hash")
	}
	return res.RowsAffected == 1, nil
}

// SetEmailVerified stores u's email-verified flag and updated time.
func (r *Users) SetEmailVerified(ctx context.Context, u domain.User) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	res := db.Model(&userRow{}).Where("id = ?", u.ID()).
		Updates(map[string]any{"email_verified": u.EmailVerified(), "updated_at": ts(u.UpdatedAt())})
	if res.Error != nil {
		return classify(res.Error, "set email verified")
	}
	if res.RowsAffected == 0 { // matched rows: OpenMySQL sets clientFoundRows
		return fmt.Errorf("sqlstore: set email verified: %w", domain.ErrNotFound)
	}
	return nil
}

// ChangeRole stores u's role, refusing to demote the last admin.
func (r *Users) ChangeRole(ctx context.Context, u domain.User) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := guardLastAdmin(tx, u.ID(), u.Role() == domain.RoleAdmin); err != nil {
			return err
		}
		return tx.Model(&userRow{}).Where("id = ?", u.ID()).
			Updates(map[string]any{"role": string(u.Role()), "updated_at": ts(u.UpdatedAt())}).Error
	})
	return classify(err, "change role")
}

// Delete removes the user and its sessions in one transaction; its
// one-time tokens go with the row (ON DELETE CASCADE).
func (r *Users) Delete(ctx context.Context, id string) error {
	db, cancel := r.conn(ctx)
	defer cancel()
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := guardLastAdmin(tx, id, false); err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		return tx.Where("id = ?", id).Delete(&userRow{}).Error
	})
	return classify(err, "delete user")
}

// guardLastAdmin checks, inside tx, that user id exists and that if it is an
// admin and stays admin is false, another admin remains.
//
// It locks the target and every admin row (FOR UPDATE, in id order so two
// guards never deadlock) before counting, so two admins demoting or deleting
// each other at once serialise: the second sees the first's commit (a
// Postgres READ COMMITTED or InnoDB locking read re-reads the latest row)
// and gets ErrLastAdmin. SQLite ignores the clause, but its write
// transactions are serial anyway (BEGIN IMMEDIATE, see OpenSQLite).
func guardLastAdmin(tx *gorm.DB, id string, staysAdmin bool) error {
	var rows []userRow
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id", "role").
		Where("role = ? OR id = ?", string(domain.RoleAdmin), id).Order("id").Find(&rows).Error
	if err != nil {
		return err
	}
	found, targetAdmin, admins := false, false, 0
	for _, row := range rows {
		isAdmin := row.Role == string(domain.RoleAdmin)
		if isAdmin {
			admins++
		}
		if row.ID == id {
			found, targetAdmin = true, isAdmin
		}
	}
	switch {
	case !found:
		return domain.ErrNotFound
	case targetAdmin && !staysAdmin && admins == 1:
		return domain.ErrLastAdmin
	}
	return nil
}

// List returns up to limit users ordered by id, after afterID.
func (r *Users) List(ctx context.Context, afterID string, limit int) ([]domain.User, error) {
	if limit <= 0 {
		return nil, nil
	}
	db, cancel := r.conn(ctx)
	defer cancel()
	var rows []userRow
	q := db.Order("id").Limit(limit)
	if afterID != "" {
		q = q.Where("id > ?", afterID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, classify(err, "list users")
	}
	out := make([]domain.User, 0, len(rows))
	for _, row := range rows {
		u, err := row.domain()
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list users: stored user %s: %w", row.ID, err)
		}
		out = append(out, u)
	}
	return out, nil
}
