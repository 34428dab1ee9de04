package contract

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// RunLoginThrottle runs the ports.LoginThrottle suite. open must return an
// empty throttle on every call (a shared store: under a key prefix of its
// own), released in t.Cleanup. Times are passed in, never read.
func RunLoginThrottle(t *testing.T, open func(t *testing.T) ports.LoginThrottle) {
	for name, fn := range map[string]func(*testing.T, ports.LoginThrottle){
		"limit then window end":  throttleWindow,
		"limit per counter":      throttleLimitPerCounter,
		"all or none":            throttleAllOrNone,
		"reset and release":      throttleResetRelease,
		"attempts in flight":     throttleInFlight,
		"counters off":           throttleOff,
		"concurrent checks pass": throttleConcurrent,
		"lost attempts expire":   throttleLostAttempts,
		"new window after end":   throttleNewWindow,
		"fail without check":     throttleFailUnchecked,
		"long keys stay apart":   throttleKeysApart,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t))
		})
	}
}

var throttleT0 = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)

func counters(cs ...domain.FailureCounter) []domain.FailureCounter { return cs }

func fc(key string, limit int, window time.Duration) domain.FailureCounter {
	return domain.FailureCounter{Key: key, Limit: limit, Window: window}
}

// guess is one attempt that fails.
func guess(t *testing.T, th ports.LoginThrottle, cs []domain.FailureCounter, now time.Time) {
	t.Helper()
	if err := th.Check(context.Background(), cs, now); err != nil {
		t.Fatalf("Check before the limit: %v", err)
	}
	th.Fail(context.Background(), cs, now)
}

// waitOf fails unless err is a *domain.RateLimitedError, returning its wait.
func waitOf(t *testing.T, err error) time.Duration {
	t.Helper()
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("Check = %v, want *domain.RateLimitedError", err)
	}
	return rl.RetryAfter
}

func throttleWindow(t *testing.T, th ports.LoginThrottle) {
	ctx, a := context.Background(), counters(fc("window:a", 3, 15*time.Minute))
	for i := range 3 {
		guess(t, th, a, throttleT0.Add(time.Duration(i)*time.Minute))
	}
	if got := waitOf(t, th.Check(ctx, a, throttleT0.Add(5*time.Minute))); got != 10*time.Minute {
		t.Fatalf("RetryAfter = %v, want the rest of the window from the first attempt (10m)", got)
	}
	if err := th.Check(ctx, counters(fc("window:b", 3, 15*time.Minute)), throttleT0); err != nil {
		t.Fatalf("another key is throttled: %v", err)
	}
	if err := th.Check(ctx, a, throttleT0.Add(15*time.Minute)); err != nil {
		t.Fatalf("still refused when the window ended: %v", err)
	}
}

func throttleLimitPerCounter(t *testing.T, th ports.LoginThrottle) {
	ctx := context.Background()
	low, high := counters(fc("limit:low", 2, time.Minute)), counters(fc("limit:high", 5, time.Hour))
	for range 2 {
		guess(t, th, low, throttleT0)
		guess(t, th, high, throttleT0)
	}
	if got := waitOf(t, th.Check(ctx, low, throttleT0)); got != time.Minute {
		t.Fatalf("low: RetryAfter %v, want 1m", got)
	}
	if err := th.Check(ctx, high, throttleT0); err != nil {
		t.Fatalf("high refused at 2 of 5: %v", err)
	}
}

// One refusing counter refuses the attempt with the longest wait and
// reserves nothing on the others.
func throttleAllOrNone(t *testing.T, th ports.LoginThrottle) {
	ctx := context.Background()
	pair, account := fc("all:pair", 2, 10*time.Minute), fc("all:account", 3, time.Hour)
	for range 2 {
		guess(t, th, counters(pair), throttleT0)
	}
	for range 10 {
		if got := waitOf(t, th.Check(ctx, counters(pair, account), throttleT0)); got != 10*time.Minute {
			t.Fatalf("RetryAfter = %v, want the pair's 10m", got)
		}
	}
	for range 3 {
		guess(t, th, counters(account), throttleT0)
	}
	if got := waitOf(t, th.Check(ctx, counters(pair, account), throttleT0)); got != time.Hour {
		t.Fatalf("RetryAfter = %v, want the longest wait (1h)", got)
	}
}

func throttleResetRelease(t *testing.T, th ports.LoginThrottle) {
	ctx, a := context.Background(), counters(fc("reset:a", 2, time.Hour))
	for range 50 {
		if err := th.Check(ctx, a, throttleT0); err != nil {
			t.Fatalf("released successes used up the budget: %v", err)
		}
		th.Release(ctx, a, throttleT0)
	}
	guess(t, th, a, throttleT0)
	guess(t, th, a, throttleT0)
	waitOf(t, th.Check(ctx, a, throttleT0))
	th.Reset(ctx, a)
	guess(t, th, a, throttleT0)
	th.Release(ctx, counters(fc("reset:unknown", 2, time.Hour)), throttleT0)
}

// Parallel guesses cannot all pass before the first failure lands.
func throttleInFlight(t *testing.T, th ports.LoginThrottle) {
	ctx, a := context.Background(), counters(fc("flight:a", 3, time.Hour))
	passed := 0
	for range 10 {
		if th.Check(ctx, a, throttleT0) == nil {
			passed++
		}
	}
	if passed != 3 {
		t.Fatalf("%d attempts in flight passed, want 3", passed)
	}
	if got := waitOf(t, th.Check(ctx, a, throttleT0)); got <= 0 {
		t.Fatalf("RetryAfter %v while in flight, want positive", got)
	}
	th.Release(ctx, a, throttleT0)
	if err := th.Check(ctx, a, throttleT0); err != nil {
		t.Fatalf("a released slot is not free: %v", err)
	}
}

func throttleOff(t *testing.T, th ports.LoginThrottle) {
	for _, cs := range [][]domain.FailureCounter{counters(fc("off:a", 0, time.Minute)), counters(fc("off:b", 5, 0)), nil} {
		for range 20 {
			guess(t, th, cs, throttleT0)
		}
	}
}

func throttleConcurrent(t *testing.T, th ports.LoginThrottle) {
	cs := counters(fc("race:a", 4, time.Hour), fc("race:b", 6, time.Hour))
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed := 0
	for range 64 {
		wg.Go(func() {
			if th.Check(context.Background(), cs, throttleT0) == nil {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if passed != 4 {
		t.Fatalf("%d of 64 concurrent attempts passed, want 4", passed)
	}
}
