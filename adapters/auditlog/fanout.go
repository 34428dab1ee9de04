package auditlog

import (
	"context"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Fanout records every event to each of logs in turn, so a team can keep
// authd's slog record and ship events to its own system too. nil entries
// are skipped. Each log must not fail the request (ports.AuditLog), and a
// slow one delays the request it records for: queue in the log if needed.
func Fanout(logs ...ports.AuditLog) ports.AuditLog {
	out := make(fanout, 0, len(logs))
	for _, l := range logs {
		if l != nil {
			out = append(out, l)
		}
	}
	return out
}

type fanout []ports.AuditLog

// Record passes e to every log; each gets its own copy of Detail, so no log
// sees another's changes.
func (f fanout) Record(ctx context.Context, e domain.AuditEvent) {
	for _, l := range f {
		c := e
		if e.Detail != nil {
			c.Detail = make(map[string]string, len(e.Detail))
			for k, v := range e.Detail {
				c.Detail[k] = v
			}
		}
		l.Record(ctx, c)
	}
}
