package authd

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	return Load(args, func(k string) string { return env[k] }, io.Discard)
}

// Load with an empty environment is DefaultConfig, and it is valid: an
// embedding program starting from DefaultConfig gets what the CLI gets.
func TestDefaultConfigIsWhatLoadReadsFromNothing(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, DefaultConfig()) {
		t.Fatalf("Load = %+v\nDefaultConfig = %+v", c, DefaultConfig())
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != ":8080" || c.Storage.Driver != DriverSQLite || c.Storage.DataSource() != "file:data/authd.db" ||
		c.Keys.Alg != "HS256" || c.Tokens.AccessTTL != 15*time.Minute || c.Sessions.RefreshTTL != 720*time.Hour ||
		c.Sessions.ReuseGrace != 10*time.Second || c.Tokens.ClockSkew != 30*time.Second || c.Hashing.BcryptCost != 12 ||
		!c.Accounts.RegistrationOpen || !c.HTTP.CookieSecure || c.Throttle.LoginMaxFailures != 10 ||
		c.Throttle.LoginFailureWindow != 15*time.Minute || c.Throttle.IPRateLimit != 300 || c.Tokens.Issuer != "authd" ||
		c.Tokens.Audience != "authd" || c.Log.Format != "json" || c.Sessions.MaxAge != 0 || c.Sessions.MaxPerUser != 100 ||
		c.Keys.ReloadInterval != 30*time.Second || c.Throttle.LoginMaxFailuresAccount != 100 || c.Throttle.IPMaxFailures != 50 {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c, err := load(t, map[string]string{"AUTHD_ACCESS_TTL": "5m", "AUTHD_ALLOWED_ORIGINS": "https://a.example, https://b.example"},
		"--access-ttl", "2m", "--registration", "closed")
	if err != nil {
		t.Fatal(err)
	}
	if c.Tokens.AccessTTL != 2*time.Minute || c.Accounts.RegistrationOpen || len(c.HTTP.AllowedOrigins) != 2 ||
		c.HTTP.AllowedOrigins[1] != "https://b.example" {
		t.Fatalf("config = %+v", c)
	}
	if c, err := load(t, map[string]string{"AUTHD_ACCESS_TTL": "soon"}, "--access-ttl", "2m"); err != nil || c.Tokens.AccessTTL != 2*time.Minute {
		t.Fatalf("a good flag did not replace a bad variable: %v", err)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]string{
		"AUTHD_DB_DRIVER":                  "oracle",
		"AUTHD_JWT_ALG":                    "none",
		"AUTHD_ACCESS_TTL":                 "0s",
		"AUTHD_REFRESH_TTL":                "forever",
		"AUTHD_CLOCK_SKEW":                 "61s",
		"AUTHD_BCRYPT_COST":                "3",
		"AUTHD_REGISTRATION":               "maybe",
		"AUTHD_COOKIE_SECURE":              "yes please",
		"AUTHD_LOGIN_MAX_FAILURES":         "-1",
		"AUTHD_LOGIN_FAILURE_WINDOW":       "0s",
		"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT": "many",
		"AUTHD_IP_MAX_FAILURES":            "-1",
		"AUTHD_IP_RATE_LIMIT":              "lots",
		"AUTHD_TRUSTED_PROXIES":            "10.0.0.0/33",
		"AUTHD_ALLOWED_ORIGINS":            "app.example.com",
		"AUTHD_LOG_FORMAT":                 "xml",
		"AUTHD_SESSION_MAX_AGE":            "-1h",
		"AUTHD_REFRESH_REUSE_GRACE":        "1h",
		"AUTHD_DB_MAX_CONNS":               "0",
		"AUTHD_DB_QUERY_TIMEOUT":           "0s",
		"AUTHD_MAX_SESSIONS_PER_USER":      "-1",
		"AUTHD_KEY_RELOAD_INTERVAL":        "0s",
		"AUTHD_SESSION_RETENTION":          "-1s",
		"AUTHD_JWT_SECRET":                 "short",
		"AUTHD_JWT_NEXT_SECRET":            "short",
		"AUTHD_JWT_PREVIOUS_SECRETS":       "long-enough-retired-secret-0123456789ab,short",
		"AUTHD_REFRESH_SECRET":             "short",
		"AUTHD_REFRESH_PREVIOUS_SECRETS":   "short",
	}
	for name, value := range cases {
		_, err := load(t, map[string]string{name: value})
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("%s=%q: error %v, want one naming the variable", name, value, err)
		}
	}
}

// Every bad value is reported in the one error, each on a line naming its
// variable, flags included; a secret is never repeated.
func TestAllBadValuesAreReportedAtOnce(t *testing.T) {
	env := map[string]string{"AUTHD_DB_DRIVER": "oracle", "AUTHD_ACCESS_TTL": "soon", "AUTHD_BCRYPT_COST": "3",
		"AUTHD_JWT_SECRET": "too-short-secret", "AUTHD_ALLOWED_ORIGINS": "a.example,https://ok.example,b.example"}
	_, err := load(t, env, "--clock-skew", "2m", "--log-format", "xml")
	if err == nil {
		t.Fatal("accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"AUTHD_ALLOWED_ORIGINS", "AUTHD_ALLOWED_ORIGINS", "AUTHD_DB_DRIVER", "AUTHD_JWT_SECRET",
		"AUTHD_ACCESS_TTL", "AUTHD_CLOCK_SKEW", "AUTHD_BCRYPT_COST", "AUTHD_LOG_FORMAT"}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%v", len(lines), len(want), err)
	}
	for i, name := range want {
		if !strings.HasPrefix(lines[i], name+": ") {
			t.Errorf("line %d %q, want it to name %s", i, lines[i], name)
		}
	}
	if strings.Contains(err.Error(), "too-short-secret") {
		t.Errorf("the secret was repeated: %v", err)
	}
}

