package sqlstore

// oneTimeTokensStep adds the tokens of email verification and password
// reset (only their SHA-256 is stored: hash is the key) and users'
// email_verified. The column is added online on every backend: a constant
// default is a metadata change (Postgres 11+, MySQL 8.0.12+ and MariaDB
// 10.3+ instant ADD COLUMN, SQLite's ALTER), and existing users read as
// unverified. The ALTER comes last, after the re-runnable CREATEs.
var oneTimeTokensStep = map[string][]string{
	DriverSQLite: {
		`CREATE TABLE IF NOT EXISTS one_time_tokens (
			hash       BLOB PRIMARY KEY,
			user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			purpose    TEXT NOT NULL,
			created_at DATETIME NOT NULL,
			expires_at DATETIME NOT NULL,
			used_at    DATETIME NULL)`,
		`CREATE INDEX IF NOT EXISTS one_time_tokens_user_idx ON one_time_tokens (user_id, purpose)`,
		`CREATE INDEX IF NOT EXISTS one_time_tokens_expires_at_idx ON one_time_tokens (expires_at)`,
		`CREATE INDEX IF NOT EXISTS one_time_tokens_used_at_idx ON one_time_tokens (used_at)`,
		// SQLite DDL is transactional (immediate), so no guard is needed.
		`ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false`,
	},
	DriverPostgres: {
		`CREATE TABLE IF NOT EXISTS one_time_tokens (
			hash       BYTEA PRIMARY KEY,
			user_id    VARCHAR(36) COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			purpose    VARCHAR(16) NOT NULL,
			created_at TIMESTAMPTZ NOT NULL,
			expires_at TIMESTAMPTZ NOT NULL,
			used_at    TIMESTAMPTZ NULL)`,
		`CREATE INDEX IF NOT EXISTS one_time_tokens_user_idx ON one_time_tokens (user_id, purpose)`,
		`CREATE INDEX IF NOT EXISTS one_time_tokens_expires_at_idx ON one_time_tokens (expires_at)`,
		`CREATE INDEX IF NOT EXISTS one_time_tokens_used_at_idx ON one_time_tokens (used_at)`,
		`ALTER TABLE users ADD COLUMN IF NOT EXISTS email_verified BOOLEAN NOT NULL DEFAULT false`,
	},
	DriverMySQL: {
		`CREATE TABLE IF NOT EXISTS one_time_tokens (
			hash       VARBINARY(32) NOT NULL PRIMARY KEY,
			user_id    VARCHAR(36) NOT NULL,
			purpose    VARCHAR(16) NOT NULL,
			created_at DATETIME(6) NOT NULL,
			expires_at DATETIME(6) NOT NULL,
			used_at    DATETIME(6) NULL,
			KEY one_time_tokens_user_idx (user_id, purpose),
			KEY one_time_tokens_expires_at_idx (expires_at),
			KEY one_time_tokens_used_at_idx (used_at),
			CONSTRAINT one_time_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
		) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		// MySQL commits DDL at once and, unlike MariaDB, has no ADD COLUMN
		// IF NOT EXISTS: the ALTER runs only when the column is missing, so
		// a step interrupted after it can be applied again.
		`SET @authd_add_email_verified = IF((SELECT COUNT(*) FROM information_schema.columns
			WHERE table_schema = DATABASE() AND table_name = 'users' AND column_name = 'email_verified') = 0,
			'ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false', 'DO 0')`,
		`PREPARE authd_add_email_verified FROM @authd_add_email_verified`,
		`EXECUTE authd_add_email_verified`,
		`DEALLOCATE PREPARE authd_add_email_verified`,
	},
}
