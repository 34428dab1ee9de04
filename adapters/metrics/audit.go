package metrics

import (
	"context"
	"strconv"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Audit decorates next: each event is recorded by next and counted here,
// so the core reports security outcomes once, through one port.
func (p *Prometheus) Audit(next ports.AuditLog) ports.AuditLog {
	return auditCounter{next: next, p: p}
}

type auditCounter struct {
	next ports.AuditLog
	p    *Prometheus
}

// refreshOutcomes maps refresh-related events to the outcome label.
var refreshOutcomes = map[domain.AuditKind]string{
	domain.AuditSessionRotated:  "rotated",
	domain.AuditRefreshReplayed: "grace_replay",
	domain.AuditRefreshReused:   "reuse_detected",
}

func (a auditCounter) Record(ctx context.Context, e domain.AuditEvent) {
	a.next.Record(ctx, e)
	p := a.p
	p.audit.with(string(e.Kind)).Inc()
	switch e.Kind {
	case domain.AuditLoginSucceeded:
		p.logins.with("success").Inc()
	case domain.AuditLoginFailed:
		p.logins.with(label(e.Reason)).Inc()
	case domain.AuditRefreshRejected:
		p.refreshes.with(label(e.Reason)).Inc()
	case domain.AuditMailSent:
		p.mails.with(label(e.Detail["kind"]), "sent").Inc()
	case domain.AuditMailFailed:
		p.mails.with(label(e.Detail["kind"]), label(e.Reason)).Inc()
	}
	if outcome, ok := refreshOutcomes[e.Kind]; ok {
		p.refreshes.with(outcome).Inc()
	}
	a.countRevoked(e)
}

// countRevoked adds the sessions an event ended to sessions_revoked_total.
// User deletion removes sessions with the row and reports no count.
func (a auditCounter) countRevoked(e domain.AuditEvent) {
	var reason string
	n := 1
	switch e.Kind {
	case domain.AuditRefreshReused:
		reason = domain.RevokeReuse
	case domain.AuditLogout:
		reason = domain.RevokeLogout
	case domain.AuditSessionEnded:
		reason = domain.RevokeEnded
		if e.Reason == domain.RevokeSessionLimit {
			reason, n = domain.RevokeSessionLimit, count(e.Detail["sessions"])
		}
	case domain.AuditLogoutAll:
		reason, n = domain.RevokeLogoutAll, count(e.Detail["sessions"])
	case domain.AuditPasswordChanged:
		reason, n = domain.RevokePasswordChange, count(e.Detail["sessionsEnded"])
	case domain.AuditPasswordReset:
		reason, n = domain.RevokePasswordReset, count(e.Detail["sessionsEnded"])
	case domain.AuditMFAReset:
		reason, n = domain.RevokeMFAReset, count(e.Detail["sessionsEnded"])
	default:
		return
	}
	a.p.revoked.with(reason).Add(n)
}

func count(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// label keeps reason classes to a small, known vocabulary: the core only
// emits short snake_case classes, and anything else collapses to "other".
func label(reason string) string {
	if reason == "" || len(reason) > 32 {
		return "other"
	}
	for i := 0; i < len(reason); i++ {
		if c := reason[i]; !(c >= 'a' && c <= 'z' || c == '_') {
			return "other"
		}
	}
	return reason
}
