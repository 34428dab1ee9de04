package authd

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/sqlstore"
)

// Section is a group of settings: a field of Config, a heading of
// `authd serve --help` and of docs/configuration.md.
type Section string

// The sections, in the order of Config, the help and the reference.
const (
	SectionHTTP     Section = "HTTP"
	SectionStorage  Section = "Storage"
	SectionKeys     Section = "Keys"
	SectionTokens   Section = "Tokens"
	SectionAccounts Section = "Accounts"
	SectionSessions Section = "Sessions"
	SectionThrottle Section = "Throttling"
	SectionHashing  Section = "Password hashing"
	SectionMail     Section = "Mail"
	SectionMFA      Section = "Two-factor authentication"
	SectionLog      Section = "Log"
)

// setting is one row of the table: its variable (the flag is derived from
// it), section, default as the variable would be written, one line of help,
// its field in a Config, and optionally a rule tying it to other settings.
type setting struct {
	section Section
	env     string
	def     string
	usage   string
	value   value
	rule    func() error
}

// flag is the setting's flag: AUTHD_ACCESS_TTL -> access-ttl.
func (s setting) flag() string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(s.env, "AUTHD_")), "_", "-")
}

// settings is the table: every variable authd reads, bound to c's fields.
// It is the one source of names, defaults, flags, help and validation;
// docs/configuration.md is checked against it.
func settings(c *Config) []setting {
	h, st, k, t, a, se, th, ha, m := &c.HTTP, &c.Storage, &c.Keys, &c.Tokens, &c.Accounts, &c.Sessions, &c.Throttle, &c.Hashing, &c.Mail
	return []setting{
		{SectionHTTP, "AUTHD_HTTP_ADDR", ":8080", "listen address", textValue{&h.Addr}, nil},
		{SectionHTTP, "AUTHD_TRUSTED_PROXIES", "", "CIDRs or addresses whose X-Forwarded-For and X-Forwarded-Proto are believed", listValue{&h.TrustedProxies, checkProxy}, nil},
		{SectionHTTP, "AUTHD_COOKIE_SECURE", "true", "Secure flag on the refresh and device cookies", boolValue{&h.CookieSecure}, nil},
		{SectionHTTP, "AUTHD_ALLOWED_ORIGINS", "", "extra origins allowed to use the refresh cookie (comma-separated)", listValue{&h.AllowedOrigins, checkOrigin}, nil},

		{SectionStorage, "AUTHD_DB_DRIVER", DriverSQLite, "sqlite, postgres or mysql", choiceValue{&st.Driver, []string{DriverSQLite, DriverPostgres, DriverMySQL}}, nil},
		{SectionStorage, "AUTHD_DB_DSN", "", "the driver's DSN (sqlite default: file:<data dir>/authd.db)", textValue{&st.DSN}, func() error {
			return requiredUnlessEmbedded(st.DSN != "", st)
		}},
		{SectionStorage, "AUTHD_DATA_DIR", "data", "where the embedded default keeps its database, generated secrets and keys, and the mail outbox", textValue{&st.DataDir}, nil},
		{SectionStorage, "AUTHD_DB_MAX_CONNS", strconv.Itoa(sqlstore.DefaultPool().MaxOpen), "database connection pool size; the default is 2 per core + 2", countFrom(&st.MaxConns, 1), nil},
		{SectionStorage, "AUTHD_DB_QUERY_TIMEOUT", "5s", "timeout of one database call", positive(&st.QueryTimeout), nil},

		{SectionKeys, "AUTHD_JWT_ALG", "HS256", "HS256, EdDSA, ES256 or RS256", choiceValue{&k.Alg, []string{"HS256", "EdDSA", "ES256", "RS256"}}, nil},
		{SectionKeys, "AUTHD_JWT_SECRET", "", "HS256 secret, at least 32 bytes (sqlite: generated when unset)", secretValue{&k.JWTSecret}, func() error {
			return requiredUnlessEmbedded(k.JWTSecret != "" || k.Alg != "HS256", st)
		}},
		{SectionKeys, "AUTHD_JWT_NEXT_SECRET", "", "HS256 secret that verifies but never signs (first phase of a rotation)", secretValue{&k.JWTNextSecret}, nil},
		{SectionKeys, "AUTHD_JWT_PREVIOUS_SECRETS", "", "retired HS256 secrets that still verify (comma-separated)", secretList{&k.JWTPreviousSecrets}, nil},
		{SectionKeys, "AUTHD_JWT_KEY_DIR", "", "folder of PEM private keys for the asymmetric algorithms (sqlite: <data dir>/keys)", textValue{&k.KeyDir}, func() error {
			return requiredUnlessEmbedded(k.KeyDir != "" || k.Alg == "HS256", st)
		}},
		{SectionKeys, "AUTHD_KEY_RELOAD_INTERVAL", "30s", "how often the key folder is re-read (also on SIGHUP)", atLeast(&k.ReloadInterval, time.Second), nil},
		{SectionKeys, "AUTHD_REFRESH_SECRET", "", "HMAC key of refresh tokens, at least 32 bytes (sqlite: generated when unset)", secretValue{&k.RefreshSecret}, func() error {
			return requiredUnlessEmbedded(k.RefreshSecret != "", st)
		}},
		{SectionKeys, "AUTHD_REFRESH_PREVIOUS_SECRETS", "", "retired refresh HMAC keys whose tokens still rotate (comma-separated)", secretList{&k.RefreshPrevSecrets}, nil},

		{SectionTokens, "AUTHD_ISSUER", "authd", "iss of access tokens", textValue{&t.Issuer}, nil},
		{SectionTokens, "AUTHD_AUDIENCE", "authd", "aud of access tokens", textValue{&t.Audience}, nil},
		{SectionTokens, "AUTHD_ACCESS_TTL", "15m", "access token lifetime", atLeast(&t.AccessTTL, time.Second), nil},
		{SectionTokens, "AUTHD_CLOCK_SKEW", "30s", "leeway on exp/nbf/iat", between(&t.ClockSkew, 0, time.Minute), nil},

		{SectionAccounts, "AUTHD_REGISTRATION", "open", "open or closed (closed: only admins and the CLI create users)", switchValue{&a.RegistrationOpen, "open", "closed"}, nil},
		{SectionAccounts, "AUTHD_REQUIRE_VERIFIED_EMAIL", "false", "refuse the login of accounts whose email is not verified", boolValue{&a.RequireVerifiedEmail}, nil},

		{SectionSessions, "AUTHD_REFRESH_TTL", "720h", "refresh token lifetime (session idle timeout)", atLeast(&se.RefreshTTL, time.Second), nil},
		{SectionSessions, "AUTHD_SESSION_MAX_AGE", "0", "absolute session lifetime (0: off)", atLeast(&se.MaxAge, 0), nil},
		{SectionSessions, "AUTHD_REFRESH_REUSE_GRACE", "10s", "window answering a just-rotated token idempotently", between(&se.ReuseGrace, 0, 5*time.Minute), nil},
		{SectionSessions, "AUTHD_MAX_SESSIONS_PER_USER", "100", "live sessions per user; one more ends the least recently used (0: unlimited)", count(&se.MaxPerUser), nil},
		{SectionSessions, "AUTHD_SESSION_RETENTION", "168h", "how long ended sessions are kept before purge", atLeast(&se.Retention, 0), nil},

		{SectionThrottle, "AUTHD_LOGIN_MAX_FAILURES", "10", "failed logins per (account, client address), and per device token, per window (0: off)", count(&th.LoginMaxFailures), nil},
		{SectionThrottle, "AUTHD_LOGIN_FAILURE_WINDOW", "15m", "the window of the failed-login counts", positive(&th.LoginFailureWindow), nil},
		{SectionThrottle, "AUTHD_LOGIN_MAX_FAILURES_ACCOUNT", "100", "failed logins per account across addresses per window, past which only device-token holders may log in (0: off)", count(&th.LoginMaxFailuresAccount), nil},
		{SectionThrottle, "AUTHD_IP_MAX_FAILURES", "50", "failed logins per client address across accounts per window (0: off)", count(&th.IPMaxFailures), nil},
		{SectionThrottle, "AUTHD_IP_RATE_LIMIT", "300", "requests per minute per client address on register, login, refresh, logout and the email endpoints (0: off)", count(&th.IPRateLimit), nil},
		{SectionThrottle, "AUTHD_REDIS_URL", "", "redis://[:pass@]host:port/db or rediss://…: throttles shared by all replicas in Redis (empty: per process)", checkedText{&th.RedisURL, checkRedisURL}, nil},

		{SectionHashing, "AUTHD_BCRYPT_COST", "12", "bcrypt cost", countIn(&ha.BcryptCost, 4, 31), nil},
		{SectionHashing, "AUTHD_HASH_QUEUE", strconv.Itoa(passhash.DefaultQueuePerCore * runtime.NumCPU()), "password hashes waiting for a worker at most; the default is 64 per core; more are refused with 503 BUSY", countIn(&ha.Queue, 1, maxHashQueue), nil},
		{SectionHashing, "AUTHD_HASH_QUEUE_TIMEOUT", shortDuration(passhash.DefaultQueueTimeout), "longest wait of a password hash for a worker before 503 BUSY", between(&ha.QueueTimeout, 1, maxHashQueueTimeout), nil},

		{SectionMail, "AUTHD_SMTP_URL", "", "mail server, smtp://[user:pass@]host:port (STARTTLS; ?tls=none: plain relay) or smtps://…; empty: .eml files in <data dir>/outbox", checkedText{&m.SMTPURL, checkSMTPURL}, nil},
		{SectionMail, "AUTHD_MAIL_FROM", mail.DefaultFrom, "sender of account mails", checkedText{&m.From, checkMailFrom}, nil},
		{SectionMail, "AUTHD_MAIL_TEMPLATES", "", "folder whose files replace the embedded mail templates of the same name", textValue{&m.Templates}, nil},
		{SectionMail, "AUTHD_EMAIL_LINK_URL", "http://localhost:8080/demo/", "page the links in mails open; the token travels in the fragment", checkedText{&m.LinkURL, checkLinkURL}, nil},
		{SectionMail, "AUTHD_VERIFY_TOKEN_TTL", "24h", "lifetime of an email verification link", atLeast(&m.VerifyTokenTTL, time.Minute), nil},
		{SectionMail, "AUTHD_RESET_TOKEN_TTL", "30m", "lifetime of a password reset link", atLeast(&m.ResetTokenTTL, time.Minute), nil},

		{SectionMFA, "AUTHD_MFA_ISSUER", "", "the service name authenticator apps show for TOTP (empty: AUTHD_ISSUER)", textValue{&c.MFA.Issuer}, nil},
		{SectionMFA, "AUTHD_ADMIN_REQUIRE_MFA", "false", "admin routes need a token whose amr has mfa (a second factor at login)", boolValue{&c.MFA.AdminRequire}, nil},

		{SectionLog, "AUTHD_LOG_FORMAT", "json", "json or text", choiceValue{&c.Log.Format, []string{"json", "text"}}, nil},
	}
}

// Bounds of the hash queue: each waiting hash holds a request and its
// goroutine, and a wait must leave the hash itself time to finish within
// the server's write timeout.
const (
	maxHashQueue        = 65536
	maxHashQueueTimeout = 20 * time.Second
)

// retired are variables authd no longer reads, with what to set instead;
// one that is still set is warned about like an unknown variable.
var retired = map[string]string{
	"AUTHD_MEMORY_LIMIT": "set GOMEMLIMIT, which the Go runtime applies itself",
}

// requiredUnlessEmbedded is the rule of what only the embedded default may
// leave out (it generates secrets and keys, and has a default DSN).
func requiredUnlessEmbedded(given bool, st *StorageConfig) error {
	if given || st.Embedded() {
		return nil
	}
	return fmt.Errorf("required with driver %s", st.Driver)
}
