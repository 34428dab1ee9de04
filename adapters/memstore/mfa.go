package memstore

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/authd-dev/authd/domain"
)

// mfa is the Store's share for second factors: enrolments and recovery
// codes by user id, challenges by string(hash).
type mfa struct {
	enrolments map[string]domain.MFAState
	recovery   map[string][]recoveryCode
	challenges map[string]domain.MFAChallengeState
}

type recoveryCode struct {
	digest []byte
	usedAt time.Time
}

func newMFA() mfa {
	return mfa{
		enrolments: make(map[string]domain.MFAState),
		recovery:   make(map[string][]recoveryCode),
		challenges: make(map[string]domain.MFAChallengeState),
	}
}

// forgetMFA drops everything of userID's second factor, as the SQL
// foreign keys' ON DELETE CASCADE does. The caller holds the lock.
func (s *Store) forgetMFA(userID string) {
	delete(s.enrolments, userID)
	delete(s.recovery, userID)
	for h, c := range s.challenges {
		if c.UserID == userID {
			delete(s.challenges, h)
		}
	}
}

// MFA implements ports.MFARepository on a Store.
type MFA struct{ s *Store }

// ByUser returns userID's enrolment, or domain.ErrNotFound.
func (r *MFA) ByUser(ctx context.Context, userID string) (domain.MFA, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.MFA{}, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.enrolments[userID]
	if !ok {
		return domain.MFA{}, fmt.Errorf("memstore: mfa of %s: %w", userID, domain.ErrNotFound)
	}
	return domain.RestoreMFA(st), nil
}

// UserWithMFA returns the user with id and its MFA state under one lock.
func (r *MFA) UserWithMFA(ctx context.Context, id string) (domain.User, bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.User{}, false, err
	}
	defer r.s.mu.Unlock()
	u, ok := r.s.users[id]
	if !ok {
		return domain.User{}, false, fmt.Errorf("memstore: user with mfa %s: %w", id, domain.ErrNotFound)
	}
	st, ok := r.s.enrolments[id]
	return u, ok && !st.EnabledAt.IsZero(), nil
}

// SavePending stores m unless an enabled enrolment exists.
func (r *MFA) SavePending(ctx context.Context, m domain.MFA) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	if _, ok := r.s.users[m.UserID()]; !ok {
		return fmt.Errorf("memstore: save pending mfa: user %s: %w", m.UserID(), domain.ErrNotFound)
	}
	if old, ok := r.s.enrolments[m.UserID()]; ok && !old.EnabledAt.IsZero() {
		return fmt.Errorf("memstore: save pending mfa: %w", domain.ErrMFAAlreadyEnabled)
	}
	r.s.enrolments[m.UserID()] = domain.RestoreMFA(m.State()).State()
	delete(r.s.recovery, m.UserID())
	return nil
}

// Enable switches the pending enrolment on and stores codes, if the
// stored enrolment is still that pending one.
func (r *MFA) Enable(ctx context.Context, on domain.MFA, codes [][]byte) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.enrolments[on.UserID()]
	if !ok || !st.EnabledAt.IsZero() || !bytes.Equal(st.Secret, on.Secret()) {
		return false, nil
	}
	next := domain.RestoreMFA(on.State()).State()
	st.EnabledAt, st.LastStep, st.UpdatedAt = next.EnabledAt, next.LastStep, next.UpdatedAt
	r.s.enrolments[on.UserID()] = st
	r.s.recovery[on.UserID()] = newCodes(codes)
	return true, nil
}

// AcceptStep raises the last accepted step of an enabled enrolment.
func (r *MFA) AcceptStep(ctx context.Context, userID string, step uint64, now time.Time) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.enrolments[userID]
	if !ok || st.EnabledAt.IsZero() || st.LastStep >= step {
		return false, nil
	}
	st.LastStep, st.UpdatedAt = step, domain.Truncate(now)
	r.s.enrolments[userID] = st
	return true, nil
}

// Reseal swaps the sealed secret if it is still old.
func (r *MFA) Reseal(ctx context.Context, userID string, old, new []byte, now time.Time) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.enrolments[userID]
	if !ok || !bytes.Equal(st.Secret, old) {
		return false, nil
	}
	st.Secret, st.UpdatedAt = bytes.Clone(new), domain.Truncate(now)
	r.s.enrolments[userID] = st
	return true, nil
}

// SpendRecoveryCode marks one unused code among digests as used.
func (r *MFA) SpendRecoveryCode(ctx context.Context, userID string, digests [][]byte, now time.Time) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	if st, ok := r.s.enrolments[userID]; !ok || st.EnabledAt.IsZero() {
		return false, nil
	}
	codes := r.s.recovery[userID]
	for i, c := range codes {
		if c.usedAt.IsZero() && containsDigest(digests, c.digest) {
			codes[i].usedAt = domain.Truncate(now)
			return true, nil
		}
	}
	return false, nil
}

// ReplaceRecoveryCodes swaps every code of an enabled enrolment.
func (r *MFA) ReplaceRecoveryCodes(ctx context.Context, userID string, codes [][]byte, _ time.Time) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	if st, ok := r.s.enrolments[userID]; !ok || st.EnabledAt.IsZero() {
		return fmt.Errorf("memstore: replace recovery codes: %w", domain.ErrMFANotEnabled)
	}
	r.s.recovery[userID] = newCodes(codes)
	return nil
}

// RecoveryCodesLeft counts userID's unused codes.
func (r *MFA) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	n := 0
	for _, c := range r.s.recovery[userID] {
		if c.usedAt.IsZero() {
			n++
		}
	}
	return n, nil
}

// Delete removes userID's enrolment and codes.
func (r *MFA) Delete(ctx context.Context, userID string) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	_, ok := r.s.enrolments[userID]
	delete(r.s.enrolments, userID)
	delete(r.s.recovery, userID)
	return ok, nil
}

// Reset removes userID's enrolment and codes and ends its sessions.
func (r *MFA) Reset(ctx context.Context, userID string, now time.Time, reason string) (bool, int, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, 0, err
	}
	defer r.s.mu.Unlock()
	_, removed := r.s.enrolments[userID]
	delete(r.s.enrolments, userID)
	delete(r.s.recovery, userID)
	ended := 0
	for id, st := range r.s.sessions {
		if st.UserID == userID && st.RevokedAt.IsZero() {
			st.RevokedAt, st.RevokeReason = domain.Truncate(now), reason
			r.s.sessions[id] = st
			ended++
		}
	}
	return removed, ended, nil
}

func newCodes(digests [][]byte) []recoveryCode {
	out := make([]recoveryCode, len(digests))
	for i, d := range digests {
		out[i] = recoveryCode{digest: bytes.Clone(d)}
	}
	return out
}

func containsDigest(digests [][]byte, d []byte) bool {
	for _, x := range digests {
		if bytes.Equal(x, d) {
			return true
		}
	}
	return false
}
