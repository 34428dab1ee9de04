package redisthrottle

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

var (
	ctx = context.Background()
	t0  = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
)

func open(t *testing.T, url, prefix string, onError func(), log *slog.Logger) *Store {
	t.Helper()
	s, err := Open(Config{URL: url, Prefix: prefix, NameKey: []byte("0123456789abcdef0123456789abcdef"), OnError: onError, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Key names reveal neither emails nor addresses, start with the prefix and
// expire with their window (buckets: with a full refill).
func TestKeysAreOpaqueAndExpire(t *testing.T) {
	url := backends.RedisURL(t)
	prefix := backends.RedisPrefix(t, url)
	s := open(t, url, prefix, func() { t.Error("a call to Redis failed") }, nil)
	counter := []domain.FailureCounter{{Key: "login:pair:9:192.0.2.7|victim@example.com", Limit: 3, Window: 15 * time.Minute}}
	f := s.Failures(&recorder{})
	if err := f.Check(ctx, counter, t0); err != nil {
		t.Fatal(err)
	}
	f.Fail(ctx, counter, t0)
	if err := s.Buckets(60, &recorder{}).Allow(ctx, "192.0.2.7", t0); err != nil {
		t.Fatal(err)
	}
	keys, err := s.rdb.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) != 2 {
		t.Fatalf("keys %q, %v; want two", keys, err)
	}
	for _, k := range keys {
		if strings.Contains(k, "victim") || strings.Contains(k, "192.0.2") || strings.Contains(k, "example") {
			t.Errorf("key name %q holds the counter's key", k)
		}
		ttl := s.rdb.PTTL(ctx, k).Val()
		if ttl <= 0 || ttl > 15*time.Minute {
			t.Errorf("%s expires in %v, want within its window", k, ttl)
		}
	}
}

// With Redis unreachable every call goes to the fallback, each error is
// counted, and the log says so once, not once per call.
func TestUnreachableRedisFallsBackCountsAndLogsOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now: connections are refused
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs}, nil))
	errorsSeen := 0
	s := open(t, "redis://:topsecret@"+addr+"/0", "authd:", func() { errorsSeen++ }, log)
	fb := &recorder{refuse: true}
	f, b := s.Failures(fb), s.Buckets(10, fb)
	cs := []domain.FailureCounter{{Key: "k", Limit: 1, Window: time.Minute}}
	for range 5 {
		var rl *domain.RateLimitedError
		if err := f.Check(ctx, cs, t0); !errors.As(err, &rl) {
			t.Fatalf("Check = %v, want the fallback's refusal", err)
		}
		f.Fail(ctx, cs, t0)
		f.Release(ctx, cs, t0)
		f.Reset(ctx, cs)
		if err := b.Allow(ctx, "ip", t0); !errors.As(err, &rl) {
			t.Fatalf("Allow = %v, want the fallback's refusal", err)
		}
	}
	if fb.checks != 5 || fb.fails != 5 || fb.allows != 5 {
		t.Fatalf("fallback saw %d checks, %d fails, %d allows; want 5 each", fb.checks, fb.fails, fb.allows)
	}
	if errorsSeen != 25 {
		t.Fatalf("%d errors counted, want 25 (every call)", errorsSeen)
	}
	if n := strings.Count(logs.String(), "does not answer"); n != 1 {
		t.Fatalf("%d warnings, want 1 per LogInterval:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "topsecret") {
		t.Fatal("the log holds the password")
	}
}

// A call cancelled by its own caller is not an outage.
func TestCancelledCallIsNoOutage(t *testing.T) {
	url := backends.RedisURL(t)
	errorsSeen := 0
	s := open(t, url, backends.RedisPrefix(t, url), func() { errorsSeen++ }, nil)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	fb := &recorder{}
	if err := s.Buckets(10, fb).Allow(cancelled, "ip", t0); err != nil {
		t.Fatal(err)
	}
	if errorsSeen != 0 || fb.allows != 1 {
		t.Fatalf("errors %d, fallback allows %d; want 0 and 1", errorsSeen, fb.allows)
	}
}

// recorder is a fallback that counts its calls and refuses when asked.
type recorder struct {
	mu                    sync.Mutex
	refuse                bool
	checks, fails, allows int
	releases, resets      int
}

func (r *recorder) answer() error {
	if r.refuse {
		return &domain.RateLimitedError{RetryAfter: time.Second}
	}
	return nil
}

func (r *recorder) Check(context.Context, []domain.FailureCounter, time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks++
	return r.answer()
}

func (r *recorder) Fail(context.Context, []domain.FailureCounter, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails++
}

func (r *recorder) Release(context.Context, []domain.FailureCounter, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.releases++
}

func (r *recorder) Reset(context.Context, []domain.FailureCounter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resets++
}

func (r *recorder) Allow(context.Context, string, time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.allows++
	return r.answer()
}

type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
