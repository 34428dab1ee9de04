package authd

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/authd-dev/authd/adapters/metrics"
	"github.com/authd-dev/authd/adapters/redisthrottle"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// throttleNames is the purpose of the key, derived from the refresh secret,
// that names Redis keys: replicas sharing the secret share the counters,
// and Redis never holds an email or address in clear.
const throttleNames = "throttle key names"

// redisPingTimeout bounds the start-up check of Redis.
const redisPingTimeout = 2 * time.Second

// checkRedisURL never repeats the URL, which may hold a password.
func checkRedisURL(raw string) error {
	if raw == "" {
		return nil
	}
	_, err := redisthrottle.ParseURL(raw)
	return err
}

// throttleStore opens Redis when AUTHD_REDIS_URL is set, and is nil (count
// in process) otherwise; the start-up log says which. A Redis that does not
// answer at start-up does not stop the process: it counts in process until
// Redis answers, as during any outage.
func throttleStore(c ThrottleConfig, key domain.RefreshKey, m *metrics.Prometheus, log *slog.Logger) (*redisthrottle.Store, func(), error) {
	if c.RedisURL == "" {
		log.Info("throttle store: in process; each replica counts on its own (set AUTHD_REDIS_URL to share the counts)",
			slog.String("throttleStore", "memory"))
		return nil, func() {}, nil
	}
	s, err := redisthrottle.Open(redisthrottle.Config{
		URL: c.RedisURL, NameKey: key.Derive(throttleNames), OnError: m.ThrottleStoreError, Log: log,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("AUTHD_REDIS_URL: %w", err)
	}
	redisthrottle.RouteLibraryLogs(log)
	ctx, cancel := context.WithTimeout(context.Background(), redisPingTimeout)
	defer cancel()
	where := slog.String("redis", redisthrottle.Describe(c.RedisURL))
	if err := s.Ping(ctx); err != nil {
		log.Warn("throttle store: Redis, not answering yet; counting in process until it does",
			slog.String("throttleStore", "redis"), where)
	} else {
		log.Info("throttle store: Redis, shared by all replicas", slog.String("throttleStore", "redis"), where)
	}
	return s, func() { _ = s.Close() }, nil
}

// loginThrottle is Redis's when configured, with the in-process store as
// its fallback; otherwise the in-process store.
func loginThrottle(s *redisthrottle.Store, local *throttle.Failures) ports.LoginThrottle {
	if s == nil {
		return local
	}
	return s.Failures(local)
}

// rateLimiter is Redis's when configured, with the in-process buckets as
// its fallback; otherwise the in-process buckets.
func rateLimiter(s *redisthrottle.Store, limit throttle.PerMinute, local *throttle.Buckets) ports.RateLimiter {
	if s == nil {
		return local
	}
	return s.Buckets(int(limit), local)
}
