package passhash

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/wire"
	"golang.org/x/crypto/bcrypt"

	"github.com/authd-dev/authd/domain"
)

// ProviderSet provides the bcrypt hasher.
var ProviderSet = wire.NewSet(New)

// Cost is the bcrypt cost factor (4–31).
type Cost int

// Workers bounds concurrent hashing; 0 means one per core (runtime.NumCPU).
type Workers int

// WaitObserver is told how long each hash waited for a worker (for metrics);
// nil observes nothing.
type WaitObserver func(time.Duration)

// Bcrypt hashes at a fixed cost on a Pool of low-priority threads, so a
// flood of logins queues there instead of taking the CPU from requests
// that need no hashing. Every method but NeedsRehash fails as Pool.Do
// does (domain.ErrBusy, ctx.Err()) without having hashed.
type Bcrypt struct {
	cost  int
	pool  *Pool
	dummy []byte
}

// New builds a hasher on a pool of its own with the default Queue.
func New(cost Cost, workers Workers) (*Bcrypt, error) {
	return NewOnPool(cost, NewPool(workers, Queue{}))
}

// NewOnPool builds a hasher whose work runs on pool; it pre-computes the
// dummy hash used for unknown emails.
func NewOnPool(cost Cost, pool *Pool) (*Bcrypt, error) {
	if int(cost) < bcrypt.MinCost || int(cost) > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost %d outside %d–%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("authd-dummy-password-for-timing"), int(cost))
	if err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	return &Bcrypt{cost: int(cost), pool: pool, dummy: dummy}, nil
}

// ObserveWait registers fn to receive each queue wait of the hasher's
// pool (see Pool.ObserveWait). Call it before the hasher is used.
func (b *Bcrypt) ObserveWait(fn WaitObserver) { b.pool.ObserveWait(fn) }

// Hash returns the bcrypt hash of plain.
func (b *Bcrypt) Hash(ctx context.Context, plain string) (string, error) {
	if len(plain) > domain.MaxPasswordBytes {
		return "", domain.ErrPasswordTooLong
	}
	var h []byte
	var err error
	if perr := b.pool.Do(ctx, func() { h, err = bcrypt.GenerateFromPassword([]byte(plain), b.cost) }); perr != nil {
		return "", perr
	}
	if err != nil {
		return "", fmt.Errorf("bcrypt hash: %w", err)
	}
	return string(h), nil
}

// Compare reports whether plain matches hash.
func (b *Bcrypt) Compare(ctx context.Context, hash, plain string) (bool, error) {
	var err error
	if perr := b.pool.Do(ctx, func() { err = bcrypt.CompareHashAndPassword([]byte(hash), []byte(plain)) }); perr != nil {
		return false, perr
	}
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, fmt.Errorf("%w: %w", domain.ErrInvalidPasswordHash, err)
	}
}

// DummyCompare spends the same work as a failing Compare at the configured
// cost; it fails only when the pool refuses the work.
func (b *Bcrypt) DummyCompare(ctx context.Context, plain string) error {
	return b.pool.Do(ctx, func() { _ = bcrypt.CompareHashAndPassword(b.dummy, []byte(plain)) })
}

// NeedsRehash reports whether hash was made at a lower cost than configured.
func (b *Bcrypt) NeedsRehash(hash string) bool {
	c, err := bcrypt.Cost([]byte(hash))
	return err == nil && c < b.cost
}
