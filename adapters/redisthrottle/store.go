package redisthrottle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix starts every key authd writes.
const DefaultPrefix = "authd:"

// Config says where Redis is and how to name and report.
type Config struct {
	// URL is redis://[user:pass@]host:port/db or rediss://… (see ParseURL).
	URL string
	// Prefix starts every key name; DefaultPrefix when empty. Deployments
	// (or tests) sharing one Redis database keep apart by prefix.
	Prefix string
	// NameKey is the HMAC key of key names, at least 16 bytes; replicas
	// must share it, or they count under different names.
	NameKey []byte
	// OnError counts one call Redis did not answer (a metric); may be nil.
	OnError func()
	// Log receives the outage warnings; may be nil.
	Log *slog.Logger
}

// Store is a Redis connection pool with the naming of keys and the report
// of outages that both throttles share.
type Store struct {
	rdb    *redis.Client
	names  names
	outage *outage
}

// minNameKey is the shortest HMAC key of key names accepted.
const minNameKey = 16

// Open builds the store without touching the network: a Redis that is down
// at start-up is an outage like any other. Close it when done.
func Open(cfg Config) (*Store, error) {
	opt, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if len(cfg.NameKey) < minNameKey {
		return nil, errors.New("redisthrottle: a key of at least 16 bytes is required to name keys")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	if cfg.OnError == nil {
		cfg.OnError = func() {}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Store{
		rdb:    redis.NewClient(opt),
		names:  names{prefix: cfg.Prefix, secret: append([]byte(nil), cfg.NameKey...)},
		outage: &outage{onError: cfg.OnError, log: cfg.Log},
	}, nil
}

// Ping reports whether Redis answers; a failure is reported as an outage.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		s.outage.failed(ctx, "ping", err)
		return fmt.Errorf("redis ping: %w", err)
	}
	s.outage.answered()
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.rdb.Close() }

// run runs one call of op against Redis and reports its outcome.
func (s *Store) run(ctx context.Context, op string, call func() error) error {
	if err := call(); err != nil {
		s.outage.failed(ctx, op, err)
		return err
	}
	s.outage.answered()
	return nil
}
