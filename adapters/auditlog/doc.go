// Package auditlog writes audit events as structured log records (New) and
// sends them to several logs at once (Fanout). Supported API: teams that
// ship events to a SIEM pass their own ports.AuditLog with
// authd.WithAuditLog, alone or beside New's record through Fanout.
package auditlog
