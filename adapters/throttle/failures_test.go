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

// attempt is one login that fails: Check, then Fail.
func attempt(f *Failures, key string, now time.Time) error {
	if err := f.Check(ctx, key, now); err != nil {
		return err
	}
	f.Fail(ctx, key, now)
	return nil
}

func TestFailuresLockAfterMaxUntilWindowEnds(t *testing.T) {
	f := NewFailures(FailurePolicy{Max: 3, Window: 15 * time.Minute})
	for i := range 3 {
		if err := attempt(f, "a", t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	now := t0.Add(5 * time.Minute)
	if got := retryAfter(t, f.Check(ctx, "a", now)); got != 10*time.Minute {
		t.Fatalf("RetryAfter = %v, want the rest of the window (10m)", got)
	}
	if err := f.Check(ctx, "b", now); err != nil {
		t.Fatalf("another account is throttled too: %v", err)
	}
	if err := f.Check(ctx, "a", t0.Add(15*time.Minute-time.Nanosecond)); err == nil {
		t.Fatal("unlocked before the window ended")
	}
	if err := f.Check(ctx, "a", t0.Add(15*time.Minute)); err != nil {
		t.Fatalf("still locked when the window ended: %v", err)
	}
}

func TestFailuresResetOnSuccess(t *testing.T) {
	f := NewFailures(FailurePolicy{Max: 3, Window: time.Hour})
	for range 2 {
		_ = attempt(f, "a", t0)
	}
	if err := f.Check(ctx, "a", t0); err != nil {
		t.Fatal(err)
	}
	f.Reset(ctx, "a")
	for i := range 3 {
		if err := attempt(f, "a", t0); err != nil {
			t.Fatalf("attempt %d after reset: %v", i+1, err)
		}
	}
	if err := f.Check(ctx, "a", t0); err == nil {
		t.Fatal("three new failures did not lock")
	}
}

// Parallel guesses all pass a check-then-count throttle before the first
// failure is counted; attempts in flight count, so only Max get through.
func TestFailuresCountAttemptsInFlight(t *testing.T) {
	f := NewFailures(FailurePolicy{Max: 3, Window: time.Hour})
	passed := 0
	for range 10 {
		if f.Check(ctx, "a", t0) == nil {
			passed++
		}
	}
	if passed != 3 {
		t.Fatalf("%d parallel attempts passed, want 3", passed)
	}
	if got := retryAfter(t, f.Check(ctx, "a", t0)); got != inFlightRetry {
		t.Fatalf("RetryAfter while in flight = %v, want %v", got, inFlightRetry)
	}
	// An attempt that never reports back (a storage error) stops counting.
	if err := f.Check(ctx, "a", t0.Add(inFlightTTL)); err != nil {
		t.Fatalf("abandoned attempts still count after %v: %v", inFlightTTL, err)
	}
}

func TestFailuresOff(t *testing.T) {
	f := NewFailures(FailurePolicy{Max: 0, Window: time.Minute})
	for range 100 {
		if err := attempt(f, "a", t0); err != nil {
			t.Fatal(err)
		}
	}
	if f.Len() != 0 {
		t.Fatalf("disabled throttle remembers %d keys", f.Len())
	}
}

func TestFailuresExpireOldKeys(t *testing.T) {
	f := NewFailures(FailurePolicy{Max: 5, Window: time.Minute})
	for i := range 1000 {
		_ = attempt(f, "k"+strconv.Itoa(i), t0)
	}
	if f.Len() != 1000 {
		t.Fatalf("Len = %d, want 1000", f.Len())
	}
	_ = attempt(f, "late", t0.Add(time.Minute))
	if f.Len() != 1 {
		t.Fatalf("Len after the window = %d, want 1 (old keys swept)", f.Len())
	}
}

func TestFailuresBoundedUnderKeyFlood(t *testing.T) {
	f := NewFailures(FailurePolicy{Max: 5, Window: time.Hour})
	for i := range MaxKeys + 10 {
		f.Fail(ctx, strconv.Itoa(i), t0)
	}
	if n := f.Len(); n > MaxKeys {
		t.Fatalf("Len = %d, over MaxKeys", n)
	}
}

func TestFailuresConcurrentChecks(t *testing.T) {
	f := NewFailures(FailurePolicy{Max: 4, Window: time.Hour})
	results := make(chan error, 64)
	for range 64 {
		go func() { results <- f.Check(ctx, "a", t0) }()
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
