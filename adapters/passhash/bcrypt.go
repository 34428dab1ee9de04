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

// Bcrypt hashes at a fixed cost on a pool of at most Workers low-priority
// threads (see pool), so a flood of logins queues here instead of taking
// the CPU from requests that need no hashing.
type Bcrypt struct {
	cost  int
	pool  *pool
	dummy []byte
}

// New builds a hasher; it pre-computes the dummy hash used for unknown emails.
func New(cost Cost, workers Workers) (*Bcrypt, error) {
	if int(cost) < bcrypt.MinCost || int(cost) > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost %d outside %d–%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("authd-dummy-password-for-timing"), int(cost))
	if err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	return &Bcrypt{cost: int(cost), pool: newPool(int(workers)), dummy: dummy}, nil
}

// ObserveWait registers fn to receive each queue wait (from enqueue until a
// worker picks the job up). Call it before the hasher is used.
func (b *Bcrypt) ObserveWait(fn WaitObserver) { b.pool.observe = fn }

// Hash returns the bcrypt hash of plain.
func (b *Bcrypt) Hash(ctx context.Context, plain string) (string, error) {
	if len(plain) > domain.MaxPasswordBytes {
		return "", domain.ErrPasswordTooLong
	}
	var h []byte
	var err error
	if perr := b.pool.do(ctx, func() { h, err = bcrypt.GenerateFromPassword([]byte(plain), b.cost) }); perr != nil {
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
	if perr := b.pool.do(ctx, func() { err = bcrypt.CompareHashAndPassword([]byte(hash), []byte(plain)) }); perr != nil {
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

// DummyCompare spends the same work as a failing Compare at the configured cost.
func (b *Bcrypt) DummyCompare(ctx context.Context, plain string) {
	_ = b.pool.do(ctx, func() { _ = bcrypt.CompareHashAndPassword(b.dummy, []byte(plain)) })
}

// NeedsRehash reports whether hash was made at a lower cost than configured.
func (b *Bcrypt) NeedsRehash(hash string) bool {
	c, err := bcrypt.Cost([]byte(hash))
	return err == nil && c < b.cost
}
