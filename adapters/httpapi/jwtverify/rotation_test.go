package jwtverify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestUnseenKIDTriggersAFetch: a token of a key published after the last
// fetch is accepted at once when a fetch may start.
func TestUnseenKIDTriggersAFetch(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "EdDSA")
	c := &clock{}
	v := newVerifier(t, s, c, func(c *Config) { c.MinRefreshInterval = time.Second })
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, "EdDSA", "k1", k1, goodClaims(), nil)); err != nil {
		t.Fatal(err)
	}
	k2 := s.add(t, "k2", "EdDSA")
	c.advance(time.Second)
	if _, err := v.Verify(ctx, sign(t, "EdDSA", "k2", k2, goodClaims(), nil)); err != nil {
		t.Fatalf("new kid: %v", err)
	}
	if n := s.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2", n)
	}
}

// TestUnseenKIDWithinTheIntervalIsUnavailable: when no fetch may start,
// the token may still be good, so it is not called invalid: the caller is
// told when to retry.
func TestUnseenKIDWithinTheIntervalIsUnavailable(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "EdDSA")
	c := &clock{}
	v := newVerifier(t, s, c) // one-minute interval
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, "EdDSA", "k1", k1, goodClaims(), nil)); err != nil {
		t.Fatal(err)
	}
	k2 := s.add(t, "k2", "EdDSA")
	c.advance(20 * time.Second)
	_, err := v.Verify(ctx, sign(t, "EdDSA", "k2", k2, goodClaims(), nil))
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	if d, ok := retryAfterOf(err); !ok || d != 40*time.Second {
		t.Fatalf("retry after %v, want 40s", d)
	}
}

// TestRotationUnderAFloodOfUnknownKIDs: while a flood of random kids keeps
// the refresh budget spent, the new key's tokens are never refused as
// invalid, and all pass once one refresh interval has gone by.
func TestRotationUnderAFloodOfUnknownKIDs(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "ES256")
	c := &clock{}
	v := newVerifier(t, s, c, func(c *Config) { c.MinRefreshInterval = time.Second })
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, "ES256", "k1", k1, goodClaims(), nil)); err != nil {
		t.Fatal(err)
	}
	stopFlood := floodUnknownKIDs(t, v, "ES256", k1, 4, 50)
	k2 := s.add(t, "k2", "ES256") // authd rotates
	rotated := sign(t, "ES256", "k2", k2, goodClaims(), nil)
	check := func(round int, mustPass bool) {
		for range 50 {
			_, err := v.Verify(ctx, rotated)
			if errors.Is(err, ErrInvalid) || errors.Is(err, ErrExpired) {
				t.Fatalf("round %d: the new key's token was refused: %v", round, err)
			}
			if mustPass && err != nil {
				t.Fatalf("round %d, one interval after rotation: %v", round, err)
			}
		}
	}
	check(0, false)
	c.advance(time.Second) // one interval: the next fetch, whoever starts it, has k2
	check(1, true)
	c.advance(time.Second)
	check(2, true)
	if n := stopFlood(); n != 0 {
		t.Fatalf("%d forged tokens accepted", n)
	}
	if n := s.fetches.Load(); n > 3 {
		t.Fatalf("%d fetches in two intervals, want at most 3", n)
	}
}

// TestRefusedKIDIsRememberedBriefly: a kid a fresh set lacked is refused
// without fetching again for a while, then looked up again.
func TestRefusedKIDIsRememberedBriefly(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "EdDSA")
	c := &clock{}
	v := newVerifier(t, s, c, func(c *Config) { c.MinRefreshInterval = time.Second })
	ctx := context.Background()
	early := sign(t, "EdDSA", "k2", genKey(t, "EdDSA"), goodClaims(), nil)
	if _, err := v.Verify(ctx, early); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a kid the fresh set lacks: %v, want ErrInvalid", err)
	}
	c.advance(5 * time.Second)
	if _, err := v.Verify(ctx, early); !errors.Is(err, ErrInvalid) || s.fetches.Load() != 1 {
		t.Fatalf("remembered kid: %v after %d fetches, want ErrInvalid after 1", err, s.fetches.Load())
	}
	c.advance(refusalMemory)
	v.Verify(ctx, early)
	if n := s.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches once the refusal was forgotten, want 2", n)
	}
	_ = k1
}

