package authd

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is authd's typed, validated configuration. Load fills it from the
// environment and then from flags; there is no global config.
type Config struct {
	HTTPAddr           string
	DBDriver           string
	DBDSN              string
	DataDir            string
	JWTSecret          string
	JWTNextSecret      string
	JWTPreviousSecrets string
	JWTAlg             string
	JWTKeyDir          string
	KeyReloadInterval  time.Duration
	RefreshSecret      string
	RefreshPrevSecrets string
	Issuer             string
	Audience           string
	AccessTTL          time.Duration
	RefreshTTL         time.Duration
	SessionMaxAge      time.Duration
	MaxSessionsPerUser int // 0: unlimited
	RefreshReuseGrace  time.Duration
	SessionRetention   time.Duration
	ClockSkew          time.Duration
	BcryptCost         int
	HashQueue          int
	HashQueueTimeout   time.Duration
	RegistrationOpen   bool
	CookieSecure       bool
	AllowedOrigins     []string
	LoginMaxFailures   int
	LoginFailureWindow time.Duration
	IPRateLimit        int
	TrustedProxies     []string
	LogFormat          string
	DBMaxConns         int
	DBQueryTimeout     time.Duration

	// Account mails. SMTPURL may hold a password: never log or print it.
	SMTPURL        string
	MailFrom       string
	MailTemplates  string
	EmailLinkURL   string
	VerifyTokenTTL time.Duration
	ResetTokenTTL  time.Duration
	// RequireVerifiedEmail: no login, and no session at registration, for
	// an account whose email is not verified.
	RequireVerifiedEmail bool
	// SMTPRootCAs, when set, is the only set of roots the mail server's
	// certificate is checked against (nil: the system's). It is no
	// environment setting: an embedding program, or a test trusting its own
	// server, sets it after Load.
	SMTPRootCAs *x509.CertPool

	// Failed-login limits beside LoginMaxFailures (per account and address).
	LoginMaxFailuresAccount int // per account across addresses
	IPMaxFailures           int // per address across accounts

	// RedisURL, when set, keeps every throttle in Redis, shared by the
	// replicas. It may hold a password: never log or print it.
	RedisURL string
	// Two-factor authentication.
	MFAIssuer       string // the name authenticator apps show; "" means Issuer
	AdminRequireMFA bool
}

// Drivers authd can store data in.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
	DriverMySQL    = "mysql"
)

// setting is one variable: its environment name, flag, default and parser.
type setting struct {
	env, flag, def, usage string
	set                   func(v string) error
}

