package jwtverify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// publicKey is one usable key of the set.
type publicKey struct {
	alg string
	key any // ed25519.PublicKey, *ecdsa.PublicKey or *rsa.PublicKey
}

// keyCache holds the last good key set and refetches it when a token names
// an unknown kid or the set is older than CacheTTL — at most once per
// MinRefreshInterval, with concurrent callers sharing one fetch.
type keyCache struct {
	cfg Config
	now func() time.Time

	mu          sync.Mutex
	keys        map[string]publicKey // nil until the first good fetch
	fetchedAt   time.Time
	lastAttempt time.Time
	inflight    chan struct{} // closed when the running fetch ends
	lastErr     error
}

func newKeyCache(cfg Config, now func() time.Time) *keyCache {
	return &keyCache{cfg: cfg, now: now}
}

// errNoFetch says a refresh was skipped because the last one is too recent.
var errNoFetch = errors.New("jwtverify: key refresh rate-limited")

func (k *keyCache) lookup(ctx context.Context, kid string) (publicKey, error) {
	k.mu.Lock()
	keys, stale := k.keys, k.keys == nil || k.now().Sub(k.fetchedAt) > k.cfg.CacheTTL
	k.mu.Unlock()
	if key, ok := keys[kid]; ok && !stale {
		return key, nil
	}
	fresh, err := k.refresh(ctx)
	if fresh == nil {
		// Never had a key set: this is an outage, not a bad token.
		return publicKey{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	// After a failed or skipped refresh the last good set still serves,
	// so a flaky JWKS endpoint does not log everybody out.
	if key, ok := fresh[kid]; ok {
		return key, nil
	}
	return publicKey{}, ErrInvalid
}

// refresh fetches the set unless a fetch ran within MinRefreshInterval, in
// which case it returns the cached set (and waits for it if in flight).
func (k *keyCache) refresh(ctx context.Context) (map[string]publicKey, error) {
	k.mu.Lock()
	if ch := k.inflight; ch != nil {
		k.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return k.snapshot(), ctx.Err()
		}
		k.mu.Lock()
		defer k.mu.Unlock()
		return k.keys, k.lastErr
	}
	if !k.lastAttempt.IsZero() && k.now().Sub(k.lastAttempt) < k.cfg.MinRefreshInterval {
		defer k.mu.Unlock()
		return k.keys, errNoFetch
	}
	ch := make(chan struct{})
	k.inflight, k.lastAttempt = ch, k.now()
	k.mu.Unlock()

	// The fetch serves every waiter, so one caller giving up must not
	// cancel it; the HTTP client's timeout bounds it instead.
	keys, err := fetchKeySet(context.WithoutCancel(ctx), k.cfg)

	k.mu.Lock()
	defer k.mu.Unlock()
	if err == nil {
		k.keys, k.fetchedAt = keys, k.now()
	}
	k.lastErr, k.inflight = err, nil
	close(ch)
	return k.keys, err
}

func (k *keyCache) snapshot() map[string]publicKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys
}
