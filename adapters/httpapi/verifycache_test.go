package httpapi

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// fakeVerifier accepts tokens listed in ok, with the given claims, and
// counts how often it was asked. It applies the same time rules as the jwt
// adapter, so the cache's answers can be compared with it.
type fakeVerifier struct {
	skew  time.Duration
	ok    map[string]domain.AccessClaims
	calls atomic.Int64
}

func (f *fakeVerifier) Verify(token string, now time.Time) (domain.AccessClaims, error) {
	f.calls.Add(1)
	c, ok := f.ok[token]
	switch {
	case !ok:
		return domain.AccessClaims{}, domain.ErrTokenInvalid
	case !now.Before(c.ExpiresAt.Add(f.skew)):
		return domain.AccessClaims{}, domain.ErrTokenExpired
	}
	return c, nil
}

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func claimsFor(sub string) domain.AccessClaims {
	return domain.AccessClaims{Subject: sub, Role: domain.RoleUser, SessionID: "s-" + sub, ID: "j-" + sub,
		IssuedAt: t0, ExpiresAt: t0.Add(15 * time.Minute)}
}

// TestVerifyCacheHitSkipsInner, for a short token and for one longer than
// the digest's stack buffer; a token differing in its last byte is a miss.
func TestVerifyCacheHitSkipsInner(t *testing.T) {
	long := strings.Repeat("x", 2000)
	f := &fakeVerifier{ok: map[string]domain.AccessClaims{"tok.ab": claimsFor("u1"), long: claimsFor("u2")}}
	c := NewVerifyCache(f, 0, 16)
	for range 5 {
		for tok, sub := range map[string]string{"tok.ab": "u1", long: "u2"} {
			got, err := c.Verify(tok, t0.Add(time.Minute))
			if err != nil || got.Subject != sub {
				t.Fatalf("Verify = %+v, %v", got, err)
			}
		}
	}
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("inner called %d times, want 2", n)
	}
	if _, err := c.Verify(long[:len(long)-1]+"y", t0.Add(time.Minute)); err == nil {
		t.Fatal("a different long token was served from the cache")
	}
}

// TestVerifyCacheRechecksExpiry: a cached token is refused once past exp
// plus the skew, exactly when the inner verifier would refuse it.
func TestVerifyCacheRechecksExpiry(t *testing.T) {
	skew := 30 * time.Second
	f := &fakeVerifier{skew: skew, ok: map[string]domain.AccessClaims{"tok.ab": claimsFor("u1")}}
	c := NewVerifyCache(f, skew, 16)
	exp := claimsFor("u1").ExpiresAt
	if _, err := c.Verify("tok.ab", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify("tok.ab", exp.Add(skew-time.Nanosecond)); err != nil {
		t.Fatalf("within skew: %v", err)
	}
	if _, err := c.Verify("tok.ab", exp.Add(skew)); !errors.Is(err, domain.ErrTokenExpired) {
		t.Fatalf("at exp+skew: err %v, want ErrTokenExpired", err)
	}
	// Still refused afterwards: the failure was not cached as success, and
	// the earlier success does not resurrect it.
	if _, err := c.Verify("tok.ab", exp.Add(time.Hour)); !errors.Is(err, domain.ErrTokenExpired) {
		t.Fatalf("after exp: err %v", err)
	}
}

// TestVerifyCacheRechecksIssuedAt: a clock that moves back before iat-skew
// is not answered from the cache.
func TestVerifyCacheRechecksIssuedAt(t *testing.T) {
	f := &fakeVerifier{ok: map[string]domain.AccessClaims{"tok.ab": claimsFor("u1")}}
	c := NewVerifyCache(f, time.Second, 16)
	_, _ = c.Verify("tok.ab", t0)
	_, _ = c.Verify("tok.ab", t0.Add(-2*time.Second))
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("inner called %d times, want 2 (iat re-checked)", n)
	}
}

func TestVerifyCacheNeverCachesFailures(t *testing.T) {
	f := &fakeVerifier{ok: map[string]domain.AccessClaims{}}
	c := NewVerifyCache(f, 0, 16)
	for range 3 {
		if _, err := c.Verify("forged.xy", t0); !errors.Is(err, domain.ErrTokenInvalid) {
			t.Fatalf("err %v", err)
		}
	}
	if f.calls.Load() != 3 || c.Len() != 0 {
		t.Fatalf("calls %d, cached %d: failures must not be cached", f.calls.Load(), c.Len())
	}
}

func TestVerifyCacheBoundedSize(t *testing.T) {
	f := &fakeVerifier{ok: map[string]domain.AccessClaims{}}
	for i := range 5000 {
		f.ok[fmt.Sprintf("tok.%06d", i)] = claimsFor(fmt.Sprint(i))
	}
	c := NewVerifyCache(f, 0, 256)
	for tok := range f.ok {
		if _, err := c.Verify(tok, t0); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.Len(); n > 256 || n == 0 {
		t.Fatalf("cache holds %d tokens, want 1..256", n)
	}
}

// TestVerifyCacheConcurrent runs hits, misses and evictions at once; run
// with -race. Every answer must match the inner verifier's.
func TestVerifyCacheConcurrent(t *testing.T) {
	f := &fakeVerifier{ok: map[string]domain.AccessClaims{}}
	for i := range 300 {
		f.ok[fmt.Sprintf("tok.%04d", i)] = claimsFor(fmt.Sprint(i))
	}
	c := NewVerifyCache(f, 0, 64)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := (i*7 + w) % 320 // some unknown tokens too
				tok := fmt.Sprintf("tok.%04d", k)
				got, err := c.Verify(tok, t0.Add(time.Minute))
				want, werr := f.ok[tok]
				if !werr {
					if err == nil {
						t.Errorf("%s accepted", tok)
					}
					continue
				}
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %+v, %v", tok, got, err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestCachedVerifierWrapsOnce(t *testing.T) {
	v := CachedVerifier(&rekeyingVerifier{})
	if _, ok := v.(*VerifyCache); !ok {
		t.Fatal("a verifier with KeyGeneration was not cached")
	}
	if CachedVerifier(v) != v {
		t.Fatal("a VerifyCache was wrapped again")
	}
}

// rotatingVerifier is a fakeVerifier whose keys can be withdrawn.
type rotatingVerifier struct {
	*fakeVerifier
	gen atomic.Uint64
}

func (r *rotatingVerifier) KeyGeneration() uint64 { return r.gen.Load() }

// TestVerifyCacheForgetsWithdrawnKeys: once the inner verifier's key
// generation moves on (a key was removed), a cached success is re-verified
// and refused, as the inner verifier now refuses it.
func TestVerifyCacheForgetsWithdrawnKeys(t *testing.T) {
	r := &rotatingVerifier{fakeVerifier: &fakeVerifier{ok: map[string]domain.AccessClaims{
		"old.key": claimsFor("u1"), "new.key": claimsFor("u2"),
	}}}
	c := CachedVerifier(r)
	for _, tok := range []string{"old.key", "new.key", "old.key", "new.key"} {
		if _, err := c.Verify(tok, t0); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.calls.Load(); n != 2 {
		t.Fatalf("inner called %d times before the change, want 2", n)
	}
	delete(r.ok, "old.key")
	r.gen.Add(1)
	if _, err := c.Verify("old.key", t0); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("token of a withdrawn key served from the cache: %v", err)
	}
	if _, err := c.Verify("new.key", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify("new.key", t0); err != nil {
		t.Fatal(err)
	}
	if n := r.calls.Load(); n != 4 {
		t.Fatalf("inner called %d times, want 4 (each token re-verified once)", n)
	}
}
