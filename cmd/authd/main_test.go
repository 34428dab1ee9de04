package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func baseEnv(t *testing.T) map[string]string {
	dir := t.TempDir()
	return map[string]string{"AUTHD_DATA_DIR": dir, "AUTHD_BCRYPT_COST": "4", "AUTHD_LOG_FORMAT": "text"}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"version"}, envOf(nil), nil, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if !strings.HasPrefix(out.String(), "authd ") {
		t.Fatalf("version printed %q", out.String())
	}
}

func TestBadConfigNamesTheVariable(t *testing.T) {
	cases := map[string]string{
		"AUTHD_ACCESS_TTL":  "soon",
		"AUTHD_DB_DRIVER":   "oracle",
		"AUTHD_BCRYPT_COST": "99",
		"AUTHD_JWT_SECRET":  "short",
		"AUTHD_CLOCK_SKEW":  "5m",
	}
	for name, value := range cases {
		env := baseEnv(t)
		env[name] = value
		var out bytes.Buffer
		code := run(context.Background(), []string{"migrate"}, envOf(env), nil, &out, &out)
		if code == 0 || !strings.Contains(out.String(), name) {
			t.Errorf("%s=%s: exit %d, output %q; want non-zero naming the variable", name, value, code, out.String())
		}
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--access-ttl", "never"}, envOf(baseEnv(t)), nil, &out, &out); code == 0 ||
		!strings.Contains(out.String(), "AUTHD_ACCESS_TTL") {
		t.Errorf("bad flag: exit %d, output %q", code, out.String())
	}
}

func TestServerDatabaseNeedsSecrets(t *testing.T) {
	env := baseEnv(t)
	env["AUTHD_DB_DRIVER"], env["AUTHD_DB_DSN"] = "postgres", "postgres://nobody@127.0.0.1:1/none"
	var out bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, envOf(env), nil, &out, &out); code == 0 {
		t.Fatalf("postgres without secrets started: %s", out.String())
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

// Serving on the embedded default, then a graceful stop: exit 0.
func TestServeAndGracefulShutdown(t *testing.T) {
	env := baseEnv(t)
	addr := freeAddr(t)
	env["AUTHD_HTTP_ADDR"], env["AUTHD_BCRYPT_COST"] = addr, "15"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out bytes.Buffer
	go func() { done <- run(ctx, nil, envOf(env), nil, &out, &out) }()
	waitHealthy(t, "http://"+addr+"/healthz")
	var probe bytes.Buffer
	if code := run(context.Background(), []string{"healthcheck"}, envOf(env), nil, &probe, &probe); code != 0 {
		t.Fatalf("healthcheck exit %d: %s", code, probe.String())
	}
	// A registration hashing at cost 15 (about a second or more) is in
	// flight when the stop signal comes: it must still be answered.
	inflight := make(chan int, 1)
	go func() {
		res, err := http.Post("http://"+addr+"/v1/auth/register", "application/json",
			strings.NewReader(`{"email":"late@example.com","password":"a long enough password"}`))
		if err != nil {
			inflight <- 0
			return
		}
		res.Body.Close()
		inflight <- res.StatusCode
	}()
	time.Sleep(300 * time.Millisecond) // let the request reach the hash pool; the hash takes far longer
	cancel()
	if status := <-inflight; status != http.StatusCreated {
		t.Fatalf("in-flight registration answered %d during shutdown, want 201", status)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exit %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
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