// Load reads every setting from getenv, then from args (flags win), and
// validates the result. Errors name the variable.
func Load(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("authd serve", flag.ContinueOnError)
	fs.SetOutput(out)
	for _, s := range settings(&c) {
		v := s.def
		if e, ok := lookup(getenv, s.env); ok {
			v = e
		}
		if err := s.set(v); err != nil {
			return Config{}, fmt.Errorf("%s: %w", s.env, err)
		}
		fs.Func(s.flag, fmt.Sprintf("%s (env %s, default %q)", s.usage, s.env, s.def), func(v string) error {
			if err := s.set(v); err != nil {
				return fmt.Errorf("%s: %w", s.env, err)
			}
			return nil
		})
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.DBDSN == "" && c.DBDriver == DriverSQLite {
		c.DBDSN = "file:" + c.DataDir + "/authd.db"
	}
	return c, c.validate()
}

// Bounds of the hash queue: each waiting hash holds a request and its
// goroutine, and a wait must leave the hash itself time to finish within
// the server's write timeout.
const (
	maxHashQueue        = 65536
	maxHashQueueTimeout = 20 * time.Second
)

func (c Config) validate() error {
	switch {
	case c.DBDSN == "":
		return errors.New("AUTHD_DB_DSN: required with driver " + c.DBDriver)
	case c.ClockSkew < 0 || c.ClockSkew > time.Minute:
		return errors.New("AUTHD_CLOCK_SKEW: must be between 0s and 60s")
	case c.AccessTTL < time.Second:
		return errors.New("AUTHD_ACCESS_TTL: must be at least 1s")
	case c.RefreshTTL < time.Second:
		return errors.New("AUTHD_REFRESH_TTL: must be at least 1s")
	case c.SessionMaxAge < 0:
		return errors.New("AUTHD_SESSION_MAX_AGE: must not be negative")
	case c.RefreshReuseGrace < 0 || c.RefreshReuseGrace > 5*time.Minute:
		return errors.New("AUTHD_REFRESH_REUSE_GRACE: must be between 0s and 5m")
	case c.BcryptCost < 4 || c.BcryptCost > 31:
		return errors.New("AUTHD_BCRYPT_COST: must be between 4 and 31")
	case c.HashQueue < 1 || c.HashQueue > maxHashQueue:
		return fmt.Errorf("AUTHD_HASH_QUEUE: must be between 1 and %d", maxHashQueue)
	case c.HashQueueTimeout <= 0 || c.HashQueueTimeout > maxHashQueueTimeout:
		return fmt.Errorf("AUTHD_HASH_QUEUE_TIMEOUT: must be more than 0s and at most %s", maxHashQueueTimeout)
	case c.MaxSessionsPerUser < 0:
		return errors.New("AUTHD_MAX_SESSIONS_PER_USER: must not be negative")
	case c.LoginMaxFailures < 0:
		return errors.New("AUTHD_LOGIN_MAX_FAILURES: must not be negative")
	case c.LoginFailureWindow <= 0:
		return errors.New("AUTHD_LOGIN_FAILURE_WINDOW: must be positive")
	case c.LoginMaxFailuresAccount < 0:
		return errors.New("AUTHD_LOGIN_MAX_FAILURES_ACCOUNT: must not be negative")
	case c.IPMaxFailures < 0:
		return errors.New("AUTHD_IP_MAX_FAILURES: must not be negative")
	case c.IPRateLimit < 0:
		return errors.New("AUTHD_IP_RATE_LIMIT: must not be negative")
	case c.SessionRetention < 0:
		return errors.New("AUTHD_SESSION_RETENTION: must not be negative")
	case c.DBMaxConns < 1:
		return errors.New("AUTHD_DB_MAX_CONNS: must be at least 1")
	case c.DBQueryTimeout <= 0:
		return errors.New("AUTHD_DB_QUERY_TIMEOUT: must be positive")
	case c.KeyReloadInterval < time.Second:
		return errors.New("AUTHD_KEY_RELOAD_INTERVAL: must be at least 1s")
	}
	for _, p := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return fmt.Errorf("AUTHD_TRUSTED_PROXIES: %q is neither a CIDR nor an IP address", p)
		}
	}
	for _, o := range c.AllowedOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("AUTHD_ALLOWED_ORIGINS: %q is not an origin like https://app.example.com", o)
		}
	}
	if err := c.validateRedis(); err != nil {
		return err
	}
	return c.validateMail()
}

// Embedded reports whether the database is the embedded SQLite default,
// the only case where missing secrets and keys may be generated.
func (c Config) Embedded() bool { return c.DBDriver == DriverSQLite }

func oneOf(field *string, allowed ...string) func(string) error {
	return func(v string) error {
		for _, a := range allowed {
			if v == a {
				*field = v
				return nil
			}
		}
		return fmt.Errorf("must be one of %s, not %q", strings.Join(allowed, ", "), v)
	}
}

func duration(field *time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("not a duration: %q", v)
		}
		*field = d
		return nil
	}
}

func integer(field *int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("not a whole number: %q", v)
		}
		*field = n
		return nil
	}
}

func boolean(field *bool) func(string) error {
	return func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("not true or false: %q", v)
		}
		*field = b
		return nil
	}
}

func text(field *string) func(string) error {
	return func(v string) error { *field = v; return nil }
}

func list(field *[]string) func(string) error {
	return func(v string) error {
		*field = nil
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				*field = append(*field, item)
			}
		}
		return nil
	}
}

// lookup treats an empty variable as unset, as shells and compose files
// often export empty values for "use the default".
func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}
