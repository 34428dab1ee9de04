package sqlstore

import (
	"context"
	"fmt"

	"github.com/authd-dev/authd/ports"
)

// migration is one forward-only schema step. Statements are plain SQL per
// dialect ("sqlite", "postgres", "mysql") and written to be re-runnable
// (IF NOT EXISTS), because MySQL commits DDL implicitly: a step that failed
// half-way must be safe to apply again. online, when set, rewrites rows in
// Go before the statements, on the migrating connection, committing in
// batches of its own through txn so that no lock outlives one batch; it
// must therefore be re-runnable from any point between two batches.
type migration struct {
	version int
	name    string
	sql     map[string][]string
	online  func(ctx context.Context, conn runner, txn transactor, env migrationEnv) error
}

// statements are m's statements in dialect: none for a step that has no
// SQL at all, an error for a step that lacks that dialect.
func (m migration) statements(dialect string) ([]string, error) {
	if m.sql == nil {
		return nil, nil
	}
	stmts, ok := m.sql[dialect]
	if !ok {
		return nil, fmt.Errorf("no statements for dialect %q", dialect)
	}
	return stmts, nil
}

// migrationEnv is what data steps need from outside the database.
// beforeEmailBatch, nil outside tests, runs before each batch of the
// emails step is rewritten (batch counts from 0), so tests can interrupt
// the step or write concurrently.
type migrationEnv struct {
	emails           ports.EmailNormaliser
	beforeEmailBatch func(ctx context.Context, conn runner, batch int) error
}

