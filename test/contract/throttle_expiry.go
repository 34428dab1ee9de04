package contract

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/ports"
)

// An attempt that passed Check and never reported back (a crash mid-login)
// stops counting after a minute.
func throttleLostAttempts(t *testing.T, th ports.LoginThrottle) {
	ctx, a := context.Background(), counters(fc("lost:a", 2, time.Hour))
	for range 2 {
		if err := th.Check(ctx, a, throttleT0); err != nil {
			t.Fatalf("Check: %v", err)
		}
	}
	if got := waitOf(t, th.Check(ctx, a, throttleT0.Add(59*time.Second))); got != time.Second {
		t.Fatalf("RetryAfter %v while attempts are in flight, want 1s", got)
	}
	if err := th.Check(ctx, a, throttleT0.Add(time.Minute)); err != nil {
		t.Fatalf("attempts lost a minute ago still count: %v", err)
	}
	th.Fail(ctx, a, throttleT0.Add(time.Minute))
	guess(t, th, a, throttleT0.Add(time.Minute))
	if got := waitOf(t, th.Check(ctx, a, throttleT0.Add(2*time.Minute))); got != 58*time.Minute {
		t.Fatalf("RetryAfter %v, want the rest of the first window (58m)", got)
	}
}

// After a window ends the next attempt starts a new one of the full length.
func throttleNewWindow(t *testing.T, th ports.LoginThrottle) {
	ctx, a := context.Background(), counters(fc("renew:a", 2, 10*time.Minute))
	guess(t, th, a, throttleT0)
	guess(t, th, a, throttleT0)
	start := throttleT0.Add(12 * time.Minute)
	guess(t, th, a, start)
	guess(t, th, a, start.Add(3*time.Minute))
	if got := waitOf(t, th.Check(ctx, a, start.Add(4*time.Minute))); got != 6*time.Minute {
		t.Fatalf("RetryAfter %v, want the new window's rest (6m)", got)
	}
	// A release past the window's end forgets the counter.
	th.Release(ctx, a, start.Add(10*time.Minute))
	guess(t, th, a, start.Add(10*time.Minute))
	guess(t, th, a, start.Add(10*time.Minute))
}

// Failures reported without a Check still count; a Release of a counter
// never checked changes nothing.
func throttleFailUnchecked(t *testing.T, th ports.LoginThrottle) {
	ctx, a := context.Background(), counters(fc("unchecked:a", 3, time.Hour))
	for range 3 {
		th.Release(ctx, a, throttleT0)
	}
	for range 3 {
		th.Fail(ctx, a, throttleT0)
	}
	if got := waitOf(t, th.Check(ctx, a, throttleT0)); got != time.Hour {
		t.Fatalf("RetryAfter %v, want 1h", got)
	}
}

// Keys are opaque: long ones, ones sharing a long prefix, or holding any
// bytes count apart.
func throttleKeysApart(t *testing.T, th ports.LoginThrottle) {
	ctx, long := context.Background(), strings.Repeat("x", 4096)
	keys := []string{long + "a", long + "b", "ü\x00|:*", "ü\x00|:?", ""}
	for _, k := range keys {
		guess(t, th, counters(fc(k, 1, time.Hour)), throttleT0)
	}
	for _, k := range keys {
		waitOf(t, th.Check(ctx, counters(fc(k, 1, time.Hour)), throttleT0))
	}
	if err := th.Check(ctx, counters(fc(long, 1, time.Hour)), throttleT0); err != nil {
		t.Fatalf("a key that prefixes throttled keys is throttled: %v", err)
	}
}
