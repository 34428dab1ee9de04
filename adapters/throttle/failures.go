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
// limit while its outcome is pending. One that never reports back (a
// crash mid-request) stops counting after it.
const inFlightTTL = time.Minute

// inFlightRetry is the Retry-After of a counter refused only because its
// remaining attempts are all in flight: they settle within a bcrypt compare.
const inFlightRetry = time.Second

// sweepInterval is how often ended windows are dropped.
const sweepInterval = time.Minute

// Failures is the in-process ports.LoginThrottle: a map of counters, each
// with the limit and window its caller gives.
type Failures struct {
	mu      sync.Mutex
	entries map[string]failureEntry
	swept   time.Time
}

type failureEntry struct {
	count    int       // failures in the window
	inFlight int       // attempts that passed Check and have not reported
	lastTry  time.Time // of the latest Check, for inFlightTTL
	end      time.Time // of the window, which starts at the first attempt
	limit    int       // the latest limit given, to spare locked keys on eviction
}

// NewFailures builds an empty in-process failure store.
func NewFailures() *Failures {
	return &Failures{entries: make(map[string]failureEntry)}
}

// Check refuses when any counter is at its limit; otherwise it counts one
// attempt in flight on each, all under one lock so the check is atomic.
func (f *Failures) Check(_ context.Context, counters []domain.FailureCounter, now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	current := make([]failureEntry, len(counters))
	var wait time.Duration
	for i, c := range counters {
		if c.Off() {
			continue
		}
		current[i] = f.current(c, now)
		wait = max(wait, refusal(current[i], now))
	}
	if wait > 0 {
		return &domain.RateLimitedError{RetryAfter: wait}
	}
	for i, c := range counters {
		if c.Off() {
			continue
		}
		e := current[i]
		e.inFlight++
		e.lastTry = now
		f.entries[c.Key] = e
	}
	return nil
}

// refusal is how long e must wait; 0 when it may try now.
func refusal(e failureEntry, now time.Time) time.Duration {
	switch {
	case e.count >= e.limit:
		return e.end.Sub(now)
	case e.count+e.inFlight >= e.limit:
		return inFlightRetry
	}
	return 0
}

// Fail counts a failure on each counter, settling one attempt in flight.
func (f *Failures) Fail(_ context.Context, counters []domain.FailureCounter, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range counters {
		if c.Off() {
			continue
		}
		e := f.current(c, now)
		e.count++
		e.inFlight = max(e.inFlight-1, 0)
		f.entries[c.Key] = e
	}
}

// Release settles one attempt in flight on each counter; a counter left
// with nothing to remember is dropped.
func (f *Failures) Release(_ context.Context, counters []domain.FailureCounter, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range counters {
		e, ok := f.entries[c.Key]
		if !ok {
			continue
		}
		e.inFlight = max(e.inFlight-1, 0)
		if e.count == 0 && e.inFlight == 0 || f.expired(e, now) {
			delete(f.entries, c.Key)
			continue
		}
		f.entries[c.Key] = e
	}
}

// Reset forgets each counter.
func (f *Failures) Reset(_ context.Context, counters []domain.FailureCounter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range counters {
		delete(f.entries, c.Key)
	}
}

// Len is the number of keys remembered.
func (f *Failures) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.entries)
}

// current returns c's entry in the window containing now: a fresh one when
// there is none or the old window ended. Call with f.mu held.
func (f *Failures) current(c domain.FailureCounter, now time.Time) failureEntry {
	if now.Sub(f.swept) >= sweepInterval {
		f.sweep(now)
	}
	e, ok := f.entries[c.Key]
	if !ok || f.expired(e, now) {
		if !ok && len(f.entries) >= MaxKeys {
			f.sweep(now)
			f.makeRoom()
		}
		return failureEntry{end: now.Add(c.Window), limit: c.Limit}
	}
	if now.Sub(e.lastTry) >= inFlightTTL {
		e.inFlight = 0
	}
	e.limit = c.Limit
	return e
}

func (f *Failures) expired(e failureEntry, now time.Time) bool { return !now.Before(e.end) }

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
// keys cannot push a locked one out and lift its lockout; only if locked
// keys alone fill the map are arbitrary ones dropped.
func (f *Failures) makeRoom() {
	for k, e := range f.entries {
		if len(f.entries) < MaxKeys*9/10 {
			return
		}
		if e.count < e.limit {
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
