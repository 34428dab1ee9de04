package throttle

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// A flood of one-failure keys fills the map; the locked account survives
// the eviction that follows, and so does its lockout.
func TestFloodDoesNotLiftALockout(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f := NewFailures()
	victim := []domain.FailureCounter{{Key: "victim@example.com", Limit: 2, Window: time.Hour}}
	for range 2 {
		if err := f.Check(ctx, victim, now); err != nil {
			t.Fatal(err)
		}
		f.Fail(ctx, victim, now)
	}
	for i := range MaxKeys + 10 {
		key := []domain.FailureCounter{{Key: "flood" + strconv.Itoa(i) + "@example.com", Limit: 2, Window: time.Hour}}
		_ = f.Check(ctx, key, now)
		f.Fail(ctx, key, now)
	}
	if f.Len() > MaxKeys {
		t.Fatalf("throttle holds %d keys, more than %d", f.Len(), MaxKeys)
	}
	var limited *domain.RateLimitedError
	if err := f.Check(ctx, victim, now.Add(time.Minute)); !errors.As(err, &limited) {
		t.Fatalf("victim after the flood: %v, want still rate limited", err)
	}
}
