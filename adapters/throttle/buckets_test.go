package throttle

import (
	"strconv"
	"testing"
	"time"
)

func TestBucketsBurstThenRate(t *testing.T) {
	b := NewBuckets(60) // one a second, burst 60
	for i := range 60 {
		if err := b.Allow(ctx, "ip", t0); err != nil {
			t.Fatalf("request %d of the burst: %v", i+1, err)
		}
	}
	if got := retryAfter(t, b.Allow(ctx, "ip", t0)); got != time.Second {
		t.Fatalf("RetryAfter = %v, want 1s", got)
	}
	if err := b.Allow(ctx, "other", t0); err != nil {
		t.Fatalf("another address is limited too: %v", err)
	}
	if got := retryAfter(t, b.Allow(ctx, "ip", t0.Add(500*time.Millisecond))); got != 500*time.Millisecond {
		t.Fatalf("RetryAfter half-way = %v, want 500ms", got)
	}
	if err := b.Allow(ctx, "ip", t0.Add(time.Second)); err != nil {
		t.Fatalf("no token after 1s: %v", err)
	}
	if err := b.Allow(ctx, "ip", t0.Add(time.Second)); err == nil {
		t.Fatal("a second token after 1s")
	}
	for i := range 60 {
		if err := b.Allow(ctx, "ip", t0.Add(2*time.Minute)); err != nil {
			t.Fatalf("burst %d after a full refill: %v", i+1, err)
		}
	}
}

func TestBucketsClockBackwards(t *testing.T) {
	b := NewBuckets(1)
	if err := b.Allow(ctx, "ip", t0); err != nil {
		t.Fatal(err)
	}
	if err := b.Allow(ctx, "ip", t0.Add(-time.Hour)); err == nil {
		t.Fatal("a clock step backwards refilled the bucket")
	}
}

func TestBucketsOff(t *testing.T) {
	b := NewBuckets(0)
	for range 1000 {
		if err := b.Allow(ctx, "ip", t0); err != nil {
			t.Fatal(err)
		}
	}
	if b.Len() != 0 {
		t.Fatalf("disabled limiter remembers %d keys", b.Len())
	}
}

func TestBucketsExpireIdleKeys(t *testing.T) {
	b := NewBuckets(10)
	for i := range 1000 {
		_ = b.Allow(ctx, "ip"+strconv.Itoa(i), t0)
	}
	_ = b.Allow(ctx, "late", t0.Add(time.Minute))
	if b.Len() != 1 {
		t.Fatalf("Len after a refill period = %d, want 1 (idle keys swept)", b.Len())
	}
}

func TestBucketsBoundedUnderKeyFlood(t *testing.T) {
	b := NewBuckets(10)
	for i := range MaxKeys + 10 {
		_ = b.Allow(ctx, strconv.Itoa(i), t0)
	}
	if n := b.Len(); n > MaxKeys {
		t.Fatalf("Len = %d, over MaxKeys", n)
	}
}
