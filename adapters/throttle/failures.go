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

// inFlightTTL is how long an attempt that passed Check counts against the
// limit while its outcome (Fail or Reset) is pending. A login that never
// reports back (a storage error) stops counting after it.
const inFlightTTL = time.Minute

// inFlightRetry is the Retry-After of an account refused only because its
// remaining attempts are all in flight: they settle within a bcrypt compare.
const inFlightRetry = time.Second

// FailurePolicy: at most Max failures per Window (Max 0: off).
type FailurePolicy struct {
	Max    int
	Window time.Duration
}

// Failures counts failed logins per account in a window that starts at the
// first attempt; at Max the account waits until the window ends. Attempts
// in flight count too, so Max parallel guesses cannot all pass Check
// before the first of them fails.
type Failures struct {
	mu      sync.Mutex
	policy  FailurePolicy
	entries map[string]failureEntry
	swept   time.Time
}

type failureEntry struct {
	count    int       // failures in the window
	inFlight int       // attempts that passed Check and have not reported
	lastTry  time.Time // of the latest Check, for inFlightTTL
	start    time.Time
}

// NewFailures builds a login-failure throttle.
func NewFailures(p FailurePolicy) *Failures {
	return &Failures{policy: p, entries: make(map[string]failureEntry)}
}

// Check refuses key while its failures (and attempts in flight) reach Max
// in its current window; otherwise it counts one attempt in flight.
func (f *Failures) Check(_ context.Context, key string, now time.Time) error {
	if f.policy.Max <= 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.current(key, now)
	if e.count >= f.policy.Max {
		return &domain.RateLimitedError{RetryAfter: e.start.Add(f.policy.Window).Sub(now)}
	}
	if e.count+e.inFlight >= f.policy.Max {
		return &domain.RateLimitedError{RetryAfter: inFlightRetry}
	}
	e.inFlight++
	e.lastTry = now
	f.entries[key] = e
	return nil
}

// Fail records a failure for key, settling one attempt in flight.
func (f *Failures) Fail(_ context.Context, key string, now time.Time) {
	if f.policy.Max <= 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.current(key, now)
	e.count++
	e.inFlight = max(e.inFlight-1, 0)
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

// current returns key's entry in the window containing now: a fresh one
// when there is none or the old window ended. Expired keys are swept once
// per window, so the map holds only live windows. Call with f.mu held.
func (f *Failures) current(key string, now time.Time) failureEntry {
	if now.Sub(f.swept) >= f.policy.Window {
		f.sweep(now)
	}
	e, ok := f.entries[key]
	if !ok || f.expired(e, now) {
		if !ok && len(f.entries) >= MaxKeys {
			f.sweep(now)
			f.makeRoom()
		}
		return failureEntry{start: now}
	}
	if now.Sub(e.lastTry) >= inFlightTTL {
		e.inFlight = 0
	}
	return e
}

func (f *Failures) expired(e failureEntry, now time.Time) bool {
	return !now.Before(e.start.Add(f.policy.Window))
}

// sweep drops every key whose window has ended.
func (f *Failures) sweep(now time.Time) {
	f.swept = now
	for k, e := range f.entries {
		if f.expired(e, now) {
			delete(f.entries, k)
		}
	}
}

// makeRoom drops keys that are not locked out first, so a flood of new
// emails cannot push a locked account out and lift its lockout; only if
// locked keys alone fill the map are arbitrary ones dropped.
func (f *Failures) makeRoom() {
	for k, e := range f.entries {
		if len(f.entries) < MaxKeys*9/10 {
			return
		}
		if e.count < f.policy.Max {
			delete(f.entries, k)
		}
	}
	shrink(f.entries)
}

// shrink drops arbitrary keys (map order) until m is at nine tenths of
// MaxKeys, so a flood of new keys costs O(1) amortised.
func shrink[V any](m map[string]V) {
	for k := range m {
		if len(m) < MaxKeys*9/10 {
			return
		}
		delete(m, k)
	}
}
