// Package auditlog writes audit events as structured log records. Internal
// to authd; no compatibility promise. Teams that ship events to a SIEM
// replace it with their own ports.AuditLog.
package auditlog
