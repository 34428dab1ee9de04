package sqlstore

import (
	"database/sql"
	"time"

	"github.com/authd-dev/authd/domain"
)

// mfaRow is the user_mfa table; a NULL enabled_at is a pending enrolment.
type mfaRow struct {
	UserID     string
	TOTPSecret []byte // sealed, never the plain secret
	EnabledAt  sql.NullTime
	LastStep   int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// mfaColumns are mfaRow's columns, in the order of its fields() and
// values().
const mfaColumns = "user_id, totp_secret, enabled_at, last_step, created_at, updated_at"

// fields are the scan destinations of mfaColumns.
func (r *mfaRow) fields() []any {
	return []any{&r.UserID, &r.TOTPSecret, &r.EnabledAt, &r.LastStep, &r.CreatedAt, &r.UpdatedAt}
}

// values are the insert arguments of mfaColumns.
func (r mfaRow) values() []any {
	return []any{r.UserID, r.TOTPSecret, r.EnabledAt, r.LastStep, r.CreatedAt, r.UpdatedAt}
}

// recoveryCodeRow is one recovery code's keyed digest.
type recoveryCodeRow struct {
	UserID    string
	Digest    []byte
	CreatedAt time.Time
	UsedAt    sql.NullTime
}

// recoveryCodeColumns are recoveryCodeRow's columns, in the order of its
// values().
const recoveryCodeColumns = "user_id, digest, created_at, used_at"

// values are the insert arguments of recoveryCodeColumns.
func (r recoveryCodeRow) values() []any {
	return []any{r.UserID, r.Digest, r.CreatedAt, r.UsedAt}
}

// challengeRow is the mfa_challenges table, keyed by the token's SHA-256.
type challengeRow struct {
	Hash            []byte
	UserID          string
	DeviceID        string
	CookieTransport bool
	Credential      []byte
	Attempts        int
	CreatedAt       time.Time
	ExpiresAt       time.Time
	UsedAt          sql.NullTime
}

// challengeColumns are challengeRow's columns, in the order of its
// fields() and values().
const challengeColumns = "hash, user_id, device_id, cookie_transport, credential, attempts, created_at, expires_at, used_at"

// fields are the scan destinations of challengeColumns.
func (r *challengeRow) fields() []any {
	return []any{&r.Hash, &r.UserID, &r.DeviceID, &r.CookieTransport, &r.Credential, &r.Attempts, &r.CreatedAt, &r.ExpiresAt, &r.UsedAt}
}

// values are the insert arguments of challengeColumns.
func (r challengeRow) values() []any {
	return []any{r.Hash, r.UserID, r.DeviceID, r.CookieTransport, r.Credential, r.Attempts, r.CreatedAt, r.ExpiresAt, r.UsedAt}
}

func toMFARow(m domain.MFA) mfaRow {
	st := m.State()
	return mfaRow{UserID: st.UserID, TOTPSecret: st.Secret, EnabledAt: nullTime(st.EnabledAt),
		LastStep: int64(st.LastStep), CreatedAt: ts(st.CreatedAt), UpdatedAt: ts(st.UpdatedAt)}
}

func (r mfaRow) domain() domain.MFA {
	return domain.RestoreMFA(domain.MFAState{UserID: r.UserID, Secret: r.TOTPSecret, EnabledAt: fromNull(r.EnabledAt),
		LastStep: uint64(r.LastStep), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
}

func toChallengeRow(c domain.MFAChallenge) challengeRow {
	st := c.State()
	return challengeRow{Hash: st.Hash, UserID: st.UserID, DeviceID: st.DeviceID, CookieTransport: st.CookieTransport,
		Credential: st.Credential, Attempts: st.Attempts, CreatedAt: ts(st.CreatedAt), ExpiresAt: ts(st.ExpiresAt), UsedAt: nullTime(st.UsedAt)}
}

func (r challengeRow) domain() domain.MFAChallenge {
	return domain.RestoreMFAChallenge(domain.MFAChallengeState{Hash: r.Hash, UserID: r.UserID, DeviceID: r.DeviceID,
		CookieTransport: r.CookieTransport, Credential: r.Credential, Attempts: r.Attempts, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
		UsedAt: fromNull(r.UsedAt)})
}

func recoveryRows(userID string, digests [][]byte, now time.Time) []recoveryCodeRow {
	out := make([]recoveryCodeRow, len(digests))
	for i, d := range digests {
		out[i] = recoveryCodeRow{UserID: userID, Digest: d, CreatedAt: ts(now)}
	}
	return out
}
