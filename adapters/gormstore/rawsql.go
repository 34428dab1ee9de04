package gormstore

import (
	"database/sql"
	"strconv"
	"strings"
)

// The hottest reads (a refresh's session+user, /me's and login's user) go
// to database/sql on GORM's own pool, same connections and driver, and are
// scanned directly: GORM's statement builder and reflective scan were over
// half of a refresh's allocations. Writes and everything else stay on GORM.

// rebind rewrites ? placeholders into the dialect's syntax: database/sql
// passes the query through untouched, and Postgres wants $1, $2, …
// authd's queries have no ? inside literals.
func rebind(dialect, query string) string {
	if dialect != "postgres" {
		return query
	}
	var b strings.Builder
	n := 0
	for {
		i := strings.IndexByte(query, '?')
		if i < 0 {
			b.WriteString(query)
			return b.String()
		}
		n++
		b.WriteString(query[:i])
		b.WriteString("$" + strconv.Itoa(n))
		query = query[i+1:]
	}
}

// userColumns are userRow's columns, in the order of its fields().
const userColumns = "id, email, role, password_hash, created_at, updated_at"

// fields are the scan destinations of userColumns.
func (u *userRow) fields() []any {
	return []any{&u.ID, &u.Email, &u.Role, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt}
}

// sqlDB is GORM's pool.
func (r repo) sqlDB() (*sql.DB, error) { return r.db.DB() }