// Only the embedded default may leave out secrets, keys and the DSN; the
// rule is the table's, so it is reported with every other bad value.
func TestServerDatabasesNeedSecretsAndADSN(t *testing.T) {
	_, err := load(t, map[string]string{"AUTHD_DB_DRIVER": "postgres"})
	for _, name := range []string{"AUTHD_DB_DSN", "AUTHD_JWT_SECRET", "AUTHD_REFRESH_SECRET"} {
		if err == nil || !strings.Contains(err.Error(), name+": required with driver postgres") {
			t.Errorf("postgres without %s: %v", name, err)
		}
	}
	_, err = load(t, map[string]string{"AUTHD_DB_DRIVER": "mysql", "AUTHD_DB_DSN": "root@tcp(db)/authd", "AUTHD_JWT_ALG": "EdDSA",
		"AUTHD_REFRESH_SECRET": strings.Repeat("r", 32)})
	if err == nil || err.Error() != "AUTHD_JWT_KEY_DIR: required with driver mysql" {
		t.Errorf("EdDSA on mysql without a key folder: %v", err)
	}
}

// The hash queue defaults to 64 per core and 5s; its bounds are checked.
func TestHashQueueSettings(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Hashing.Queue != 64*runtime.NumCPU() || c.Hashing.QueueTimeout != 5*time.Second {
		t.Fatalf("defaults: %+v", c.Hashing)
	}
	c, err = load(t, map[string]string{"AUTHD_HASH_QUEUE": "1", "AUTHD_HASH_QUEUE_TIMEOUT": "20s"})
	if err != nil || c.Hashing.Queue != 1 || c.Hashing.QueueTimeout != 20*time.Second {
		t.Fatalf("the smallest queue and longest wait: %+v, %v", c.Hashing, err)
	}
	for name, values := range map[string][]string{
		"AUTHD_HASH_QUEUE":         {"0", "-1", "65537", "many"},
		"AUTHD_HASH_QUEUE_TIMEOUT": {"0s", "-1s", "21s", "soon"},
	} {
		for _, v := range values {
			if _, err := load(t, map[string]string{name: v}); err == nil || !strings.HasPrefix(err.Error(), name+": ") {
				t.Errorf("%s=%q: error %v, want one naming the variable", name, v, err)
			}
		}
	}
}

// AUTHD_MFA_ISSUER falls back to AUTHD_ISSUER, and AUTHD_ADMIN_REQUIRE_MFA
// is off unless set, naming itself when malformed.
func TestMFASettings(t *testing.T) {
	c, err := load(t, map[string]string{"AUTHD_ISSUER": "https://auth.example.com"})
	if err != nil || c.MFA.AdminRequire || mfaIssuer(c.MFA, c.Tokens) != "https://auth.example.com" {
		t.Fatalf("defaults: %+v, %v", c.MFA, err)
	}
	c, err = load(t, map[string]string{"AUTHD_MFA_ISSUER": "Example Corp", "AUTHD_ADMIN_REQUIRE_MFA": "true"})
	if err != nil || !c.MFA.AdminRequire || mfaIssuer(c.MFA, c.Tokens) != "Example Corp" ||
		!httpConfig(c.HTTP, c.Tokens, c.Keys, c.MFA).AdminRequireMFA {
		t.Fatalf("set: %+v, %v", c.MFA, err)
	}
	if _, err := load(t, map[string]string{"AUTHD_ADMIN_REQUIRE_MFA": "sometimes"}); err == nil ||
		!strings.HasPrefix(err.Error(), "AUTHD_ADMIN_REQUIRE_MFA: ") {
		t.Fatalf("bad value: %v", err)
	}
}

// A command loading some sections is refused for none of the others:
// their variables are not read and their flags do not exist.
func TestLoadReadsOnlyTheGivenSections(t *testing.T) {
	env := map[string]string{"AUTHD_DB_DRIVER": "postgres", "AUTHD_DB_DSN": "postgres://db/authd", "AUTHD_ACCESS_TTL": "soon"}
	c, err := Load(nil, func(k string) string { return env[k] }, io.Discard, SectionStorage, SectionLog)
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Driver != DriverPostgres || c.Tokens.AccessTTL != 15*time.Minute {
		t.Fatalf("config %+v", c)
	}
	if _, err := Load([]string{"--access-ttl", "1m"}, func(string) string { return "" }, io.Discard, SectionStorage); err == nil {
		t.Fatal("a flag of another section was accepted")
	}
}

// A Config built in Go is checked like a loaded one, also by Initialize.
func TestValidateChecksAConfigBuiltInGo(t *testing.T) {
	c := DefaultConfig()
	c.Tokens.AccessTTL, c.Hashing.BcryptCost, c.Storage.Driver = 0, 40, DriverMySQL
	err := c.Validate()
	for _, name := range []string{"AUTHD_ACCESS_TTL", "AUTHD_BCRYPT_COST", "AUTHD_DB_DSN", "AUTHD_JWT_SECRET"} {
		if err == nil || !strings.Contains(err.Error(), name+": ") {
			t.Errorf("Validate did not name %s: %v", name, err)
		}
	}
	if err := c.Validate(SectionHTTP); err != nil {
		t.Errorf("HTTP alone is valid: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := Initialize(context.Background(), c, WithLogger(log)); err == nil || !strings.Contains(err.Error(), "AUTHD_ACCESS_TTL") {
		t.Fatalf("Initialize accepted a bad config: %v", err)
	}
}
