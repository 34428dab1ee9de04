package authd

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/clock"
)

func TestRedisURLValidatedWithoutRepeatingIt(t *testing.T) {
	for _, ok := range []string{"", "redis://127.0.0.1:6379/0", "rediss://:pw@cache.example:6380/3"} {
		if _, err := load(t, map[string]string{"AUTHD_REDIS_URL": ok}); err != nil {
			t.Errorf("AUTHD_REDIS_URL=%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://:hunter2pass@cache:6379", "redis://:hunter2pass@cache:6379/db", "hunter2pass", "redis://:hunter2pass@cache:6379/0?x=1"} {
		_, err := load(t, map[string]string{"AUTHD_REDIS_URL": bad})
		if err == nil || !strings.HasPrefix(err.Error(), "AUTHD_REDIS_URL: ") {
			t.Errorf("AUTHD_REDIS_URL=%q: %v, want an error naming the variable", bad, err)
			continue
		}
		if strings.Contains(err.Error(), "hunter2pass") {
			t.Errorf("the error repeats the URL's password: %v", err)
		}
	}
}

// The start-up log says which throttle store counts, without the password;
// a Redis that does not answer does not stop the start.
func TestStartupLogNamesTheThrottleStore(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	_ = ln.Close()
	for _, tc := range []struct{ name, redisURL, want string }{
		{"unset", "", "throttle store: in process"},
		{"down", "redis://:hunter2pass@" + down + "/0", "throttle store: Redis, not answering yet"},
	} {
		dir := t.TempDir()
		c, err := load(t, map[string]string{
			"AUTHD_DATA_DIR": dir, "AUTHD_DB_DSN": "file:" + filepath.Join(dir, "a.db"), "AUTHD_REDIS_URL": tc.redisURL,
			"AUTHD_JWT_SECRET": strings.Repeat("j", 32), "AUTHD_REFRESH_SECRET": strings.Repeat("r", 32),
		})
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		app, err := Initialize(context.Background(), c, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
			WithClock(clock.NewManual(time.Now())))
		if err != nil {
			t.Fatalf("Redis %s: %v", tc.name, err)
		}
		_ = app.Close()
		if !strings.Contains(logs.String(), tc.want) {
			t.Errorf("start-up log lacks %q:\n%s", tc.want, logs.String())
		}
		if strings.Contains(logs.String(), "hunter2pass") {
			t.Errorf("the log holds the Redis password:\n%s", logs.String())
		}
	}
}
