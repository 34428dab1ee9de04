package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/authd-dev/authd/domain"
)

// bulkPlan describes rows written straight into the tables, bypassing
// HTTP: users user-<i>@load.test (one shared password hash), one live
// session each, ended sessions and expired one-time tokens due for purge.
// Ids and salts derive from the row number, so the tool can mint any
// seeded session's refresh token later without keeping a million of them.
type bulkPlan struct {
	users, ended, tokens int
	hash                 string
	now                  time.Time
}

// seedID is a version-4-shaped UUID numbered i in namespace kind.
func seedID(kind byte, i int) string {
	var b [16]byte
	b[0] = kind
	b[6] = 0x40
	binary.BigEndian.PutUint64(b[8:], uint64(i)|0x8000_0000_0000_0000)
	return domain.FormatID(b)
}

func seedUserID(i int) string    { return seedID(1, i) }
func seedSessionID(i int) string { return seedID(2, i) }
func seedEmail(i int) string     { return "user-" + strconv.Itoa(i) + "@load.test" }

// seedSalt is session i's salt.
func seedSalt(i int) []byte {
	h := sha256.Sum256([]byte("authd-load salt " + strconv.Itoa(i)))
	return h[:domain.SaltSize]
}

// seedSession is live session i (of user i) as the server stored it.
func (p bulkPlan) seedSession(i int) domain.Session {
	return domain.RestoreSession(domain.SessionState{ID: seedSessionID(i), UserID: seedUserID(i), Generation: 1,
		Salt: seedSalt(i), CreatedAt: p.now, LastUsedAt: p.now, ExpiresAt: p.now.Add(720 * time.Hour)})
}

var (
	userColumns    = []string{"id", "email", "role", "password_hash", "created_at", "updated_at"}
	sessionColumns = []string{"id", "user_id", "generation", "salt", "created_at", "last_used_at", "expires_at",
		"revoked_at", "revoke_reason", "user_agent", "ip"}
	tokenColumns = []string{"hash", "user_id", "purpose", "created_at", "expires_at"}
)

// userRow is user i; the columns are those of schema version 1, so the
// same rows seed a database that later migrations then run against.
func (p bulkPlan) userRow(i int) []any {
	return []any{seedUserID(i), seedEmail(i), "user", p.hash, p.now, p.now}
}

// sessionRow is session i: below users, user i's live session; from
// there on, a session of user i%users that ended 30 days ago.
func (p bulkPlan) sessionRow(i int) []any {
	if i < p.users {
		s := p.seedSession(i).State()
		return []any{s.ID, s.UserID, int64(1), s.Salt, p.now, p.now, s.ExpiresAt, nil, "", "authd-load", "127.0.0.1"}
	}
	old := p.now.Add(-30 * 24 * time.Hour)
	return []any{seedSessionID(i), seedUserID(i % p.users), int64(1), seedSalt(i), old.Add(-time.Hour), old,
		old.Add(time.Hour), old, domain.RevokeLogout, "authd-load", "127.0.0.1"}
}

// tokenRow is a verification token of user i%users that expired a day ago.
func (p bulkPlan) tokenRow(i int) []any {
	h := sha256.Sum256([]byte(fmt.Sprintf("authd-load token %d", i)))
	return []any{h[:], seedUserID(i % p.users), string(domain.PurposeVerifyEmail), p.now.Add(-48 * time.Hour),
		p.now.Add(-24 * time.Hour)}
}
