package jwtverify

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Bounds of the memory of kids a fresh key set lacked.
const (
	refusalMemory = 30 * time.Second
	maxRefused    = 1024
)

// keyCache holds the last good key set and decides when to fetch. At most
// one fetch runs at a time (all waiters share it) and two start at least
// MinRefreshInterval apart. A known kid never waits: a stale set is
// replaced in the background while it keeps serving. An unseen kid waits
// for a fetch that started after it arrived; it is refused only when such
// a fetch succeeded without it (or it was dropped from the set), and gets
// ErrUnavailable when no fetch may start yet.
type keyCache struct {
	client   *http.Client
	url      string
	algs     []string
	interval time.Duration
	maxTTL   time.Duration
	timeout  time.Duration
	now      func() time.Time

	mu        sync.Mutex
	keys      map[string]publicKey // nil until the first good fetch
	staleAt   time.Time
	started   uint64 // fetches started so far; numbers them
	goodSeq   uint64 // number of the fetch that produced keys
	lastStart time.Time
	lastErr   error
	flight    *flight              // the running fetch, if any
	refused   map[string]time.Time // kid a fresh set lacked -> until when
}

type flight struct {
	seq  uint64
	done chan struct{} // closed when the fetch ends
	err  error         // set before done is closed
}

func newKeyCache(cfg Config, client *http.Client, now func() time.Time) *keyCache {
	return &keyCache{client: client, url: cfg.JWKSURL, algs: cfg.Algorithms, interval: cfg.MinRefreshInterval,
		maxTTL: cfg.CacheTTL, timeout: fetchTimeout, now: now, refused: map[string]time.Time{}}
}

// lookup returns kid's key, waiting at most for two fetches (one that was
// already running, then one that started after this call) and at most
// until ctx ends.
func (k *keyCache) lookup(ctx context.Context, kid string) (publicKey, error) {
	k.mu.Lock()
	arrival := k.started
	for waits := 0; ; waits++ {
		if key, ok := k.keys[kid]; ok {
			k.revalidateLocked()
			k.mu.Unlock()
			return key, nil
		}
		if k.refusedLocked(kid) {
			k.mu.Unlock()
			return publicKey{}, ErrInvalid
		}
		if k.goodSeq > arrival {
			// A set fetched after this token arrived lacks its kid.
			k.refuseLocked(kid)
			k.mu.Unlock()
			return publicKey{}, ErrInvalid
		}
		f := k.flight
		if f == nil && waits < 2 {
			f = k.startLocked()
		}
		if f == nil || waits == 2 {
			err := k.unavailableLocked(k.lastErr)
			k.mu.Unlock()
			return publicKey{}, err
		}
		k.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			k.mu.Lock()
			defer k.mu.Unlock()
			return publicKey{}, k.unavailableLocked(ctx.Err())
		}
		k.mu.Lock()
	}
}

// refresh runs or joins a fetch and returns its result; within the
// interval it returns the last fetch's.
func (k *keyCache) refresh(ctx context.Context) error {
	k.mu.Lock()
	f := k.flight
	if f == nil {
		f = k.startLocked()
	}
	if f == nil {
		defer k.mu.Unlock()
		return k.lastErr
	}
	k.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// revalidateLocked starts a background fetch when the set is stale.
func (k *keyCache) revalidateLocked() {
	if k.flight == nil && !k.now().Before(k.staleAt) {
		k.startLocked()
	}
}

// startLocked starts a fetch unless the last one started within the
// interval; nil then.
func (k *keyCache) startLocked() *flight {
	now := k.now()
	if k.started > 0 && now.Sub(k.lastStart) < k.interval {
		return nil
	}
	k.started++
	f := &flight{seq: k.started, done: make(chan struct{})}
	k.flight, k.lastStart = f, now
	go k.run(f, k.timeout)
	return f
}

// run fetches on a context of its own: the fetch serves every waiter, so
// no caller's cancellation may end it, and fetchTimeout always bounds it.
func (k *keyCache) run(f *flight, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	got, err := fetchKeySet(ctx, k.client, k.url, k.algs)
	cancel()
	k.mu.Lock()
	if err == nil {
		for kid := range k.keys {
			if _, ok := got.keys[kid]; !ok {
				k.refuseLocked(kid) // retired: known, so no refetch is due
			}
		}
		k.keys, k.goodSeq = got.keys, f.seq
		k.staleAt = k.now().Add(k.ttl(got.maxAge))
	}
	k.lastErr, k.flight, f.err = err, nil, err
	k.mu.Unlock()
	close(f.done)
}

// ttl bounds the server's max-age (-1: none given) by the configured TTL
// and the floor that keeps a no-cache server from causing a fetch per
// request.
func (k *keyCache) ttl(maxAge time.Duration) time.Duration {
	if maxAge < 0 {
		return k.maxTTL
	}
	return min(max(maxAge, minCacheTTL), k.maxTTL)
}

// unavailableLocked says when a fetch may start next (whole seconds, at
// least one).
func (k *keyCache) unavailableLocked(cause error) error {
	wait := time.Second
	if k.flight == nil {
		wait = max(wait, k.lastStart.Add(k.interval).Sub(k.now()))
	}
	wait = (wait + time.Second - 1).Truncate(time.Second)
	return &UnavailableError{RetryAfter: wait, Cause: cause}
}

func (k *keyCache) refusedLocked(kid string) bool {
	until, ok := k.refused[kid]
	return ok && k.now().Before(until)
}

// refuseLocked remembers kid for refusalMemory, so a client retrying a
// token of a retired key gets its 401 without causing fetches. The memory
// is bounded: when full, expired entries go, else an arbitrary one.
func (k *keyCache) refuseLocked(kid string) {
	now := k.now()
	if _, ok := k.refused[kid]; !ok && len(k.refused) >= maxRefused {
		for id, until := range k.refused {
			if !now.Before(until) {
				delete(k.refused, id)
			}
		}
		for id := range k.refused {
			if len(k.refused) < maxRefused {
				break
			}
			delete(k.refused, id)
		}
	}
	k.refused[kid] = now.Add(refusalMemory)
}
