package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) environment { return environment(m) }

func baseEnv(t *testing.T) map[string]string {
	dir := t.TempDir()
	return map[string]string{"AUTHD_DATA_DIR": dir, "AUTHD_BCRYPT_COST": "4", "AUTHD_LOG_FORMAT": "text"}
}

// Every bad value is reported in one go, each naming its variable (flags
// too), and serve exits non-zero without listening.
func TestBadConfigNamesEveryVariable(t *testing.T) {
	cases := map[string]string{
		"AUTHD_ACCESS_TTL":               "soon",
		"AUTHD_DB_DRIVER":                "oracle",
		"AUTHD_BCRYPT_COST":              "99",
		"AUTHD_JWT_SECRET":               "short",
		"AUTHD_CLOCK_SKEW":               "5m",
		"AUTHD_JWT_NEXT_SECRET":          "short",
		"AUTHD_REFRESH_PREVIOUS_SECRETS": "long-enough-retired-secret-0123456789ab,short",
		"AUTHD_KEY_RELOAD_INTERVAL":      "often",
	}
	env := baseEnv(t)
	for name, value := range cases {
		env[name] = value
	}
	var out bytes.Buffer
	code := run(context.Background(), []string{"serve", "--session-max-age", "never", "--ip-rate-limit", "-1"}, envOf(env), nil, &out, &out)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, out.String())
	}
	for name := range cases {
		if !strings.Contains(out.String(), name) {
			t.Errorf("output does not name %s: %s", name, out.String())
		}
	}
	for _, name := range []string{"AUTHD_SESSION_MAX_AGE", "AUTHD_IP_RATE_LIMIT"} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("bad flag of %s not reported: %s", name, out.String())
		}
	}
	if strings.Contains(out.String(), "long-enough-retired-secret") {
		t.Errorf("a secret was printed: %s", out.String())
	}
}

// Postgres without secrets: serve is refused at once, naming both.
func TestServeOnAServerDatabaseNeedsSecrets(t *testing.T) {
	env := baseEnv(t)
	env["AUTHD_DB_DRIVER"], env["AUTHD_DB_DSN"] = "postgres", "postgres://nobody@127.0.0.1:1/none"
	var out bytes.Buffer
	if code := run(context.Background(), []string{"serve"}, envOf(env), nil, &out, &out); code != 1 ||
		!strings.Contains(out.String(), "AUTHD_JWT_SECRET: required with driver postgres") ||
		!strings.Contains(out.String(), "AUTHD_REFRESH_SECRET: required with driver postgres") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
}

func TestMigrateAndUserCreate(t *testing.T) {
	env := baseEnv(t)
	var out bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, envOf(env), nil, &out, &out); code != 0 {
		t.Fatalf("migrate exit %d: %s", code, out.String())
	}
	out.Reset()
	stdin := strings.NewReader("a long enough password\n")
	args := []string{"user", "create", "--email", "Root@Example.com", "--role", "admin"}
	if code := run(context.Background(), args, envOf(env), stdin, &out, &out); code != 0 {
		t.Fatalf("user create exit %d: %s", code, out.String())
	}
	if !strings.Contains(out.String(), "root@example.com") || !strings.Contains(out.String(), "role admin") {
		t.Fatalf("user create printed %q", out.String())
	}
	out.Reset()
	if code := run(context.Background(), args, envOf(env), strings.NewReader(""), &out, &out); code == 0 {
		t.Fatal("user create without a password on stdin succeeded")
	}
}

// TestUserCreateNormalisesTheEmail: the CLI stores the normalised form
// (NFC, lower case, Unicode domain) and prints it.
func TestUserCreateNormalisesTheEmail(t *testing.T) {
	env := baseEnv(t)
	var out bytes.Buffer
	stdin := strings.NewReader("a long enough password\n")
	args := []string{"user", "create", "--email", "Jose\u0301@XN--EXMPLE-QTA.COM", "--role", "admin"}
	if code := run(context.Background(), args, envOf(env), stdin, &out, &out); code != 0 {
		t.Fatalf("user create exit %d: %s", code, out.String())
	}
	if !strings.Contains(out.String(), "(jos\u00e9@ex\u00e1mple.com,") {
		t.Fatalf("user create printed %q, want the normalised email", out.String())
	}
}

func TestKeysGenerate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	var out bytes.Buffer
	if code := run(context.Background(), []string{"keys", "generate", "--alg", "EdDSA", "--dir", dir}, envOf(nil), nil, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if !strings.Contains(out.String(), dir) {
		t.Fatalf("printed %q", out.String())
	}
}

// --activate-in names the file by now+D (UTC, to the second), mode 0600,
// and the folder's other keys stay; a negative delay is refused.
func TestKeysGenerateActivateIn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	env := envOf(map[string]string{"AUTHD_JWT_KEY_DIR": dir, "AUTHD_JWT_ALG": "ES256"})
	var out bytes.Buffer
	before := time.Now().UTC().Add(90 * time.Minute).Truncate(time.Second)
	if code := run(context.Background(), []string{"keys", "generate", "--activate-in", "90m"}, env, nil, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	after := time.Now().UTC().Add(90 * time.Minute)
	files, _ := filepath.Glob(filepath.Join(dir, "*.pem"))
	if len(files) != 1 {
		t.Fatalf("files %v, want one key", files)
	}
	at, err := time.Parse("20060102T150405Z", strings.TrimSuffix(filepath.Base(files[0]), ".pem"))
	if err != nil || at.Before(before) || at.After(after) {
		t.Fatalf("file %s (%v), want named by now+90m", files[0], err)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if code := run(context.Background(), []string{"keys", "generate", "--alg", "EdDSA", "--activate-in", "0s"}, env, nil, &out, &out); code == 0 {
		t.Fatal("an EdDSA key was added to a folder of ES256 keys")
	}
	if code := run(context.Background(), []string{"keys", "generate", "--activate-in", "-1m"}, env, nil, &out, &out); code == 0 {
		t.Fatal("a negative --activate-in was accepted")
	}
}

func keyCount(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct{ Keys []json.RawMessage }
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	return len(set.Keys)
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, url string) {
	for range 600 { // up to 15s: start-up computes a dummy hash at the configured cost
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(25 * time.Millisecond) // polling a real server coming up, not testing time
	}
	t.Fatal(fmt.Sprintf("%s never became healthy", url))
}
