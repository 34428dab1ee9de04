package application

import (
	"context"
	"fmt"
	"time"

	"github.com/authd-dev/authd/ports"
)

// Janitor deletes sessions that ended or expired longer ago than the
// retention period, and expired second login steps, so storage stays
// proportional to live sessions.
type Janitor struct {
	sessions   ports.SessionRepository
	challenges ports.MFAChallengeRepository
	clock      ports.Clock
	retention  time.Duration
}

// Retention is how long ended sessions are kept (for the sessions list and
// for reuse detection to answer REFRESH_TOKEN_REUSED rather than INVALID).
type Retention time.Duration

// NewJanitor builds the purge use case.
func NewJanitor(sessions ports.SessionRepository, challenges ports.MFAChallengeRepository, clock ports.Clock,
	retention Retention) *Janitor {
	return &Janitor{sessions: sessions, challenges: challenges, clock: clock, retention: time.Duration(retention)}
}

// PassResult is what one janitor pass did and saw.
type PassResult struct {
	Purged     int
	Live       int
	Challenges int // expired second login steps deleted
}

// Pass runs one purge and counts the live sessions left.
func (j *Janitor) Pass(ctx context.Context) (PassResult, error) {
	now := j.clock.Now()
	purged, err := j.sessions.Purge(ctx, now.Add(-j.retention))
	if err != nil {
		return PassResult{}, fmt.Errorf("purge sessions: %w", err)
	}
	// An expired challenge is useless at once: nothing needs it kept.
	challenges, err := j.challenges.Purge(ctx, now)
	if err != nil {
		return PassResult{Purged: purged}, fmt.Errorf("purge mfa challenges: %w", err)
	}
	live, err := j.sessions.CountLive(ctx, now)
	if err != nil {
		return PassResult{Purged: purged, Challenges: challenges}, fmt.Errorf("count live sessions: %w", err)
	}
	return PassResult{Purged: purged, Live: live, Challenges: challenges}, nil
}
