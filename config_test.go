package authd

import (
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	return Load(args, func(k string) string { return env[k] }, io.Discard)
}

func TestLoadDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":8080" || c.DBDriver != DriverSQLite || c.DBDSN != "file:data/authd.db" || c.JWTAlg != "HS256" ||
		c.AccessTTL != 15*time.Minute || c.RefreshTTL != 720*time.Hour || c.RefreshReuseGrace != 10*time.Second ||
		c.ClockSkew != 30*time.Second || c.BcryptCost != 12 || !c.RegistrationOpen || !c.CookieSecure ||
		c.LoginMaxFailures != 10 || c.LoginFailureWindow != 15*time.Minute || c.IPRateLimit != 300 ||
		c.Issuer != "authd" || c.Audience != "authd" || c.LogFormat != "json" || c.SessionMaxAge != 0 ||
		c.MaxSessionsPerUser != 100 || c.KeyReloadInterval != 30*time.Second {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c, err := load(t, map[string]string{"AUTHD_ACCESS_TTL": "5m", "AUTHD_ALLOWED_ORIGINS": "https://a.example, https://b.example"},
		"--access-ttl", "2m", "--registration", "closed")
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessTTL != 2*time.Minute || c.RegistrationOpen || len(c.AllowedOrigins) != 2 || c.AllowedOrigins[1] != "https://b.example" {
		t.Fatalf("config = %+v", c)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]string{
		"AUTHD_DB_DRIVER":             "oracle",
		"AUTHD_JWT_ALG":               "none",
		"AUTHD_ACCESS_TTL":            "0s",
		"AUTHD_REFRESH_TTL":           "forever",
		"AUTHD_CLOCK_SKEW":            "61s",
		"AUTHD_BCRYPT_COST":           "3",
		"AUTHD_REGISTRATION":          "maybe",
		"AUTHD_COOKIE_SECURE":         "yes please",
		"AUTHD_LOGIN_MAX_FAILURES":    "-1",
		"AUTHD_LOGIN_FAILURE_WINDOW":  "0s",
		"AUTHD_IP_RATE_LIMIT":         "lots",
		"AUTHD_TRUSTED_PROXIES":       "10.0.0.0/33",
		"AUTHD_ALLOWED_ORIGINS":       "app.example.com",
		"AUTHD_LOG_FORMAT":            "xml",
		"AUTHD_SESSION_MAX_AGE":       "-1h",
		"AUTHD_REFRESH_REUSE_GRACE":   "1h",
		"AUTHD_DB_MAX_CONNS":          "0",
		"AUTHD_MAX_SESSIONS_PER_USER": "-1",
		"AUTHD_KEY_RELOAD_INTERVAL":   "0s",
	}
	for name, value := range cases {
		_, err := load(t, map[string]string{name: value})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v, want one naming the variable", name, value, err)
		}
	}
	if _, err := load(t, map[string]string{"AUTHD_DB_DRIVER": "postgres"}); err == nil || !strings.Contains(err.Error(), "AUTHD_DB_DSN") {
		t.Errorf("postgres without a DSN: %v", err)
	}
}

func TestLoginLimitSettings(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.LoginMaxFailuresAccount != 100 || c.IPMaxFailures != 50 {
		t.Fatalf("defaults: account %d, address %d; want 100, 50", c.LoginMaxFailuresAccount, c.IPMaxFailures)
	}
	c, err = load(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT": "0", "AUTHD_IP_MAX_FAILURES": "0"})
	if err != nil || c.LoginMaxFailuresAccount != 0 || c.IPMaxFailures != 0 {
		t.Fatalf("0 (off): %+v, %v", c, err)
	}
	for _, name := range []string{"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT", "AUTHD_IP_MAX_FAILURES"} {
		for _, value := range []string{"-1", "many"} {
			if _, err := load(t, map[string]string{name: value}); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%q: error %v, want one naming the variable", name, value, err)
			}
		}
	}
}

// TestHashQueueSettings: the queue defaults to 64 per core and 5s; its
// bounds are validated and named.
func TestHashQueueSettings(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.HashQueue != 64*runtime.NumCPU() || c.HashQueueTimeout != 5*time.Second {
		t.Fatalf("defaults: queue %d timeout %s", c.HashQueue, c.HashQueueTimeout)
	}
	c, err = load(t, map[string]string{"AUTHD_HASH_QUEUE": "1", "AUTHD_HASH_QUEUE_TIMEOUT": "20s"})
	if err != nil || c.HashQueue != 1 || c.HashQueueTimeout != 20*time.Second {
		t.Fatalf("the smallest queue and longest wait: %+v, %v", c, err)
	}
	for name, values := range map[string][]string{
		"AUTHD_HASH_QUEUE":         {"0", "-1", "65537", "many"},
		"AUTHD_HASH_QUEUE_TIMEOUT": {"0s", "-1s", "21s", "soon"},
	} {
		for _, v := range values {
			if _, err := load(t, map[string]string{name: v}); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%q: error %v, want one naming the variable", name, v, err)
			}
		}
	}
}

// TestMFASettings: AUTHD_MFA_ISSUER falls back to AUTHD_ISSUER, and
// AUTHD_ADMIN_REQUIRE_MFA is off unless set, naming itself when malformed.
func TestMFASettings(t *testing.T) {
	c, err := load(t, map[string]string{"AUTHD_ISSUER": "https://auth.example.com"})
	if err != nil || c.AdminRequireMFA || mfaIssuer(c) != "https://auth.example.com" {
		t.Fatalf("defaults: %+v, issuer %q, %v", c, mfaIssuer(c), err)
	}
	c, err = load(t, map[string]string{"AUTHD_MFA_ISSUER": "Example Corp", "AUTHD_ADMIN_REQUIRE_MFA": "true"})
	if err != nil || !c.AdminRequireMFA || mfaIssuer(c) != "Example Corp" || !httpConfig(c).AdminRequireMFA {
		t.Fatalf("set: %+v, %v", c, err)
	}
	if _, err := load(t, map[string]string{"AUTHD_ADMIN_REQUIRE_MFA": "sometimes"}); err == nil ||
		!strings.Contains(err.Error(), "AUTHD_ADMIN_REQUIRE_MFA") {
		t.Fatalf("bad value: %v", err)
	}
}
