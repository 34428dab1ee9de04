package throttle

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/authd-dev/authd/domain"
)

// PerMinute is a request budget per key per minute (0: off).
type PerMinute int

// Buckets is a token bucket per key: capacity PerMinute, refilled evenly
// over a minute, so a burst of PerMinute is allowed and then the steady rate.
type Buckets struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewBuckets builds a request limiter.
func NewBuckets(limit PerMinute) *Buckets {
	return &Buckets{rate: float64(limit) / 60, burst: float64(limit), buckets: make(map[string]bucket)}
}

// Allow takes a token for key or says how long until one is free.
func (b *Buckets) Allow(_ context.Context, key string, now time.Time) error {
	if b.burst <= 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.swept) >= b.refill() {
		b.sweep(now)
	}
	bk, ok := b.buckets[key]
	if !ok {
		if len(b.buckets) >= MaxKeys {
			b.sweep(now)
			shrink(b.buckets)
		}
		bk = bucket{tokens: b.burst, last: now}
	}
	if elapsed := now.Sub(bk.last).Seconds(); elapsed > 0 {
		bk.tokens = math.Min(b.burst, bk.tokens+elapsed*b.rate)
		bk.last = now
	}
	if bk.tokens < 1 {
		b.buckets[key] = bk
		wait := time.Duration((1 - bk.tokens) / b.rate * float64(time.Second))
		return &domain.RateLimitedError{RetryAfter: wait}
	}
	bk.tokens--
	b.buckets[key] = bk
	return nil
}

// Len is the number of keys remembered.
func (b *Buckets) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buckets)
}

// refill is how long an empty bucket takes to fill up.
func (b *Buckets) refill() time.Duration {
	return time.Duration(b.burst / b.rate * float64(time.Second))
}

// sweep drops buckets that have refilled completely: they hold no state a
// new bucket would not. It runs once per refill period, so idle client
// addresses expire and the map holds only recently active ones.
func (b *Buckets) sweep(now time.Time) {
	b.swept = now
	full := b.refill()
	for k, bk := range b.buckets {
		if now.Sub(bk.last) >= full {
			delete(b.buckets, k)
		}
	}
}
