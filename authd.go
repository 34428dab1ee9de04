package authd

import (
	"context"
	"log/slog"

	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/ports"
)

// Option changes one part of what Initialize composes; without options,
// every port is the one the configuration selects.
type Option func(*options)

// options is what the Options set; the injector takes it whole.
type options struct {
	log     *slog.Logger
	clock   ports.Clock
	storage *ports.Storage
	audit   ports.AuditLog
	claims  ports.ClaimsHook

	hashPool *passhash.Pool
}

// WithLogger sends authd's logs (and, unless WithAuditLog replaces it, the
// audit records) to log. Default: slog.Default().
func WithLogger(log *slog.Logger) Option { return func(o *options) { o.log = log } }

// WithClock makes authd read the time from clock (tests pass a manual one,
// see adapters/clock). Default: the system clock.
func WithClock(clock ports.Clock) Option { return func(o *options) { o.clock = clock } }

// WithStorage stores in s instead of the configured database: memstore's
// Storage() in tests, or a team's own backend. Every field of s is
// required (ports.Storage.Check); authd does not migrate it, and App.Close
// does not close it. AUTHD_DB_DRIVER and AUTHD_DB_DSN are then unused.
func WithStorage(s ports.Storage) Option { return func(o *options) { o.storage = &s } }

// WithAuditLog records audit events to log instead of authd's slog record;
// to keep that record as well, pass auditlog.Fanout(auditlog.New(logger),
// log). The audit metrics count events either way.
func WithAuditLog(log ports.AuditLog) Option { return func(o *options) { o.audit = log } }

// WithClaims adds hook's claims to every access token authd issues (see
// ports.ClaimsHook for when it is called and what it may not do).
func WithClaims(hook ports.ClaimsHook) Option { return func(o *options) { o.claims = hook } }

// WithHashPool hashes passwords on pool instead of one sized by
// AUTHD_HASH_QUEUE: for authd's own tests, which occupy its workers and fill
// its queue at will. passhash is internal to authd: no compatibility
// promise for this option.
func WithHashPool(pool *passhash.Pool) Option { return func(o *options) { o.hashPool = pool } }

// Initialize composes authd from cfg, with opts replacing the ports they
// name. A cfg that Validate refuses is refused, every bad value named. The storage is opened and migrated before it returns; Close the App
// to release it. On error nothing is left open.
func Initialize(ctx context.Context, cfg Config, opts ...Option) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	app, cleanup, err := initialize(ctx, cfg, o)
	if err != nil {
		return nil, err
	}
	app.cleanup = cleanup
	return app, nil
}
