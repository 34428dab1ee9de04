package backends

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The environment that turns on the Redis tests.
const (
	EnvRedis        = "AUTHD_TEST_REDIS_URL"
	EnvRequireRedis = "AUTHD_TEST_REQUIRE_REDIS"
)

const redisExample = "redis://127.0.0.1:6379/0"

// RedisURL returns the Redis server to test against. Unset, the test is
// skipped, or fails when AUTHD_TEST_REQUIRE_REDIS=1. Set but not answering
// PING is always fatal: it was asked for. Tests keep apart on one server
// by key prefix (RedisPrefix) or by a secret of their own.
func RedisURL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(EnvRedis)
	if raw == "" {
		msg := "Redis tests not run: set " + EnvRedis + ", e.g. " + EnvRedis + "='" + redisExample + "'"
		if os.Getenv(EnvRequireRedis) == "1" {
			t.Fatalf("%s (required by %s=1)", msg, EnvRequireRedis)
		}
		t.Skip(msg)
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("%s: %v", EnvRedis, err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("Redis at %s does not answer: %v", opt.Addr, err)
	}
	return raw
}

// RedisPrefix returns a key prefix no other test uses, and deletes every
// key under it when t ends.
func RedisPrefix(t testing.TB, raw string) string {
	t.Helper()
	prefix := "authd:test:" + randomHex(t) + ":"
	t.Cleanup(func() {
		opt, err := redis.ParseURL(raw)
		if err != nil {
			return
		}
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
	return prefix
}