// migrations is append-only: never edit a released step, add a new one.
var migrations = []migration{
	{version: 1, name: "users and sessions", sql: map[string][]string{
		// SQLite has no time type: the driver stores DATETIME values as text
		// "2006-01-02 15:04:05.999999-07:00". Every time is written in UTC
		// by ts(), so the text compares and sorts like the instant
		// (a shorter fraction is followed by "+", which sorts before digits).
		DriverSQLite: {
			`CREATE TABLE IF NOT EXISTS users (
				id            TEXT PRIMARY KEY,
				email         TEXT NOT NULL,
				role          TEXT NOT NULL,
				password_hash TEXT NOT NULL,
				created_at    DATETIME NOT NULL,
				updated_at    DATETIME NOT NULL)`,
			// Emails are lower-cased by domain.NewEmail, so a plain unique
			// index is case-insensitive uniqueness.
			`CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email)`,
			`CREATE TABLE IF NOT EXISTS sessions (
				id             TEXT PRIMARY KEY,
				user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				generation     INTEGER NOT NULL,
				salt           BLOB NOT NULL,
				created_at     DATETIME NOT NULL,
				rotated_at     DATETIME NULL,
				last_used_at   DATETIME NOT NULL,
				expires_at     DATETIME NOT NULL,
				max_expires_at DATETIME NULL,
				revoked_at     DATETIME NULL,
				revoke_reason  TEXT NOT NULL DEFAULT '',
				user_agent     TEXT NOT NULL DEFAULT '',
				ip             TEXT NOT NULL DEFAULT '')`,
			`CREATE INDEX IF NOT EXISTS sessions_user_id_idx ON sessions (user_id)`,
			`CREATE INDEX IF NOT EXISTS sessions_expires_at_idx ON sessions (expires_at)`,
			`CREATE INDEX IF NOT EXISTS sessions_revoked_at_idx ON sessions (revoked_at)`,
		},
		DriverPostgres: {
			// COLLATE "C" on ids: List pages by id in byte order on every
			// backend, whatever the database's locale.
			`CREATE TABLE IF NOT EXISTS users (
				id            VARCHAR(36) COLLATE "C" PRIMARY KEY,
				email         VARCHAR(254) NOT NULL,
				role          VARCHAR(32) NOT NULL,
				password_hash TEXT NOT NULL,
				created_at    TIMESTAMPTZ NOT NULL,
				updated_at    TIMESTAMPTZ NOT NULL)`,
			`CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email)`,
			`CREATE TABLE IF NOT EXISTS sessions (
				id             VARCHAR(36) COLLATE "C" PRIMARY KEY,
				user_id        VARCHAR(36) COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				generation     BIGINT NOT NULL,
				salt           BYTEA NOT NULL,
				created_at     TIMESTAMPTZ NOT NULL,
				rotated_at     TIMESTAMPTZ NULL,
				last_used_at   TIMESTAMPTZ NOT NULL,
				expires_at     TIMESTAMPTZ NOT NULL,
				max_expires_at TIMESTAMPTZ NULL,
				revoked_at     TIMESTAMPTZ NULL,
				revoke_reason  VARCHAR(32) NOT NULL DEFAULT '',
				user_agent     VARCHAR(512) NOT NULL DEFAULT '',
				ip             VARCHAR(64) NOT NULL DEFAULT '')`,
			`CREATE INDEX IF NOT EXISTS sessions_user_id_idx ON sessions (user_id)`,
			`CREATE INDEX IF NOT EXISTS sessions_expires_at_idx ON sessions (expires_at)`,
			`CREATE INDEX IF NOT EXISTS sessions_revoked_at_idx ON sessions (revoked_at)`,
		},
		DriverMySQL: {
			// utf8mb4_bin: byte-wise comparison like SQLite and Postgres, so
			// uniqueness and id ordering agree across backends (a _ci
			// collation would also equate accents, e.g. "é" and "e").
			// Indexes are inline: MySQL has no CREATE INDEX IF NOT EXISTS,
			// and one CREATE TABLE is atomic.
			`CREATE TABLE IF NOT EXISTS users (
				id            VARCHAR(36) NOT NULL PRIMARY KEY,
				email         VARCHAR(254) NOT NULL,
				role          VARCHAR(32) NOT NULL,
				password_hash VARCHAR(255) NOT NULL,
				created_at    DATETIME(6) NOT NULL,
				updated_at    DATETIME(6) NOT NULL,
				UNIQUE KEY users_email_key (email)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS sessions (
				id             VARCHAR(36) NOT NULL PRIMARY KEY,
				user_id        VARCHAR(36) NOT NULL,
				generation     BIGINT NOT NULL,
				salt           VARBINARY(64) NOT NULL,
				created_at     DATETIME(6) NOT NULL,
				rotated_at     DATETIME(6) NULL,
				last_used_at   DATETIME(6) NOT NULL,
				expires_at     DATETIME(6) NOT NULL,
				max_expires_at DATETIME(6) NULL,
				revoked_at     DATETIME(6) NULL,
				revoke_reason  VARCHAR(32) NOT NULL DEFAULT '',
				user_agent     VARCHAR(512) NOT NULL DEFAULT '',
				ip             VARCHAR(64) NOT NULL DEFAULT '',
				KEY sessions_user_id_idx (user_id),
				KEY sessions_expires_at_idx (expires_at),
				KEY sessions_revoked_at_idx (revoked_at),
				CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		},
	}},
	{version: 3, name: "normalise stored emails", online: normaliseStoredEmails},
	{version: 4, name: "one-time tokens and email_verified", sql: oneTimeTokensStep},
	// This step depends on none of 2 to 4.
	{version: 5, name: "two-factor authentication and sessions' amr", sql: mfaStep},
}

// schemaTable holds one row per applied migration.
var schemaTable = map[string]string{
	DriverSQLite:   `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at DATETIME NOT NULL)`,
	DriverPostgres: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`,
	DriverMySQL:    `CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, applied_at DATETIME(6) NOT NULL) ENGINE=InnoDB`,
}

// schemaTableSQL is schemaTable's DDL for dialect; an unknown dialect is
// an error.
func schemaTableSQL(dialect string) (string, error) {
	stmt, ok := schemaTable[dialect]
	if !ok {
		return "", fmt.Errorf("sqlstore: migrate: unsupported dialect %q", dialect)
	}
	return stmt, nil
}
