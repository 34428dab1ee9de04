package application

import (
	"context"
	"fmt"
	"time"

	"github.com/authd-dev/authd/ports"
)

// Janitor deletes sessions that ended or expired longer ago than the
// retention period, so storage stays proportional to live sessions.
type Janitor struct {
	sessions  ports.SessionRepository
	clock     ports.Clock
	retention time.Duration
}

// Retention is how long ended sessions are kept (for the sessions list and
// for reuse detection to answer REFRESH_TOKEN_REUSED rather than INVALID).
type Retention time.Duration

// NewJanitor builds the purge use case.
func NewJanitor(sessions ports.SessionRepository, clock ports.Clock, retention Retention) *Janitor {
	return &Janitor{sessions: sessions, clock: clock, retention: time.Duration(retention)}
}

// PassResult is what one janitor pass did and saw.
type PassResult struct {
	Purged int
	Live   int
}

// Pass runs one purge and counts the live sessions left.
func (j *Janitor) Pass(ctx context.Context) (PassResult, error) {
	now := j.clock.Now()
	purged, err := j.sessions.Purge(ctx, now.Add(-j.retention))
	if err != nil {
		return PassResult{}, fmt.Errorf("purge sessions: %w", err)
	}
	live, err := j.sessions.CountLive(ctx, now)
	if err != nil {
		return PassResult{Purged: purged}, fmt.Errorf("count live sessions: %w", err)
	}
	return PassResult{Purged: purged, Live: live}, nil
}
