package redisthrottle

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// LogInterval is the least time between two warnings about Redis not
// answering; the errors in between are counted, and the count is logged.
const LogInterval = 10 * time.Second

// outage reports failed calls to Redis: each one to the error counter, a
// warning at most every LogInterval, and after a warning, one line when a
// call succeeds again. A flapping Redis thus logs at most two lines per
// LogInterval.
type outage struct {
	onError func()
	log     *slog.Logger
	down    atomic.Bool
	mu      sync.Mutex
	warned  time.Time // of the last warning
	pending bool      // a warning was logged and its recovery not yet
	quiet   int       // errors not logged since the last warning
}

// failed reports err of op. A call ended by its own context (the client
// went away) is not Redis's fault and is not reported.
func (o *outage) failed(ctx context.Context, op string, err error) {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return
	}
	o.onError()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down.Store(true)
	now := time.Now()
	if !o.warned.IsZero() && now.Sub(o.warned) < LogInterval {
		o.quiet++
		return
	}
	o.log.Warn("throttle store (Redis) does not answer: counting in this process only",
		slog.String("op", op), slog.String("error", err.Error()), slog.Int("errorsNotLogged", o.quiet))
	o.warned, o.pending, o.quiet = now, true, 0
}

// answered notes a call that succeeded; while Redis is up it costs one
// atomic load.
func (o *outage) answered() {
	if !o.down.Load() {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down.Swap(false) && o.pending {
		o.log.Info("throttle store (Redis) answers again: counting in Redis", slog.Int("errorsNotLogged", o.quiet))
		o.pending = false
	}
}
