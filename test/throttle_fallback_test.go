package test

import (
	"context"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// unusedFallback fails the test when a Redis store falls back to it: the
// contract suites must measure Redis, not the in-process store behind it.
type unusedFallback struct{ t *testing.T }

func (u unusedFallback) Check(context.Context, []domain.FailureCounter, time.Time) error {
	u.t.Error("fell back to the in-process store: Check")
	return nil
}

func (u unusedFallback) Fail(context.Context, []domain.FailureCounter, time.Time) {
	u.t.Error("fell back to the in-process store: Fail")
}

// Release and Reset are also called when Redis answered (settling attempts
// admitted during an outage), so they are no evidence of a fallback.
func (u unusedFallback) Release(context.Context, []domain.FailureCounter, time.Time) {}

func (u unusedFallback) Reset(context.Context, []domain.FailureCounter) {}

func (u unusedFallback) Allow(context.Context, string, time.Time) error {
	u.t.Error("fell back to the in-process limiter: Allow")
	return nil
}