// TestRetiredKIDIsRefusedAtOnce: a kid dropped from the set is refused
// without a fetch, as the set it left is fresh.
func TestRetiredKIDIsRefusedAtOnce(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "EdDSA")
	s.add(t, "k2", "EdDSA")
	c := &clock{}
	v := newVerifier(t, s, c)
	ctx := context.Background()
	old := sign(t, "EdDSA", "k1", k1, goodClaims(), nil)
	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatal(err)
	}
	s.remove("k1")
	c.advance(time.Minute)
	if err := v.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, old); !errors.Is(err, ErrInvalid) {
		t.Fatalf("retired kid: %v, want ErrInvalid", err)
	}
}

func TestRefusalMemoryIsBounded(t *testing.T) {
	s := newAuthServer(t)
	v := newVerifier(t, s, &clock{})
	for i := range 3 * maxRefused {
		refuse(v, fmt.Sprint("kid-", i))
	}
	if n := refusedCount(v); n > maxRefused {
		t.Fatalf("%d refused kids remembered, bound %d", n, maxRefused)
	}
}

// TestKeyPublishedBeforeItSignsIsNeverRefused: authd publishes a key at
// least one reload interval before it signs (its activation time); a
// verifier whose set was refreshed in between, here by the cache lifetime
// running out, accepts the new key's tokens from their first one, with no
// refusal of any kind (neither invalid nor unavailable), while a flood of
// unknown kids keeps the refetch budget spent.
func TestKeyPublishedBeforeItSignsIsNeverRefused(t *testing.T) {
	s := newAuthServer(t)
	k1 := s.add(t, "k1", "EdDSA")
	c := &clock{}
	v := newVerifier(t, s, c, func(c *Config) { c.MinRefreshInterval = time.Second })
	ctx := context.Background()
	old := sign(t, "EdDSA", "k1", k1, goodClaims(), nil)
	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatal(err)
	}
	stopFlood := floodUnknownKIDs(t, v, "EdDSA", k1, 2, 64)
	defer stopFlood()

	k2 := s.add(t, "k2", "EdDSA") // published at its reload, not signing yet
	c.advance(10*time.Minute + time.Second)
	if _, err := v.Verify(ctx, old); err != nil { // the stale set serves and the refetch starts
		t.Fatalf("old key while the set refreshes: %v", err)
	}
	if err := v.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	current := sign(t, "EdDSA", "k2", k2, goodClaims(), nil) // the activation time has come
	for i := range 200 {
		if _, err := v.Verify(ctx, current); err != nil {
			t.Fatalf("token %d of the activated key refused: %v", i, err)
		}
	}
	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatalf("old key after the activation: %v", err)
	}
}

// floodUnknownKIDs starts workers goroutines verifying, in a loop, perWorker
// tokens signed with key under random kids the server never published. The
// func it returns stops them and reports how many forged tokens passed.
func floodUnknownKIDs(t *testing.T, v *Verifier, alg string, key any, workers, perWorker int) func() int32 {
	t.Helper()
	stop := make(chan struct{})
	var flood sync.WaitGroup
	var accepted atomic.Int32
	for w := range workers {
		forged := make([]string, perWorker)
		for i := range forged {
			forged[i] = sign(t, alg, fmt.Sprintf("rnd-%d-%d", w, i), key, goodClaims(), nil)
		}
		flood.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := v.Verify(context.Background(), forged[i%len(forged)]); err == nil {
					accepted.Add(1)
				}
			}
		})
	}
	return func() int32 {
		close(stop)
		flood.Wait()
		return accepted.Load()
	}
}
