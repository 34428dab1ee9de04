package application

import (
	"context"
	"errors"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// settle reports a checked attempt's outcome to the throttle. A wrong
// password or second-factor code counts on every counter of the rule; a
// success forgets the client's own counters and releases the others; any
// other error (storage down, a spent mfaToken) releases them all, as it
// says nothing about the credential.
func settle(ctx context.Context, t ports.LoginThrottle, rule domain.ThrottleRule, err error, now time.Time) {
	switch {
	case errors.Is(err, domain.ErrInvalidCredentials) || errors.Is(err, domain.ErrMFACodeInvalid):
		t.Fail(ctx, rule.All(), now)
	case err != nil:
		t.Release(ctx, rule.All(), now)
	default:
		t.Reset(ctx, rule.Reset)
		t.Release(ctx, rule.Keep, now)
	}
}
