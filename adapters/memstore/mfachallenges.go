package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/authd-dev/authd/domain"
)

// MFAChallenges implements ports.MFAChallengeRepository on a Store.
type MFAChallenges struct{ s *Store }

// Create inserts c; a challenge of an unknown user is domain.ErrNotFound.
func (r *MFAChallenges) Create(ctx context.Context, c domain.MFAChallenge) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	if _, ok := r.s.users[c.UserID()]; !ok {
		return fmt.Errorf("memstore: create mfa challenge: user %s: %w", c.UserID(), domain.ErrNotFound)
	}
	key := string(c.Hash())
	if _, ok := r.s.challenges[key]; ok {
		return fmt.Errorf("memstore: create mfa challenge: duplicate hash")
	}
	r.s.challenges[key] = domain.RestoreMFAChallenge(c.State()).State()
	return nil
}

// ByHash returns the challenge of hash, or domain.ErrNotFound.
func (r *MFAChallenges) ByHash(ctx context.Context, hash []byte) (domain.MFAChallenge, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.MFAChallenge{}, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.challenges[string(hash)]
	if !ok {
		return domain.MFAChallenge{}, fmt.Errorf("memstore: mfa challenge: %w", domain.ErrNotFound)
	}
	return domain.RestoreMFAChallenge(st), nil
}

// Attempt counts a try on a usable challenge.
func (r *MFAChallenges) Attempt(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.challenges[string(hash)]
	if !ok || !domain.RestoreMFAChallenge(st).Usable(now) {
		return false, nil
	}
	st.Attempts++
	r.s.challenges[string(hash)] = st
	return true, nil
}

// Spend marks an unspent, unexpired challenge used.
func (r *MFAChallenges) Spend(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.challenges[string(hash)]
	if !ok || !st.UsedAt.IsZero() || !now.Before(st.ExpiresAt) {
		return false, nil
	}
	st.UsedAt = domain.Truncate(now)
	r.s.challenges[string(hash)] = st
	return true, nil
}

// Purge deletes at most limit challenges expired before cutoff.
func (r *MFAChallenges) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	n := 0
	for h, st := range r.s.challenges {
		if n >= limit {
			break
		}
		if before(st.ExpiresAt, domain.Truncate(cutoff)) {
			delete(r.s.challenges, h)
			n++
		}
	}
	return n, nil
}
