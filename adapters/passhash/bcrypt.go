// Package passhash hashes passwords with bcrypt on a bounded pool of workers.
package passhash

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/google/wire"
	"golang.org/x/crypto/bcrypt"

	"github.com/authd-dev/authd/domain"
)

// ProviderSet provides the bcrypt hasher.
var ProviderSet = wire.NewSet(New)

// Cost is the bcrypt cost factor (4–31).
type Cost int

// Workers bounds concurrent hashing; 0 means one per core.
type Workers int

// WaitObserver is told how long each hash waited for a worker (for metrics);
// nil observes nothing.
type WaitObserver func(time.Duration)

// Bcrypt hashes at a fixed cost with at most Workers hashes running at once,
// so a flood of logins queues here instead of taking every core.
type Bcrypt struct {
	cost    int
	slots   chan struct{}
	dummy   []byte
	observe WaitObserver
}

// New builds a hasher; it pre-computes the dummy hash used for unknown emails.
func New(cost Cost, workers Workers) (*Bcrypt, error) {
	if int(cost) < bcrypt.MinCost || int(cost) > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost %d outside %d–%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	n := int(workers)
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("authd-dummy-password-for-timing"), int(cost))
	if err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	return &Bcrypt{cost: int(cost), slots: make(chan struct{}, n), dummy: dummy}, nil
}

// ObserveWait registers fn to receive each queue wait.
func (b *Bcrypt) ObserveWait(fn WaitObserver) { b.observe = fn }

// Hash returns the bcrypt hash of plain.
func (b *Bcrypt) Hash(ctx context.Context, plain string) (string, error) {
	if len(plain) > domain.MaxPasswordBytes {
		return "", domain.ErrPasswordTooLong
	}
	release, err := b.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	h, err := bcrypt.GenerateFromPassword([]byte(plain), b.cost)
	if err != nil {
		return "", fmt.Errorf("bcrypt hash: %w", err)
	}
	return string(h), nil
}

// Compare reports whether plain matches hash.
func (b *Bcrypt) Compare(ctx context.Context, hash, plain string) (bool, error) {
	release, err := b.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	err = bcrypt.CompareHashAndPassword([]byte(hash), []byte(plain))
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
	release, err := b.acquire(ctx)
	if err != nil {
		return
	}
	defer release()
	_ = bcrypt.CompareHashAndPassword(b.dummy, []byte(plain))
}

// NeedsRehash reports whether hash was made at a lower cost than configured.
func (b *Bcrypt) NeedsRehash(hash string) bool {
	c, err := bcrypt.Cost([]byte(hash))
	return err == nil && c < b.cost
}

func (b *Bcrypt) acquire(ctx context.Context) (func(), error) {
	start := time.Now()
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if b.observe != nil {
		b.observe(time.Since(start))
	}
	return func() { <-b.slots }, nil
}
