package application

import (
	"context"
	"fmt"
	"time"

	"github.com/authd-dev/authd/ports"
)

// Janitor deletes sessions that ended or expired longer ago than the
// retention period, and one-time tokens as soon as they are spent or
// expired, so storage stays proportional to what is live.
type Janitor struct {
	sessions  ports.SessionRepository
	tokens    ports.OneTimeTokenRepository
	clock     ports.Clock
	retention time.Duration
}

// Retention is how long ended sessions are kept (for the sessions list and
// for reuse detection to answer REFRESH_TOKEN_REUSED rather than INVALID).
type Retention time.Duration

// NewJanitor builds the purge use case.
func NewJanitor(sessions ports.SessionRepository, tokens ports.OneTimeTokenRepository, clock ports.Clock,
	retention Retention) *Janitor {
	return &Janitor{sessions: sessions, tokens: tokens, clock: clock, retention: time.Duration(retention)}
}

// PassResult is what one janitor pass did and saw.
type PassResult struct {
	Purged       int // sessions
	PurgedTokens int // one-time tokens
	Live         int
}

// Pass runs one purge and counts the live sessions left. A spent or
// expired one-time token answers exactly like an unknown one, so it is kept
// no longer than that.
func (j *Janitor) Pass(ctx context.Context) (PassResult, error) {
	now := j.clock.Now()
	purged, err := j.sessions.Purge(ctx, now.Add(-j.retention))
	if err != nil {
		return PassResult{}, fmt.Errorf("purge sessions: %w", err)
	}
	tokens, err := j.tokens.Purge(ctx, now)
	if err != nil {
		return PassResult{Purged: purged}, fmt.Errorf("purge one-time tokens: %w", err)
	}
	live, err := j.sessions.CountLive(ctx, now)
	if err != nil {
		return PassResult{Purged: purged, PurgedTokens: tokens}, fmt.Errorf("count live sessions: %w", err)
	}
	return PassResult{Purged: purged, PurgedTokens: tokens, Live: live}, nil
}
