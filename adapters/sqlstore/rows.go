package sqlstore

import (
	"database/sql"
	"strings"
	"time"

	"github.com/authd-dev/authd/domain"
)

// userRow is the users table. The schema itself is created by the
// versioned SQL in migrations.go.
type userRow struct {
	ID            string
	Email         string
	Role          string
	PasswordHash  string
	EmailVerified bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// userColumns are userRow's columns, in the order of its fields() and
// values().
const userColumns = "id, email, role, password_hash, email_verified, created_at, updated_at"

// fields are the scan destinations of userColumns.
func (u *userRow) fields() []any {
	return []any{&u.ID, &u.Email, &u.Role, &u.PasswordHash, &u.EmailVerified, &u.CreatedAt, &u.UpdatedAt}
}

// values are the insert arguments of userColumns.
func (u userRow) values() []any {
	return []any{u.ID, u.Email, u.Role, u.PasswordHash, u.EmailVerified, u.CreatedAt, u.UpdatedAt}
}

// sessionRow is the sessions table; NULL stands for the zero time.
type sessionRow struct {
	ID           string
	UserID       string
	Generation   int64
	Salt         []byte
	CreatedAt    time.Time
	RotatedAt    sql.NullTime
	LastUsedAt   time.Time
	ExpiresAt    time.Time
	MaxExpiresAt sql.NullTime
	RevokedAt    sql.NullTime
	RevokeReason string
	UserAgent    string
	IP           string
	AMR          string // comma-separated RFC 8176 values
}

// sessionColumns are sessionRow's columns, in the order of its fields()
// and values().
const sessionColumns = "id, user_id, generation, salt, created_at, rotated_at, last_used_at, " +
	"expires_at, max_expires_at, revoked_at, revoke_reason, user_agent, ip, amr"

// fields are the scan destinations of sessionColumns.
func (s *sessionRow) fields() []any {
	return []any{&s.ID, &s.UserID, &s.Generation, &s.Salt, &s.CreatedAt, &s.RotatedAt, &s.LastUsedAt,
		&s.ExpiresAt, &s.MaxExpiresAt, &s.RevokedAt, &s.RevokeReason, &s.UserAgent, &s.IP, &s.AMR}
}

// values are the insert arguments of sessionColumns.
func (s sessionRow) values() []any {
	return []any{s.ID, s.UserID, s.Generation, s.Salt, s.CreatedAt, s.RotatedAt, s.LastUsedAt,
		s.ExpiresAt, s.MaxExpiresAt, s.RevokedAt, s.RevokeReason, s.UserAgent, s.IP, s.AMR}
}

// ts brings t to what every backend stores: UTC, whole microseconds.
// Truncating here (not in the database) matters: Postgres and MySQL round
// to the microsecond, which would disagree with domain.Truncate.
func ts(t time.Time) time.Time { return domain.Truncate(t) }

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: ts(t), Valid: true}
}

func fromNull(n sql.NullTime) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return ts(n.Time)
}

func toUserRow(u domain.User) userRow {
	s := u.State()
	return userRow{ID: s.ID, Email: s.Email, Role: s.Role, PasswordHash: s.PasswordHash,
		EmailVerified: s.EmailVerified, CreatedAt: ts(s.CreatedAt), UpdatedAt: ts(s.UpdatedAt)}
}

func (r userRow) domain() (domain.User, error) {
	return domain.RestoreUser(domain.UserState{ID: r.ID, Email: r.Email, Role: r.Role,
		PasswordHash: r.PasswordHash, EmailVerified: r.EmailVerified, CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.UpdatedAt)})
}

func toSessionRow(s domain.Session) sessionRow {
	st := s.State()
	return sessionRow{
		ID: st.ID, UserID: st.UserID, Generation: int64(st.Generation), Salt: st.Salt,
		CreatedAt: ts(st.CreatedAt), RotatedAt: nullTime(st.RotatedAt), LastUsedAt: ts(st.LastUsedAt),
		ExpiresAt: ts(st.ExpiresAt), MaxExpiresAt: nullTime(st.MaxExpiresAt),
		RevokedAt: nullTime(st.RevokedAt), RevokeReason: st.RevokeReason,
		UserAgent: st.UserAgent, IP: st.IP, AMR: strings.Join(st.AMR, ","),
	}
}

func (r sessionRow) domain() domain.Session {
	return domain.RestoreSession(domain.SessionState{
		ID: r.ID, UserID: r.UserID, Generation: uint64(r.Generation), Salt: r.Salt,
		CreatedAt: r.CreatedAt, RotatedAt: fromNull(r.RotatedAt), LastUsedAt: r.LastUsedAt,
		ExpiresAt: r.ExpiresAt, MaxExpiresAt: fromNull(r.MaxExpiresAt),
		RevokedAt: fromNull(r.RevokedAt), RevokeReason: r.RevokeReason,
		UserAgent: r.UserAgent, IP: r.IP, AMR: splitAMR(r.AMR),
	})
}

func splitAMR(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
