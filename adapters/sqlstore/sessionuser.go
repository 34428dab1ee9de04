package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/authd-dev/authd/domain"
)

// sessionUserSQL reads a session and its user, sessionColumns then
// userColumns; portable to SQLite, Postgres and MySQL.
var sessionUserSQL = "SELECT " + qualified("s", sessionColumns) + ", " + qualified("u", userColumns) +
	" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"

// qualified prefixes each of columns (a comma-separated list) with alias,
// for a join whose tables share column names.
func qualified(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// ByIDWithUser reads session id and its user in one query (a refresh then
// costs two round trips, this and the conditional UPDATE, instead of three).
func (r *Sessions) ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error) {
	var s sessionRow
	var u userRow
	dest := append(s.fields(), u.fields()...)
	if err := r.db.queryRow(ctx, "session with user by id", sessionUserSQL, []any{id}, dest...); err != nil {
		return domain.Session{}, domain.User{}, err
	}
	du, err := u.domain()
	if err != nil {
		return domain.Session{}, domain.User{}, fmt.Errorf("sqlstore: session with user: stored user %s: %w", u.ID, err)
	}
	return s.domain(), du, nil
}
