package throttle

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

var (
	ctx = context.Background()
	t0  = time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
)

// retryAfter returns err's wait, failing unless err is a RateLimitedError.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want *domain.RateLimitedError", err)
	}
	return rl.RetryAfter
}

// one is a single counter.
func one(key string, limit int, window time.Duration) []domain.FailureCounter {
	return []domain.FailureCounter{{Key: key, Limit: limit, Window: window}}
}

// attempt is one login that fails: Check, then Fail.
func attempt(f *Failures, cs []domain.FailureCounter, now time.Time) error {
	if err := f.Check(ctx, cs, now); err != nil {
		return err
	}
	f.Fail(ctx, cs, now)
	return nil
}

func TestFailuresLockAfterLimitUntilWindowEnds(t *testing.T) {
	f := NewFailures()
	a, b := one("a", 3, 15*time.Minute), one("b", 3, 15*time.Minute)
	for i := range 3 {
		if err := attempt(f, a, t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	now := t0.Add(5 * time.Minute)
	if got := retryAfter(t, f.Check(ctx, a, now)); got != 10*time.Minute {
		t.Fatalf("RetryAfter = %v, want the rest of the window (10m)", got)
	}
	if err := f.Check(ctx, b, now); err != nil {
		t.Fatalf("another key is throttled too: %v", err)
	}
	if err := f.Check(ctx, a, t0.Add(15*time.Minute-time.Nanosecond)); err == nil {
		t.Fatal("unlocked before the window ended")
	}
	if err := f.Check(ctx, a, t0.Add(15*time.Minute)); err != nil {
		t.Fatalf("still locked when the window ended: %v", err)
	}
}

// Each counter follows its own limit and window.
func TestFailuresLimitPerCounter(t *testing.T) {
	f := NewFailures()
	low, high := one("low", 2, time.Minute), one("high", 5, time.Hour)
	for range 2 {
		_ = attempt(f, low, t0)
		_ = attempt(f, high, t0)
	}
	if got := retryAfter(t, f.Check(ctx, low, t0)); got != time.Minute {
		t.Fatalf("low: RetryAfter %v, want 1m", got)
	}
	if err := f.Check(ctx, high, t0); err != nil {
		t.Fatalf("high throttled at 2 of 5: %v", err)
	}
}

// A Check over several counters is all or none: one refusing counter
// refuses the attempt, with the longest wait, and reserves nothing.
func TestFailuresCheckAllOrNone(t *testing.T) {
	f := NewFailures()
	pair, account := one("pair", 2, 10*time.Minute), one("account", 3, time.Hour)
	both := append(append([]domain.FailureCounter(nil), pair...), account...)
	for range 2 {
		if err := attempt(f, pair, t0); err != nil {
			t.Fatal(err)
		}
	}
	if got := retryAfter(t, f.Check(ctx, both, t0)); got != 10*time.Minute {
		t.Fatalf("RetryAfter = %v, want the pair's 10m", got)
	}
	for range 3 {
		_ = attempt(f, account, t0)
	}
	if got := retryAfter(t, f.Check(ctx, both, t0)); got != time.Hour {
		t.Fatalf("RetryAfter = %v, want the longest wait (1h)", got)
	}
	// The refused checks reserved nothing on the account's counter.
	f2 := NewFailures()
	for range 2 {
		_ = attempt(f2, pair, t0)
	}
	for range 10 {
		_ = f2.Check(ctx, both, t0)
	}
	for i := range 3 {
		if err := f2.Check(ctx, account, t0); err != nil {
			t.Fatalf("account attempt %d refused after refused pair checks: %v", i+1, err)
		}
	}
}

func TestFailuresResetOnSuccess(t *testing.T) {
	f := NewFailures()
	a := one("a", 3, time.Hour)
	for range 2 {
		_ = attempt(f, a, t0)
	}
	if err := f.Check(ctx, a, t0); err != nil {
		t.Fatal(err)
	}
	f.Reset(ctx, a)
	for i := range 3 {
		if err := attempt(f, a, t0); err != nil {
			t.Fatalf("attempt %d after reset: %v", i+1, err)
		}
	}
	if err := f.Check(ctx, a, t0); err == nil {
		t.Fatal("three new failures did not lock")
	}
}

// Release settles an attempt without counting it, and forgets a counter
// left with nothing to remember.
func TestFailuresRelease(t *testing.T) {
	f := NewFailures()
	a := one("a", 2, time.Hour)
	for range 100 {
		if err := f.Check(ctx, a, t0); err != nil {
			t.Fatalf("successful attempts used up the budget: %v", err)
		}
		f.Release(ctx, a, t0)
	}
	if f.Len() != 0 {
		t.Fatalf("Len = %d after settled successes, want 0", f.Len())
	}
	_ = attempt(f, a, t0)
	_ = f.Check(ctx, a, t0)
	f.Release(ctx, a, t0)
	if err := attempt(f, a, t0); err != nil {
		t.Fatalf("a release counted as a failure: %v", err)
	}
	if err := f.Check(ctx, a, t0); err == nil {
		t.Fatal("two failures did not lock")
	}
	f.Release(ctx, one("unknown", 2, time.Hour), t0)
}

// Parallel guesses all pass a check-then-count throttle before the first
// failure is counted; attempts in flight count, so only the limit pass.
func TestFailuresCountAttemptsInFlight(t *testing.T) {
	f := NewFailures()
	a := one("a", 3, time.Hour)
	passed := 0
	for range 10 {
		if f.Check(ctx, a, t0) == nil {
			passed++
		}
	}
	if passed != 3 {
		t.Fatalf("%d parallel attempts passed, want 3", passed)
	}
	if got := retryAfter(t, f.Check(ctx, a, t0)); got != inFlightRetry {
		t.Fatalf("RetryAfter while in flight = %v, want %v", got, inFlightRetry)
	}
	// An attempt that never reports back stops counting.
	if err := f.Check(ctx, a, t0.Add(inFlightTTL)); err != nil {
		t.Fatalf("abandoned attempts still count after %v: %v", inFlightTTL, err)
	}
}

func TestFailuresCountersOff(t *testing.T) {
	f := NewFailures()
	for _, cs := range [][]domain.FailureCounter{one("a", 0, time.Minute), one("b", 5, 0), nil} {
		for range 100 {
			if err := attempt(f, cs, t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if f.Len() != 0 {
		t.Fatalf("counters that are off left %d keys", f.Len())
	}
}

func TestFailuresExpireOldKeys(t *testing.T) {
	f := NewFailures()
	for i := range 1000 {
		_ = attempt(f, one("k"+strconv.Itoa(i), 5, time.Minute), t0)
	}
	if f.Len() != 1000 {
		t.Fatalf("Len = %d, want 1000", f.Len())
	}
	_ = attempt(f, one("late", 5, time.Minute), t0.Add(time.Minute))
	if f.Len() != 1 {
		t.Fatalf("Len after the window = %d, want 1 (old keys swept)", f.Len())
	}
}

func TestFailuresBoundedUnderKeyFlood(t *testing.T) {
	f := NewFailures()
	for i := range MaxKeys + 10 {
		f.Fail(ctx, one(strconv.Itoa(i), 5, time.Hour), t0)
	}
	if n := f.Len(); n > MaxKeys {
		t.Fatalf("Len = %d, over MaxKeys", n)
	}
}

func TestFailuresConcurrentChecks(t *testing.T) {
	f := NewFailures()
	cs := append(one("a", 4, time.Hour), one("b", 6, time.Hour)...)
	results := make(chan error, 64)
	for range 64 {
		go func() { results <- f.Check(ctx, cs, t0) }()
	}
	passed := 0
	for range 64 {
		if <-results == nil {
			passed++
		}
	}
	if passed != 4 {
		t.Fatalf("%d of 64 concurrent attempts passed, want 4", passed)
	}
}
