package redisthrottle

import (
	"context"
	"strconv"
	"time"

	"github.com/authd-dev/authd/adapters/redisthrottle/internal/lua"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Buckets is the Redis ports.RateLimiter: a token bucket per key of
// capacity perMinute, refilled evenly over a minute. Calls Redis does not
// answer go to the fallback (the in-process buckets).
type Buckets struct {
	store    *Store
	fallback ports.RateLimiter
	rate     string // tokens per second, exactly as the in-process buckets compute it
	burst    int
	idle     int64 // milliseconds after which an untouched bucket is full again
}

// Buckets returns the request limiter of s at perMinute per key (0: off),
// metering in fallback while Redis does not answer.
func (s *Store) Buckets(perMinute int, fallback ports.RateLimiter) *Buckets {
	rate := float64(perMinute) / 60
	return &Buckets{
		store: s, fallback: fallback, burst: perMinute,
		rate: strconv.FormatFloat(rate, 'g', -1, 64),
		idle: time.Minute.Milliseconds(),
	}
}

// Allow takes a token for key or says how long until one is free.
func (b *Buckets) Allow(ctx context.Context, key string, now time.Time) error {
	if b.burst <= 0 {
		return nil
	}
	var wait string
	err := b.store.run(ctx, "allow", func() (err error) {
		wait, err = lua.Allow.Run(ctx, b.store.rdb, []string{b.store.names.of(spaceBuckets, key)},
			now.UnixMicro(), b.rate, b.burst, b.idle).Text()
		return err
	})
	if err != nil {
		return b.fallback.Allow(ctx, key, now)
	}
	seconds, err := strconv.ParseFloat(wait, 64)
	if err != nil {
		b.store.outage.failed(ctx, "allow", err)
		return b.fallback.Allow(ctx, key, now)
	}
	if seconds > 0 {
		return &domain.RateLimitedError{RetryAfter: time.Duration(seconds * float64(time.Second))}
	}
	return nil
}
