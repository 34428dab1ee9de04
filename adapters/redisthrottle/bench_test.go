package redisthrottle

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// BenchmarkLoginAttempt is one failed login's throttle work against a real
// Redis: Check and Fail on the three counters of a login without a device
// token, each attempt on its own keys.
func BenchmarkLoginAttempt(b *testing.B) {
	url := backends.RedisURL(b)
	s, err := Open(Config{URL: url, Prefix: backends.RedisPrefix(b, url), NameKey: []byte("0123456789abcdef")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	f := s.Failures(&recorder{})
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := strconv.FormatInt(n.Add(1), 10)
			cs := []domain.FailureCounter{
				{Key: "pair:" + id, Limit: 10, Window: 15 * time.Minute},
				{Key: "account:" + id, Limit: 100, Window: 15 * time.Minute},
				{Key: "address:" + id, Limit: 50, Window: 15 * time.Minute},
			}
			if err := f.Check(ctx, cs, t0); err != nil {
				b.Fatal(err)
			}
			f.Fail(ctx, cs, t0)
		}
	})
}

// BenchmarkAllow is one metered request against a real Redis.
func BenchmarkAllow(b *testing.B) {
	url := backends.RedisURL(b)
	s, err := Open(Config{URL: url, Prefix: backends.RedisPrefix(b, url), NameKey: []byte("0123456789abcdef")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	l := s.Buckets(1_000_000, &recorder{})
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := l.Allow(ctx, strconv.FormatInt(n.Add(1)%1000, 10), t0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
