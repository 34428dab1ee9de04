package authd

import (
	"crypto/x509"
	"time"
)

// Config is authd's configuration, one field per section. Load fills it
// from the environment and flags; an embedding program may instead start
// from DefaultConfig and set fields in Go. There is no global config.
//
// Secrets and URLs that may hold a password (Keys, Mail.SMTPURL) are never
// logged or printed by authd.
type Config struct {
	HTTP     HTTPConfig
	Storage  StorageConfig
	Keys     KeysConfig
	Tokens   TokensConfig
	Accounts AccountsConfig
	Sessions SessionsConfig
	Throttle ThrottleConfig
	Hashing  HashingConfig
	Mail     MailConfig
	MFA      MFAConfig
	Log      LogConfig
}

// HTTPConfig is the listener and what it believes of clients.
type HTTPConfig struct {
	Addr           string   // listen address, e.g. ":8080"
	TrustedProxies []string // CIDRs or addresses whose X-Forwarded-For/-Proto are believed
	CookieSecure   bool     // Secure flag of the refresh and device cookies
	AllowedOrigins []string // origins besides authd's own that may use the refresh cookie
}

// StorageConfig is the database and the folder of the embedded default.
type StorageConfig struct {
	Driver string // DriverSQLite, DriverPostgres or DriverMySQL
	// DSN is the driver's data source name; empty with SQLite means a file
	// in DataDir (see DataSource). Postgres and MySQL require it.
	DSN string
	// DataDir holds the SQLite database, generated secrets and keys, and
	// the mail outbox.
	DataDir      string
	MaxConns     int           // connection pool size, at least 1
	QueryTimeout time.Duration // bound of one database call
}

// KeysConfig is the key material of access and refresh tokens. Empty
// secrets and an empty KeyDir are generated into Storage.DataDir with the
// embedded SQLite database and are an error with any other driver.
type KeysConfig struct {
	Alg                string   // HS256, EdDSA, ES256 or RS256
	JWTSecret          string   // HS256 signing secret, at least 32 bytes
	JWTNextSecret      string   // HS256 secret that verifies, never signs (rotation phase 1)
	JWTPreviousSecrets []string // retired HS256 secrets that still verify
	KeyDir             string   // asymmetric algorithms: folder of PEM private keys
	ReloadInterval     time.Duration
	RefreshSecret      string   // HMAC key of refresh tokens, at least 32 bytes
	RefreshPrevSecrets []string // retired refresh keys whose tokens still rotate
}

// TokensConfig is what access tokens say and how strictly they are checked.
type TokensConfig struct {
	Issuer    string
	Audience  string
	AccessTTL time.Duration // lifetime of an access token, at least 1s
	ClockSkew time.Duration // leeway on exp, nbf and iat, 0 to 60s
}

// AccountsConfig is who may create an account and log in.
type AccountsConfig struct {
	RegistrationOpen bool // false: only admins and the command line create users
	// RequireVerifiedEmail: no login, and no session at registration, for
	// an account whose email is not verified.
	RequireVerifiedEmail bool
}

// SessionsConfig is the lifetime of sessions (refresh token families).
type SessionsConfig struct {
	RefreshTTL time.Duration // idle timeout: lifetime of a refresh token from its issue
	MaxAge     time.Duration // absolute lifetime of a session; 0: none
	ReuseGrace time.Duration // window answering a just-rotated token again, 0 to 5m
	MaxPerUser int           // live sessions per user; 0: unlimited
	Retention  time.Duration // how long ended sessions are kept before purge
}

// ThrottleConfig is the login failure counts and the request rate limit.
// Every limit of 0 is off.
type ThrottleConfig struct {
	LoginMaxFailures        int           // per (account, address) and per device token
	LoginFailureWindow      time.Duration // the window of every failure count, positive
	LoginMaxFailuresAccount int           // per account across addresses
	IPMaxFailures           int           // per address across accounts
	IPRateLimit             int           // requests per minute per address on the open endpoints
	// RedisURL, when set, keeps every count in Redis, shared by the
	// replicas; empty: each process counts on its own. It may hold a
	// password: authd never logs or prints it.
	RedisURL string
}

// HashingConfig is the password hash and the queue of hashes waiting for
// a worker; past the queue's size or wait, a request is refused (503 BUSY).
type HashingConfig struct {
	BcryptCost   int           // 4 to 31
	Queue        int           // hashes waiting at most, 1 to 65536
	QueueTimeout time.Duration // longest wait, more than 0 and at most 20s
}

// MailConfig is account mail (verification and reset links). An empty
// SMTPURL writes mails into <Storage.DataDir>/outbox instead of sending.
type MailConfig struct {
	SMTPURL        string // smtp:// (STARTTLS) or smtps://; may hold a password
	From           string // sender, one address with an optional display name
	Templates      string // folder of templates replacing the embedded ones
	LinkURL        string // page the mailed links open; the token goes in its fragment
	VerifyTokenTTL time.Duration
	ResetTokenTTL  time.Duration
	// RootCAs, when set, is the only set of roots the mail server's
	// certificate is checked against (nil: the system's). It has no
	// variable: an embedding program or a test sets it in Go.
	RootCAs *x509.CertPool
}

// MFAConfig is two-factor authentication (TOTP).
type MFAConfig struct {
	Issuer       string // the name authenticator apps show; empty: Tokens.Issuer
	AdminRequire bool   // admin routes need a token whose amr has mfa
}

// LogConfig is the process log.
type LogConfig struct {
	Format string // json or text
}

// Drivers authd can store data in.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
	DriverMySQL    = "mysql"
)

// DefaultConfig is the configuration with every setting at its default:
// the embedded SQLite database under ./data, HS256 with generated secrets.
func DefaultConfig() Config {
	var c Config
	for _, s := range settings(&c) {
		if err := s.value.Set(s.def); err != nil {
			panic("authd: default of " + s.env + ": " + err.Error()) // a bug in the settings table
		}
	}
	return c
}

// Embedded reports whether the database is the embedded SQLite default,
// the only case where missing secrets and keys may be generated.
func (s StorageConfig) Embedded() bool { return s.Driver == DriverSQLite }

// DataSource is the DSN the database is opened with: DSN, or with SQLite
// and no DSN, the file authd.db in DataDir.
func (s StorageConfig) DataSource() string {
	if s.DSN == "" && s.Embedded() {
		return "file:" + s.DataDir + "/authd.db"
	}
	return s.DSN
}
