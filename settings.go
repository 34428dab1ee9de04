package authd

import (
	"runtime"
	"strconv"

	"github.com/authd-dev/authd/adapters/gormstore"
	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/adapters/passhash"
)

// settings lists every variable with its flag, default and parser, in the
// order of the README's configuration table.
func settings(c *Config) []setting {
	return []setting{
		{"AUTHD_HTTP_ADDR", "http-addr", ":8080", "listen address", text(&c.HTTPAddr)},
		{"AUTHD_DB_DRIVER", "db-driver", DriverSQLite, "sqlite, postgres or mysql", oneOf(&c.DBDriver, DriverSQLite, DriverPostgres, DriverMySQL)},
		{"AUTHD_DB_DSN", "db-dsn", "", "the driver's DSN (sqlite default: file:<data dir>/authd.db)", text(&c.DBDSN)},
		{"AUTHD_DATA_DIR", "data-dir", "data", "where the embedded default keeps its database, secrets and keys", text(&c.DataDir)},
		{"AUTHD_JWT_SECRET", "jwt-secret", "", "HS256 secret, at least 32 bytes", text(&c.JWTSecret)},
		{"AUTHD_JWT_NEXT_SECRET", "jwt-next-secret", "", "HS256 secret that verifies but never signs (first phase of a rotation)", text(&c.JWTNextSecret)},
		{"AUTHD_JWT_PREVIOUS_SECRETS", "jwt-previous-secrets", "", "retired HS256 secrets that still verify (comma-separated)", text(&c.JWTPreviousSecrets)},
		{"AUTHD_JWT_ALG", "jwt-alg", "HS256", "HS256, EdDSA, ES256 or RS256", oneOf(&c.JWTAlg, "HS256", "EdDSA", "ES256", "RS256")},
		{"AUTHD_JWT_KEY_DIR", "jwt-key-dir", "", "folder of PEM private keys for asymmetric algorithms", text(&c.JWTKeyDir)},
		{"AUTHD_KEY_RELOAD_INTERVAL", "key-reload-interval", "30s", "how often the key folder is re-read (also on SIGHUP)", duration(&c.KeyReloadInterval)},
		{"AUTHD_REFRESH_SECRET", "refresh-secret", "", "HMAC key of refresh tokens, at least 32 bytes", text(&c.RefreshSecret)},
		{"AUTHD_REFRESH_PREVIOUS_SECRETS", "refresh-previous-secrets", "", "retired refresh HMAC keys whose tokens still rotate (comma-separated)", text(&c.RefreshPrevSecrets)},
		{"AUTHD_ISSUER", "issuer", "authd", "iss of access tokens", text(&c.Issuer)},
		{"AUTHD_AUDIENCE", "audience", "authd", "aud of access tokens", text(&c.Audience)},
		{"AUTHD_ACCESS_TTL", "access-ttl", "15m", "access token lifetime", duration(&c.AccessTTL)},
		{"AUTHD_REFRESH_TTL", "refresh-ttl", "720h", "refresh token lifetime (session idle timeout)", duration(&c.RefreshTTL)},
		{"AUTHD_SESSION_MAX_AGE", "session-max-age", "0", "absolute session lifetime (0: off)", duration(&c.SessionMaxAge)},
		{"AUTHD_MAX_SESSIONS_PER_USER", "max-sessions-per-user", "100", "live sessions per user; one more ends the least recently used (0: unlimited)", integer(&c.MaxSessionsPerUser)},
		{"AUTHD_REFRESH_REUSE_GRACE", "refresh-reuse-grace", "10s", "window answering a just-rotated token idempotently", duration(&c.RefreshReuseGrace)},
		{"AUTHD_SESSION_RETENTION", "session-retention", "168h", "how long ended sessions are kept before purge", duration(&c.SessionRetention)},
		{"AUTHD_CLOCK_SKEW", "clock-skew", "30s", "leeway on exp/nbf/iat (0s to 60s)", duration(&c.ClockSkew)},
		{"AUTHD_BCRYPT_COST", "bcrypt-cost", "12", "bcrypt cost (4-31)", integer(&c.BcryptCost)},
		{"AUTHD_HASH_QUEUE", "hash-queue", strconv.Itoa(passhash.DefaultQueuePerCore * runtime.NumCPU()), "password hashes waiting for a worker at most (default: 64 per core); more are refused with 503 BUSY", integer(&c.HashQueue)},
		{"AUTHD_HASH_QUEUE_TIMEOUT", "hash-queue-timeout", passhash.DefaultQueueTimeout.String(), "longest wait of a password hash for a worker before 503 BUSY", duration(&c.HashQueueTimeout)},
		{"AUTHD_REGISTRATION", "registration", "open", "open or closed", registration(&c.RegistrationOpen)},
		{"AUTHD_COOKIE_SECURE", "cookie-secure", "true", "Secure flag on the refresh cookie", boolean(&c.CookieSecure)},
		{"AUTHD_ALLOWED_ORIGINS", "allowed-origins", "", "extra origins allowed to use the refresh cookie", list(&c.AllowedOrigins)},
		{"AUTHD_LOGIN_MAX_FAILURES", "login-max-failures", "10", "failed logins per (account, client address), and per device token, per window (0: off)", integer(&c.LoginMaxFailures)},
		{"AUTHD_LOGIN_FAILURE_WINDOW", "login-failure-window", "15m", "the window of the failed-login counts", duration(&c.LoginFailureWindow)},
		{"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT", "login-max-failures-account", "100", "failed logins per account across addresses per window, past which only device-token holders may log in (0: off)", integer(&c.LoginMaxFailuresAccount)},
		{"AUTHD_IP_MAX_FAILURES", "ip-max-failures", "50", "failed logins per client address across accounts per window (0: off)", integer(&c.IPMaxFailures)},
		{"AUTHD_IP_RATE_LIMIT", "ip-rate-limit", "300", "requests per minute per client address on register, login, refresh, logout and the email endpoints (0: off)", integer(&c.IPRateLimit)},
		{"AUTHD_TRUSTED_PROXIES", "trusted-proxies", "", "CIDRs whose X-Forwarded-For and X-Forwarded-Proto are believed", list(&c.TrustedProxies)},
		{"AUTHD_REDIS_URL", "redis-url", "", "redis://[:pass@]host:port/db or rediss://…: throttles shared by all replicas in Redis (empty: per process)", text(&c.RedisURL)},
		{"AUTHD_LOG_FORMAT", "log-format", "json", "json or text", oneOf(&c.LogFormat, "json", "text")},
		{"AUTHD_DB_MAX_CONNS", "db-max-conns", strconv.Itoa(gormstore.DefaultPool().MaxOpen), "database connection pool size (default: 2 per core + 2)", integer(&c.DBMaxConns)},
		{"AUTHD_DB_QUERY_TIMEOUT", "db-query-timeout", "5s", "timeout of one database query", duration(&c.DBQueryTimeout)},
		{"AUTHD_SMTP_URL", "smtp-url", "", "mail server, smtp://[user:pass@]host:port (STARTTLS; ?tls=none: plain relay) or smtps://…; empty: .eml files in <data dir>/outbox", text(&c.SMTPURL)},
		{"AUTHD_MAIL_FROM", "mail-from", mail.DefaultFrom, "sender of account mails", text(&c.MailFrom)},
		{"AUTHD_MAIL_TEMPLATES", "mail-templates", "", "folder whose files replace the embedded mail templates of the same name", text(&c.MailTemplates)},
		{"AUTHD_EMAIL_LINK_URL", "email-link-url", "http://localhost:8080/demo/", "page the links in mails open; the token travels in the fragment", text(&c.EmailLinkURL)},
		{"AUTHD_VERIFY_TOKEN_TTL", "verify-token-ttl", "24h", "lifetime of an email verification link", duration(&c.VerifyTokenTTL)},
		{"AUTHD_RESET_TOKEN_TTL", "reset-token-ttl", "30m", "lifetime of a password reset link", duration(&c.ResetTokenTTL)},
		{"AUTHD_REQUIRE_VERIFIED_EMAIL", "require-verified-email", "false", "refuse the login of accounts whose email is not verified", boolean(&c.RequireVerifiedEmail)},
		{"AUTHD_MFA_ISSUER", "mfa-issuer", "", "the service name authenticator apps show for TOTP (empty: AUTHD_ISSUER)", text(&c.MFAIssuer)},
		{"AUTHD_ADMIN_REQUIRE_MFA", "admin-require-mfa", "false", "admin routes need a token whose amr has mfa (a second factor at login)", boolean(&c.AdminRequireMFA)},
	}
}

func registration(field *bool) func(string) error {
	var mode string
	pick := oneOf(&mode, "open", "closed")
	return func(v string) error {
		if err := pick(v); err != nil {
			return err
		}
		*field = mode == "open"
		return nil
	}
}
