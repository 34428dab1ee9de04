package contract

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/ports"
)

// RunRateLimiter runs the ports.RateLimiter suite: a token bucket per key
// of capacity perMinute refilled evenly over a minute, 0 being off. open
// must return an empty limiter on every call (a shared store: under a key
// prefix of its own), released in t.Cleanup. Times are passed in.
func RunRateLimiter(t *testing.T, open func(t *testing.T, perMinute int) ports.RateLimiter) {
	for name, fn := range map[string]func(*testing.T, func(int) ports.RateLimiter){
		"burst then rate":        rateBurstThenRate,
		"fractional rate":        rateFractional,
		"clock backwards":        rateClockBackwards,
		"off":                    rateOff,
		"concurrent takes":       rateConcurrent,
		"idle bucket refills":    rateIdleRefill,
		"keys of any characters": rateKeys,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, func(perMinute int) ports.RateLimiter { return open(t, perMinute) })
		})
	}
}

func allow(t *testing.T, l ports.RateLimiter, key string, now time.Time, what string) {
	t.Helper()
	if err := l.Allow(context.Background(), key, now); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func rateBurstThenRate(t *testing.T, open func(int) ports.RateLimiter) {
	l, ctx := open(60), context.Background()
	for range 60 {
		allow(t, l, "ip", throttleT0, "a request of the burst")
	}
	if got := waitOf(t, l.Allow(ctx, "ip", throttleT0)); got != time.Second {
		t.Fatalf("RetryAfter = %v, want 1s", got)
	}
	allow(t, l, "other", throttleT0, "another key")
	if got := waitOf(t, l.Allow(ctx, "ip", throttleT0.Add(500*time.Millisecond))); got != 500*time.Millisecond {
		t.Fatalf("RetryAfter half-way = %v, want 500ms", got)
	}
	allow(t, l, "ip", throttleT0.Add(time.Second), "the token refilled after 1s")
	waitOf(t, l.Allow(ctx, "ip", throttleT0.Add(time.Second)))
	for range 60 {
		allow(t, l, "ip", throttleT0.Add(2*time.Minute), "a request of the burst after a full refill")
	}
	waitOf(t, l.Allow(ctx, "ip", throttleT0.Add(2*time.Minute)))
}

func rateFractional(t *testing.T, open func(int) ports.RateLimiter) {
	l, ctx := open(30), context.Background() // one token per 2s
	for range 30 {
		allow(t, l, "ip", throttleT0, "a request of the burst")
	}
	if got := waitOf(t, l.Allow(ctx, "ip", throttleT0)); got != 2*time.Second {
		t.Fatalf("RetryAfter = %v, want 2s", got)
	}
	if got := waitOf(t, l.Allow(ctx, "ip", throttleT0.Add(1500*time.Millisecond))); got != 500*time.Millisecond {
		t.Fatalf("RetryAfter = %v, want 500ms", got)
	}
	allow(t, l, "ip", throttleT0.Add(2*time.Second), "a token after 2s")
	if got := waitOf(t, l.Allow(ctx, "ip", throttleT0.Add(2*time.Second))); got != 2*time.Second {
		t.Fatalf("RetryAfter = %v, want 2s", got)
	}
}

func rateClockBackwards(t *testing.T, open func(int) ports.RateLimiter) {
	l := open(1)
	allow(t, l, "ip", throttleT0, "the only token")
	waitOf(t, l.Allow(context.Background(), "ip", throttleT0.Add(-time.Hour)))
}

func rateOff(t *testing.T, open func(int) ports.RateLimiter) {
	l := open(0)
	for range 500 {
		allow(t, l, "ip", throttleT0, "a request with the limiter off")
	}
}

func rateConcurrent(t *testing.T, open func(int) ports.RateLimiter) {
	l := open(10)
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed := 0
	for range 64 {
		wg.Go(func() {
			if l.Allow(context.Background(), "race", throttleT0) == nil {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if passed != 10 {
		t.Fatalf("%d of 64 concurrent requests passed, want the burst of 10", passed)
	}
}

// A bucket left alone for a minute is full again, however empty it was.
func rateIdleRefill(t *testing.T, open func(int) ports.RateLimiter) {
	l := open(6)
	for range 6 {
		allow(t, l, "ip", throttleT0, "a request of the burst")
	}
	later := throttleT0.Add(time.Hour)
	for range 6 {
		allow(t, l, "ip", later, "a request after an idle hour")
	}
	waitOf(t, l.Allow(context.Background(), "ip", later))
}

func rateKeys(t *testing.T, open func(int) ports.RateLimiter) {
	l := open(1)
	keys := []string{"::1", "2001:db8::1", "", "ü*?\x00"}
	for _, k := range keys {
		allow(t, l, k, throttleT0, "the first request of "+k)
	}
	for _, k := range keys {
		waitOf(t, l.Allow(context.Background(), k, throttleT0))
	}
}
