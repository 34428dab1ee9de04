package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/authd-dev/authd/domain"
)

// Tokens implements ports.OneTimeTokenRepository on a Store.
type Tokens struct{ s *Store }

// Create inserts t; a token of an unknown user is domain.ErrNotFound.
func (r *Tokens) Create(ctx context.Context, t domain.OneTimeToken) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	return r.s.insertToken(t)
}

// Replace voids the user's unused tokens of t's purpose and inserts t.
func (r *Tokens) Replace(ctx context.Context, t domain.OneTimeToken) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	if _, ok := r.s.users[t.UserID()]; !ok {
		return fmt.Errorf("memstore: replace token: user %s: %w", t.UserID(), domain.ErrNotFound)
	}
	r.s.voidTokens(t.UserID(), t.Purpose(), t.CreatedAt())
	return r.s.insertToken(t)
}

// ByHash returns the token with hash, or domain.ErrNotFound.
func (r *Tokens) ByHash(ctx context.Context, hash []byte) (domain.OneTimeToken, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.OneTimeToken{}, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.tokens[string(hash)]
	if !ok {
		return domain.OneTimeToken{}, fmt.Errorf("memstore: token by hash: %w", domain.ErrNotFound)
	}
	return domain.RestoreOneTimeToken(st), nil
}

// SpendVerification spends t and marks its user's email verified.
func (r *Tokens) SpendVerification(ctx context.Context, t domain.OneTimeToken, now time.Time) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	u, ok := r.s.spend(t, domain.PurposeVerifyEmail, now)
	if !ok {
		return false, nil
	}
	r.s.users[u.ID()] = u.WithEmailVerified(true, now)
	r.s.voidTokens(u.ID(), domain.PurposeVerifyEmail, now)
	return true, nil
}

// SpendReset spends t, sets the password, verifies the email and ends
// every session of the user, all under one lock.
func (r *Tokens) SpendReset(ctx context.Context, t domain.OneTimeToken, passwordHash string, now time.Time) (int, bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, false, err
	}
	defer r.s.mu.Unlock()
	u, ok := r.s.spend(t, domain.PurposeResetPassword, now)
	if !ok {
		return 0, false, nil
	}
	r.s.users[u.ID()] = u.WithPasswordHash(passwordHash, now).WithEmailVerified(true, now)
	r.s.voidTokens(u.ID(), domain.PurposeResetPassword, now)
	ended := 0
	for id, st := range r.s.sessions {
		if st.UserID == u.ID() && st.RevokedAt.IsZero() {
			st.RevokedAt, st.RevokeReason = domain.Truncate(now), domain.RevokePasswordReset
			r.s.sessions[id] = st
			ended++
		}
	}
	return ended, true, nil
}

// Void marks userID's unused tokens of purpose used at now.
func (r *Tokens) Void(ctx context.Context, userID string, purpose domain.TokenPurpose, now time.Time) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	return r.s.voidTokens(userID, purpose, now), nil
}

// Purge deletes at most limit tokens used or expired before cutoff.
func (r *Tokens) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	cutoff = domain.Truncate(cutoff)
	n := 0
	for h, st := range r.s.tokens {
		if n >= limit {
			break
		}
		if before(st.UsedAt, cutoff) || before(st.ExpiresAt, cutoff) {
			delete(r.s.tokens, h)
			n++
		}
	}
	return n, nil
}

// insertToken stores t; the caller holds the lock.
func (s *Store) insertToken(t domain.OneTimeToken) error {
	if _, ok := s.users[t.UserID()]; !ok {
		return fmt.Errorf("memstore: create token: user %s: %w", t.UserID(), domain.ErrNotFound)
	}
	key := string(t.Hash())
	if _, ok := s.tokens[key]; ok {
		return fmt.Errorf("memstore: create token: duplicate hash")
	}
	s.tokens[key] = domain.RestoreOneTimeToken(t.State()).State()
	return nil
}

// spend is the conditional UPDATE: it marks the stored token used if it is
// still an unused, unexpired token of purpose for t's user, and returns
// that user. The caller holds the lock.
func (s *Store) spend(t domain.OneTimeToken, purpose domain.TokenPurpose, now time.Time) (domain.User, bool) {
	key := string(t.Hash())
	st, ok := s.tokens[key]
	if !ok || st.UserID != t.UserID() || !domain.RestoreOneTimeToken(st).SpendableFor(purpose, now) {
		return domain.User{}, false
	}
	u, ok := s.users[st.UserID]
	if !ok {
		return domain.User{}, false
	}
	st.UsedAt = domain.Truncate(now)
	s.tokens[key] = st
	return u, true
}

// voidTokens marks userID's unused tokens of purpose used at now and
// returns how many; the caller holds the lock.
func (s *Store) voidTokens(userID string, purpose domain.TokenPurpose, now time.Time) int {
	n := 0
	for h, st := range s.tokens {
		if st.UserID == userID && st.Purpose == purpose && st.UsedAt.IsZero() {
			st.UsedAt = domain.Truncate(now)
			s.tokens[h] = st
			n++
		}
	}
	return n
}
