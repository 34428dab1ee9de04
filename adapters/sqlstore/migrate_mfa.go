package sqlstore

// mfaStep adds two-factor authentication: users' TOTP enrolments (the
// secret only sealed, see ports.SecretSealer), their recovery codes (keyed
// digests only), pending second login steps (the token's SHA-256 only), and
// sessions' amr. Recovery codes hang off the enrolment, so removing it
// removes them. The amr column is added with a constant default, a
// metadata-only change on every backend; sessions opened before read as
// password-only, which they were. The ALTER comes last, after the
// re-runnable CREATEs.
var mfaStep = map[string][]string{
	DriverSQLite: {
		`CREATE TABLE IF NOT EXISTS user_mfa (
			user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
			totp_secret BLOB NOT NULL,
			enabled_at  DATETIME NULL,
			last_step   INTEGER NOT NULL DEFAULT 0,
			created_at  DATETIME NOT NULL,
			updated_at  DATETIME NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS mfa_recovery_codes (
			user_id    TEXT NOT NULL REFERENCES user_mfa (user_id) ON DELETE CASCADE,
			digest     BLOB NOT NULL,
			created_at DATETIME NOT NULL,
			used_at    DATETIME NULL,
			PRIMARY KEY (user_id, digest))`,
		`CREATE TABLE IF NOT EXISTS mfa_challenges (
			hash             BLOB PRIMARY KEY,
			user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			device_id        TEXT NOT NULL DEFAULT '',
			cookie_transport BOOLEAN NOT NULL DEFAULT false,
			credential       BLOB NOT NULL,
			attempts         INTEGER NOT NULL DEFAULT 0,
			created_at       DATETIME NOT NULL,
			expires_at       DATETIME NOT NULL,
			used_at          DATETIME NULL)`,
		`CREATE INDEX IF NOT EXISTS mfa_challenges_user_idx ON mfa_challenges (user_id)`,
		`CREATE INDEX IF NOT EXISTS mfa_challenges_expires_at_idx ON mfa_challenges (expires_at)`,
		// SQLite DDL is transactional (immediate), so no guard is needed.
		`ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd'`,
	},
	DriverPostgres: {
		`CREATE TABLE IF NOT EXISTS user_mfa (
			user_id     VARCHAR(36) COLLATE "C" PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
			totp_secret BYTEA NOT NULL,
			enabled_at  TIMESTAMPTZ NULL,
			last_step   BIGINT NOT NULL DEFAULT 0,
			created_at  TIMESTAMPTZ NOT NULL,
			updated_at  TIMESTAMPTZ NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS mfa_recovery_codes (
			user_id    VARCHAR(36) COLLATE "C" NOT NULL REFERENCES user_mfa (user_id) ON DELETE CASCADE,
			digest     BYTEA NOT NULL,
			created_at TIMESTAMPTZ NOT NULL,
			used_at    TIMESTAMPTZ NULL,
			PRIMARY KEY (user_id, digest))`,
		`CREATE TABLE IF NOT EXISTS mfa_challenges (
			hash             BYTEA PRIMARY KEY,
			user_id          VARCHAR(36) COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			device_id        VARCHAR(36) NOT NULL DEFAULT '',
			cookie_transport BOOLEAN NOT NULL DEFAULT false,
			credential       BYTEA NOT NULL,
			attempts         INTEGER NOT NULL DEFAULT 0,
			created_at       TIMESTAMPTZ NOT NULL,
			expires_at       TIMESTAMPTZ NOT NULL,
			used_at          TIMESTAMPTZ NULL)`,
		`CREATE INDEX IF NOT EXISTS mfa_challenges_user_idx ON mfa_challenges (user_id)`,
		`CREATE INDEX IF NOT EXISTS mfa_challenges_expires_at_idx ON mfa_challenges (expires_at)`,
		`ALTER TABLE sessions ADD COLUMN IF NOT EXISTS amr VARCHAR(64) NOT NULL DEFAULT 'pwd'`,
	},
	DriverMySQL: {
		`CREATE TABLE IF NOT EXISTS user_mfa (
			user_id     VARCHAR(36) NOT NULL PRIMARY KEY,
			totp_secret VARBINARY(255) NOT NULL,
			enabled_at  DATETIME(6) NULL,
			last_step   BIGINT NOT NULL DEFAULT 0,
			created_at  DATETIME(6) NOT NULL,
			updated_at  DATETIME(6) NOT NULL,
			CONSTRAINT user_mfa_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
		) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		`CREATE TABLE IF NOT EXISTS mfa_recovery_codes (
			user_id    VARCHAR(36) NOT NULL,
			digest     VARBINARY(32) NOT NULL,
			created_at DATETIME(6) NOT NULL,
			used_at    DATETIME(6) NULL,
			PRIMARY KEY (user_id, digest),
			CONSTRAINT mfa_recovery_codes_mfa_fk FOREIGN KEY (user_id) REFERENCES user_mfa (user_id) ON DELETE CASCADE
		) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		`CREATE TABLE IF NOT EXISTS mfa_challenges (
			hash             VARBINARY(32) NOT NULL PRIMARY KEY,
			user_id          VARCHAR(36) NOT NULL,
			device_id        VARCHAR(36) NOT NULL DEFAULT '',
			cookie_transport BOOLEAN NOT NULL DEFAULT false,
			credential       VARBINARY(32) NOT NULL,
			attempts         INT NOT NULL DEFAULT 0,
			created_at       DATETIME(6) NOT NULL,
			expires_at       DATETIME(6) NOT NULL,
			used_at          DATETIME(6) NULL,
			KEY mfa_challenges_user_idx (user_id),
			KEY mfa_challenges_expires_at_idx (expires_at),
			CONSTRAINT mfa_challenges_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
		) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		// MySQL commits DDL at once and, unlike MariaDB, has no ADD COLUMN
		// IF NOT EXISTS: the ALTER runs only when the column is missing, so
		// a step interrupted after it can be applied again.
		`SET @authd_add_amr = IF((SELECT COUNT(*) FROM information_schema.columns
			WHERE table_schema = DATABASE() AND table_name = 'sessions' AND column_name = 'amr') = 0,
			'ALTER TABLE sessions ADD COLUMN amr VARCHAR(64) NOT NULL DEFAULT ''pwd''', 'DO 0')`,
		`PREPARE authd_add_amr FROM @authd_add_amr`,
		`EXECUTE authd_add_amr`,
		`DEALLOCATE PREPARE authd_add_amr`,
	},
}
