package redisthrottle

import (
	"context"
	"time"

	"github.com/authd-dev/authd/adapters/redisthrottle/internal/lua"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// The in-flight rules of the in-process store, which this one matches:
// an attempt that never reports back stops counting after inFlightTTL, and
// a counter refused only by attempts in flight says to retry after
// inFlightRetry.
const (
	inFlightTTL   = time.Minute
	inFlightRetry = time.Second
)

// Failures is the Redis ports.LoginThrottle. Calls Redis does not answer go
// to the fallback (the in-process store), so a login never fails because
// of Redis.
type Failures struct {
	store    *Store
	fallback ports.LoginThrottle
}

// Failures returns the login throttle of s, counting in fallback while
// Redis does not answer.
func (s *Store) Failures(fallback ports.LoginThrottle) *Failures {
	return &Failures{store: s, fallback: fallback}
}

// Check refuses when any counter is at its limit, else counts one attempt
// in flight on each: one script, all or none.
func (f *Failures) Check(ctx context.Context, counters []domain.FailureCounter, now time.Time) error {
	on := active(counters)
	if len(on) == 0 {
		return nil
	}
	args := make([]any, 0, 3+2*len(on))
	args = append(args, now.UnixMicro(), inFlightTTL.Microseconds(), inFlightRetry.Microseconds())
	for _, c := range on {
		args = append(args, c.Limit, c.Window.Microseconds())
	}
	var wait int64
	err := f.store.run(ctx, "check", func() (err error) {
		wait, err = lua.Check.Run(ctx, f.store.rdb, f.keys(on), args...).Int64()
		return err
	})
	if err != nil {
		return f.fallback.Check(ctx, counters, now)
	}
	if wait > 0 {
		return &domain.RateLimitedError{RetryAfter: time.Duration(wait) * time.Microsecond}
	}
	return nil
}

// Fail counts a failure on each counter. The fallback then settles any
// attempt it admitted while Redis was down.
func (f *Failures) Fail(ctx context.Context, counters []domain.FailureCounter, now time.Time) {
	if on := active(counters); len(on) > 0 {
		args := make([]any, 0, 2+len(on))
		args = append(args, now.UnixMicro(), inFlightTTL.Microseconds())
		for _, c := range on {
			args = append(args, c.Window.Microseconds())
		}
		err := f.store.run(ctx, "fail", func() error {
			return lua.Fail.Run(ctx, f.store.rdb, f.keys(on), args...).Err()
		})
		if err != nil {
			f.fallback.Fail(ctx, counters, now)
			return
		}
	}
	f.fallback.Release(ctx, counters, now)
}

// Release settles one attempt in flight on each counter, in Redis and in
// the fallback (which holds attempts admitted while Redis was down).
func (f *Failures) Release(ctx context.Context, counters []domain.FailureCounter, now time.Time) {
	if len(counters) > 0 {
		_ = f.store.run(ctx, "release", func() error {
			return lua.Release.Run(ctx, f.store.rdb, f.keys(counters), now.UnixMicro()).Err()
		})
	}
	f.fallback.Release(ctx, counters, now)
}

// Reset forgets each counter, in Redis and in the fallback.
func (f *Failures) Reset(ctx context.Context, counters []domain.FailureCounter) {
	if len(counters) > 0 {
		_ = f.store.run(ctx, "reset", func() error {
			return f.store.rdb.Del(ctx, f.keys(counters)...).Err()
		})
	}
	f.fallback.Reset(ctx, counters)
}

func (f *Failures) keys(counters []domain.FailureCounter) []string {
	keys := make([]string, len(counters))
	for i, c := range counters {
		keys[i] = f.store.names.of(spaceFailures, c.Key)
	}
	return keys
}

// active drops counters that are off: they are neither checked nor stored.
func active(counters []domain.FailureCounter) []domain.FailureCounter {
	var on []domain.FailureCounter
	for _, c := range counters {
		if !c.Off() {
			on = append(on, c)
		}
	}
	return on
}
