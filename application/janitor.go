package application

import (
	"context"
	"fmt"
	"time"

	"github.com/authd-dev/authd/ports"
)

// Janitor deletes sessions that ended or expired longer ago than the
// retention period, one-time tokens as soon as they are spent or expired,
// and expired second login steps, so storage stays proportional to what is
// live.
type Janitor struct {
	sessions   ports.SessionRepository
	tokens     ports.OneTimeTokenRepository
	challenges ports.MFAChallengeRepository
	clock      ports.Clock
	retention  time.Duration
}

// Retention is how long ended sessions are kept (for the sessions list and
// for reuse detection to answer REFRESH_TOKEN_REUSED rather than INVALID).
type Retention time.Duration

// NewJanitor builds the purge use case.
func NewJanitor(sessions ports.SessionRepository, tokens ports.OneTimeTokenRepository,
	challenges ports.MFAChallengeRepository, clock ports.Clock, retention Retention) *Janitor {
	return &Janitor{sessions: sessions, tokens: tokens, challenges: challenges, clock: clock,
		retention: time.Duration(retention)}
}

// PassResult is what one janitor pass did and saw.
type PassResult struct {
	Purged       int // sessions
	PurgedTokens int // one-time tokens
	Challenges   int // expired second login steps
	Live         int
}

// PurgeBatch is how many rows one purge statement deletes at most: small
// enough that each batch is a short transaction locking few rows, large
// enough that a million-row backlog drains in a thousand statements.
const PurgeBatch = 1000

// Purged names what a batch deleted, for BatchObserver.
type Purged string

const (
	PurgedSessions      Purged = "sessions"
	PurgedOneTimeTokens Purged = "one_time_tokens"
	PurgedMFAChallenges Purged = "mfa_challenges"
)

// BatchObserver is told after every purge batch what it deleted and how
// many rows, so progress through a large backlog is visible while it runs.
type BatchObserver func(what Purged, n int)

// Pass runs one purge and counts the live sessions left. A spent or
// expired one-time token answers exactly like an unknown one, so it is kept
// no longer than that.
func (j *Janitor) Pass(ctx context.Context) (PassResult, error) { return j.PassObserved(ctx, nil) }

// PassObserved is Pass telling observe (when not nil) about each batch.
// Rows are deleted in batches of PurgeBatch until a batch comes back short;
// a pass interrupted by an error or ctx has still deleted what it reported.
func (j *Janitor) PassObserved(ctx context.Context, observe BatchObserver) (PassResult, error) {
	now := j.clock.Now()
	purged, err := drain(ctx, PurgedSessions, observe, func() (int, error) {
		return j.sessions.Purge(ctx, now.Add(-j.retention), PurgeBatch)
	})
	if err != nil {
		return PassResult{Purged: purged}, fmt.Errorf("purge sessions: %w", err)
	}
	tokens, err := drain(ctx, PurgedOneTimeTokens, observe, func() (int, error) { return j.tokens.Purge(ctx, now, PurgeBatch) })
	if err != nil {
		return PassResult{Purged: purged, PurgedTokens: tokens}, fmt.Errorf("purge one-time tokens: %w", err)
	}
	// An expired challenge is useless at once: nothing needs it kept.
	challenges, err := drain(ctx, PurgedMFAChallenges, observe, func() (int, error) {
		return j.challenges.Purge(ctx, now, PurgeBatch)
	})
	if err != nil {
		return PassResult{Purged: purged, PurgedTokens: tokens}, fmt.Errorf("purge mfa challenges: %w", err)
	}
	res := PassResult{Purged: purged, PurgedTokens: tokens, Challenges: challenges}
	if res.Live, err = j.sessions.CountLive(ctx, now); err != nil {
		return res, fmt.Errorf("count live sessions: %w", err)
	}
	return res, nil
}

// drain calls batch until it deletes fewer than PurgeBatch rows.
func drain(ctx context.Context, what Purged, observe BatchObserver, batch func() (int, error)) (int, error) {
	total := 0
	for {
		n, err := batch()
		total += n
		if observe != nil && n > 0 {
			observe(what, n)
		}
		if err != nil || n < PurgeBatch {
			return total, err
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}
