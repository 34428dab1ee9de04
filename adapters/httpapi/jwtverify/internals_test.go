package jwtverify

// Access to internals the tests need; kept in one place.

import (
	"errors"
	"time"
)

// shortFetchTimeout makes the fetches the test expects to hang give up
// sooner than the production bound, until restore is called.
func shortFetchTimeout(v *Verifier) (restore func()) {
	set := func(d time.Duration) {
		v.keys.mu.Lock()
		defer v.keys.mu.Unlock()
		v.keys.timeout = d
	}
	set(300 * time.Millisecond)
	return func() { set(fetchTimeout) }
}

func retryAfterOf(err error) (time.Duration, bool) {
	var u *UnavailableError
	if errors.As(err, &u) {
		return u.RetryAfter, true
	}
	return 0, false
}

func refusedCount(v *Verifier) int {
	v.keys.mu.Lock()
	defer v.keys.mu.Unlock()
	return len(v.keys.refused)
}

func refuse(v *Verifier, kid string) {
	v.keys.mu.Lock()
	defer v.keys.mu.Unlock()
	v.keys.refuseLocked(kid)
}

func allowLoopbackHTTP(c *Config) { c.InsecureLoopbackHTTP = true }

func fetchesStarted(v *Verifier) uint64 {
	v.keys.mu.Lock()
	defer v.keys.mu.Unlock()
	return v.keys.started
}
