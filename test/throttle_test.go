package test

import (
	"crypto/rand"
	"testing"

	"github.com/authd-dev/authd/adapters/redisthrottle"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/backends"
	"github.com/authd-dev/authd/test/contract"
)

// TestLoginThrottleContract holds the in-process and the Redis login
// throttles to one contract.
func TestLoginThrottleContract(t *testing.T) {
	t.Run("throttle=memory", func(t *testing.T) {
		contract.RunLoginThrottle(t, func(*testing.T) ports.LoginThrottle { return throttle.NewFailures() })
	})
	t.Run("throttle=redis", func(t *testing.T) {
		url := backends.RedisURL(t)
		contract.RunLoginThrottle(t, func(t *testing.T) ports.LoginThrottle {
			return openRedisThrottle(t, url).Failures(unusedFallback{t})
		})
	})
}

// TestRateLimiterContract holds the in-process and the Redis request
// limiters to one contract.
func TestRateLimiterContract(t *testing.T) {
	t.Run("limiter=memory", func(t *testing.T) {
		contract.RunRateLimiter(t, func(_ *testing.T, perMinute int) ports.RateLimiter {
			return throttle.NewBuckets(throttle.PerMinute(perMinute))
		})
	})
	t.Run("limiter=redis", func(t *testing.T) {
		url := backends.RedisURL(t)
		contract.RunRateLimiter(t, func(t *testing.T, perMinute int) ports.RateLimiter {
			return openRedisThrottle(t, url).Buckets(perMinute, unusedFallback{t})
		})
	})
}

// openRedisThrottle opens a Redis store under a key prefix of t's own;
// any call Redis does not answer fails t.
func openRedisThrottle(t *testing.T, url string) *redisthrottle.Store {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s, err := redisthrottle.Open(redisthrottle.Config{
		URL: url, Prefix: backends.RedisPrefix(t, url), NameKey: key,
		OnError: func() { t.Error("a call to Redis failed") },
	})
	if err != nil {
		t.Fatalf("open Redis throttle: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
