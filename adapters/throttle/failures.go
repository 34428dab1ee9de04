// Package throttle holds in-memory login and request throttles. State is
// bounded: keys expire, and past a maximum the oldest are dropped.
package throttle

import (
	"context"
	"sync"
	"time"

	"github.com/google/wire"

	"github.com/authd-dev/authd/domain"
)

// ProviderSet provides both throttles.
var ProviderSet = wire.NewSet(NewFailures, NewBuckets)

// MaxKeys bounds the keys each throttle remembers.
const MaxKeys = 100_000

// FailurePolicy: at most Max failures per Window (Max 0: off).
type FailurePolicy struct {
	Max    int
	Window time.Duration
}

// Failures counts failed logins per account in a window that starts at the
// first failure; at Max the account waits until the window ends.
type Failures struct {
	mu      sync.Mutex
	policy  FailurePolicy
	entries map[string]failureEntry
}

type failureEntry struct {
	count int
	start time.Time
}

// NewFailures builds a login-failure throttle.
func NewFailures(p FailurePolicy) *Failures {
	return &Failures{policy: p, entries: make(map[string]failureEntry)}
}

// Check refuses key while it has Max failures in its current window.
func (f *Failures) Check(_ context.Context, key string, now time.Time) error {
	if f.policy.Max <= 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.entries[key]
	if !ok {
		return nil
	}
	end := e.start.Add(f.policy.Window)
	if !now.Before(end) {
		delete(f.entries, key)
		return nil
	}
	if e.count >= f.policy.Max {
		return &domain.RateLimitedError{RetryAfter: end.Sub(now)}
	}
	return nil
}

// Fail records a failure for key.
func (f *Failures) Fail(_ context.Context, key string, now time.Time) {
	if f.policy.Max <= 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.entries[key]
	if !ok || !now.Before(e.start.Add(f.policy.Window)) {
		if !ok && len(f.entries) >= MaxKeys {
			f.evict(now)
		}
		e = failureEntry{start: now}
	}
	e.count++
	f.entries[key] = e
}

// Reset forgets key after a successful login.
func (f *Failures) Reset(_ context.Context, key string) {
	f.mu.Lock()
	delete(f.entries, key)
	f.mu.Unlock()
}

// Len is the number of keys remembered.
func (f *Failures) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.entries)
}

// evict drops expired keys; if the map is still full it drops a tenth of
// the keys at random (map order), so a flood of new keys costs O(1) amortised.
func (f *Failures) evict(now time.Time) {
	for k, e := range f.entries {
		if !now.Before(e.start.Add(f.policy.Window)) {
			delete(f.entries, k)
		}
	}
	shrink(f.entries)
}

// shrink drops arbitrary keys until m is at nine tenths of MaxKeys.
func shrink[V any](m map[string]V) {
	for k := range m {
		if len(m) < MaxKeys*9/10 {
			return
		}
		delete(m, k)
	}
}
