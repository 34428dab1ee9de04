package authd

import (
	"log/slog"

	"github.com/authd-dev/authd/adapters/auditlog"
	"github.com/authd-dev/authd/adapters/metrics"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/ports"
)

// auditLog is the audit port the core writes to: the WithAuditLog log or
// else the slog record, counted by the metrics decorator on the way, so each
// event is reported once.
func auditLog(o options, log *slog.Logger, m *metrics.Prometheus) ports.AuditLog {
	if o.audit != nil {
		return m.Audit(o.audit)
	}
	return m.Audit(auditlog.New(log))
}

// hasher is bcrypt on its pool, the queue wait observed by the metrics.
func hasher(cost passhash.Cost, pool *passhash.Pool, m *metrics.Prometheus) (*passhash.Bcrypt, error) {
	b, err := passhash.NewOnPool(cost, pool)
	if err != nil {
		return nil, err
	}
	b.ObserveWait(m.ObserveHashWait)
	return b, nil
}
