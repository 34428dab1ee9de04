package domain

import "time"

// AuditKind names an auditable event.
type AuditKind string

// The audit events authd records.
const (
	AuditUserRegistered  AuditKind = "user.registered"
	AuditUserCreated     AuditKind = "user.created"
	AuditLoginSucceeded  AuditKind = "login.succeeded"
	AuditLoginFailed     AuditKind = "login.failed"
	AuditSessionRotated  AuditKind = "session.rotated"
	AuditRefreshReused   AuditKind = "refresh.reuse_detected"
	AuditRefreshReplayed AuditKind = "refresh.replayed" // a just-spent token within the grace window
	AuditRefreshRejected AuditKind = "refresh.rejected" // Reason "invalid" or "expired"
	AuditLogout          AuditKind = "session.logout"
	AuditLogoutAll       AuditKind = "session.logout_all"
	AuditSessionEnded    AuditKind = "session.ended"
	AuditPasswordChanged AuditKind = "password.changed"
	AuditRoleChanged     AuditKind = "user.role_changed"
	AuditUserDeleted     AuditKind = "user.deleted"

	// The email flows. Reason classes: "invalid_token", "unknown_email",
	// "throttled", "already_verified", "unavailable", "queue_full".
	AuditVerificationRequested AuditKind = "email.verification_requested"
	AuditEmailVerified         AuditKind = "email.verified"
	AuditVerificationRejected  AuditKind = "email.verification_rejected"
	AuditEmailVerifiedSet      AuditKind = "user.email_verified_set" // by an admin; Detail "to"
	AuditResetRequested        AuditKind = "password.reset_requested"
	AuditPasswordReset         AuditKind = "password.reset" // Detail "sessionsEnded"
	AuditResetRejected         AuditKind = "password.reset_rejected"
	AuditMailSent              AuditKind = "mail.sent"   // Detail "kind"
	AuditMailFailed            AuditKind = "mail.failed" // Detail "kind" and "error" (never the link)
	// Two-factor authentication. Failed codes are AuditLoginFailed with
	// reason "mfa_code_invalid" when they come at login.
	AuditMFARequired              AuditKind = "login.mfa_required" // right password, second step pending
	AuditMFAEnabled               AuditKind = "mfa.enabled"
	AuditMFADisabled              AuditKind = "mfa.disabled"
	AuditMFAReset                 AuditKind = "mfa.reset" // by an admin; Detail "sessionsEnded"
	AuditRecoveryCodeUsed         AuditKind = "mfa.recovery_code_used"
	AuditRecoveryCodesRegenerated AuditKind = "mfa.recovery_codes_regenerated"
)

// AuditEvent is one security-relevant fact. It never carries a password,
// token or hash.
type AuditEvent struct {
	Kind      AuditKind
	At        time.Time
	UserID    string
	SessionID string
	ActorID   string // who did it, when not the user themself (an admin)
	IP        string
	Reason    string // a class such as "unknown_email" or "wrong_password"
	Detail    map[string]string
}
