package auditlog

import (
	"context"
	"log/slog"

	"github.com/google/wire"

	"github.com/authd-dev/authd/domain"
)

// ProviderSet provides the slog audit log.
var ProviderSet = wire.NewSet(New)

// Slog records each event as one "audit" record at info level.
type Slog struct{ log *slog.Logger }

// New returns an audit log writing through log.
func New(log *slog.Logger) *Slog { return &Slog{log: log} }

// Record writes e; it never fails the caller.
func (s *Slog) Record(ctx context.Context, e domain.AuditEvent) {
	attrs := make([]slog.Attr, 0, 8+len(e.Detail))
	attrs = append(attrs, slog.String("event", string(e.Kind)), slog.Time("at", e.At))
	for _, kv := range [...][2]string{
		{"userId", e.UserID}, {"sessionId", e.SessionID}, {"actorId", e.ActorID}, {"ip", e.IP}, {"reason", e.Reason},
	} {
		if kv[1] != "" {
			attrs = append(attrs, slog.String(kv[0], kv[1]))
		}
	}
	for k, v := range e.Detail {
		attrs = append(attrs, slog.String(k, v))
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "audit", attrs...)
}
