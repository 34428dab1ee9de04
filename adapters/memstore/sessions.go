package memstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/authd-dev/authd/domain"
)

// Sessions implements ports.SessionRepository on a Store.
type Sessions struct{ s *Store }

// Create inserts s. Like the SQL foreign key, a session of an unknown user
// is domain.ErrNotFound.
func (r *Sessions) Create(ctx context.Context, s domain.Session) error {
	if err := r.s.lock(ctx); err != nil {
		return err
	}
	defer r.s.mu.Unlock()
	if _, ok := r.s.users[s.UserID()]; !ok {
		return fmt.Errorf("memstore: create session: user %s: %w", s.UserID(), domain.ErrNotFound)
	}
	if _, ok := r.s.sessions[s.ID()]; ok {
		return fmt.Errorf("memstore: create session: duplicate id %s", s.ID())
	}
	r.s.sessions[s.ID()] = domain.RestoreSession(s.State()).State() // truncated, own salt copy
	return nil
}

// ByID returns the session with id, or domain.ErrNotFound.
func (r *Sessions) ByID(ctx context.Context, id string) (domain.Session, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.Session{}, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.sessions[id]
	if !ok {
		return domain.Session{}, fmt.Errorf("memstore: session %s: %w", id, domain.ErrNotFound)
	}
	return domain.RestoreSession(st), nil
}

// ByIDWithUser returns the session with id and its user under one lock.
func (r *Sessions) ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error) {
	if err := r.s.lock(ctx); err != nil {
		return domain.Session{}, domain.User{}, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.sessions[id]
	if !ok {
		return domain.Session{}, domain.User{}, fmt.Errorf("memstore: session with user by id: %w", domain.ErrNotFound)
	}
	u, ok := r.s.users[st.UserID]
	if !ok {
		return domain.Session{}, domain.User{}, fmt.Errorf("memstore: session with user by id: %w", domain.ErrNotFound)
	}
	return domain.RestoreSession(st), u, nil
}

// ListLive returns userID's live sessions at now, newest first.
func (r *Sessions) ListLive(ctx context.Context, userID string, now time.Time) ([]domain.Session, error) {
	if err := r.s.lock(ctx); err != nil {
		return nil, err
	}
	defer r.s.mu.Unlock()
	var out []domain.Session
	for _, st := range r.s.sessions {
		if s := domain.RestoreSession(st); st.UserID == userID && s.Live(now) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { // created_at DESC, id DESC as in SQL
		if !out[i].CreatedAt().Equal(out[j].CreatedAt()) {
			return out[i].CreatedAt().After(out[j].CreatedAt())
		}
		return out[i].ID() > out[j].ID()
	})
	return out, nil
}

// Rotate stores next if the row is live at generation next.Generation()-1.
func (r *Sessions) Rotate(ctx context.Context, next domain.Session, now time.Time) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.sessions[next.ID()]
	if !ok || next.Generation() < 2 || st.Generation != next.Generation()-1 || !domain.RestoreSession(st).Live(now) {
		return false, nil
	}
	// Only the columns the SQL UPDATE sets change.
	n := domain.RestoreSession(next.State()).State()
	st.Generation, st.RotatedAt, st.LastUsedAt, st.ExpiresAt = n.Generation, n.RotatedAt, n.LastUsedAt, n.ExpiresAt
	st.UserAgent, st.IP = n.UserAgent, n.IP
	r.s.sessions[st.ID] = st
	return true, nil
}

// Revoke ends session id unless it already ended; the first reason stays.
func (r *Sessions) Revoke(ctx context.Context, id string, now time.Time, reason string) (bool, error) {
	if err := r.s.lock(ctx); err != nil {
		return false, err
	}
	defer r.s.mu.Unlock()
	st, ok := r.s.sessions[id]
	if !ok || !st.RevokedAt.IsZero() {
		return false, nil
	}
	st.RevokedAt, st.RevokeReason = domain.Truncate(now), reason
	r.s.sessions[id] = st
	return true, nil
}

// RevokeAllForUser ends every unrevoked session of userID but exceptID.
func (r *Sessions) RevokeAllForUser(ctx context.Context, userID, exceptID string, now time.Time, reason string) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	n := 0
	for id, st := range r.s.sessions {
		if st.UserID == userID && id != exceptID && st.RevokedAt.IsZero() {
			st.RevokedAt, st.RevokeReason = domain.Truncate(now), reason
			r.s.sessions[id] = st
			n++
		}
	}
	return n, nil
}

// RevokeOverLimit ends userID's live sessions beyond the limit most
// recently used, keeping keepID, under one lock.
func (r *Sessions) RevokeOverLimit(ctx context.Context, userID, keepID string, limit int, now time.Time, reason string) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	if limit < 1 {
		return 0, nil
	}
	var others []domain.SessionState
	for id, st := range r.s.sessions {
		if st.UserID == userID && id != keepID && domain.RestoreSession(st).Live(now) {
			others = append(others, st)
		}
	}
	if len(others) < limit {
		return 0, nil
	}
	sort.Slice(others, func(i, j int) bool { return usedLater(others[i], others[j]) })
	over := others[limit-1:]
	for _, st := range over {
		st.RevokedAt, st.RevokeReason = domain.Truncate(now), reason
		r.s.sessions[st.ID] = st
	}
	return len(over), nil
}

// usedLater orders sessions as the SQL does: last_used_at DESC,
// created_at DESC, id DESC.
func usedLater(a, b domain.SessionState) bool {
	switch {
	case !a.LastUsedAt.Equal(b.LastUsedAt):
		return a.LastUsedAt.After(b.LastUsedAt)
	case !a.CreatedAt.Equal(b.CreatedAt):
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.ID > b.ID
}

// Purge deletes at most limit sessions that ended (revoked or expired)
// before cutoff.
func (r *Sessions) Purge(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	cutoff = domain.Truncate(cutoff)
	n := 0
	for id, st := range r.s.sessions {
		if n >= limit {
			break
		}
		if before(st.RevokedAt, cutoff) || before(st.ExpiresAt, cutoff) || before(st.MaxExpiresAt, cutoff) {
			delete(r.s.sessions, id)
			n++
		}
	}
	return n, nil
}

// before is SQL's "t < cutoff", where a NULL (zero) t is never before.
func before(t, cutoff time.Time) bool { return !t.IsZero() && t.Before(cutoff) }

// CountLive counts sessions live at now.
func (r *Sessions) CountLive(ctx context.Context, now time.Time) (int, error) {
	if err := r.s.lock(ctx); err != nil {
		return 0, err
	}
	defer r.s.mu.Unlock()
	n := 0
	for _, st := range r.s.sessions {
		if domain.RestoreSession(st).Live(now) {
			n++
		}
	}
	return n, nil
}
