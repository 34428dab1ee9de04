package test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/ports"
)

// logRecord is one JSON log line.
type logRecord map[string]any

func (r logRecord) str(k string) string { v, _ := r[k].(string); return v }

// TestLogsOfASessionLifeCycle runs a full life cycle and checks the logs:
// no secret anywhere, each audit event once with its fields, and an access
// line per request carrying the request id.
func TestLogsOfASessionLifeCycle(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	const adminPassword = "admin password 123"
	if _, err := e.app.Operator.ProvisionUser(ctx, "root@example.com", adminPassword, "admin", "test"); err != nil {
		t.Fatal(err)
	}
	u := e.register(t, "cycle@example.com")
	secrets := []string{testPassword, adminPassword, "new password 456", "wrong password", u.Access, u.Refresh}
	e.post("/v1/auth/login", map[string]string{"email": u.Email, "password": "wrong password"}).expect(t, http.StatusUnauthorized, "")

	rotated := e.refresh(u.Refresh).expect(t, http.StatusOK, "")
	secrets = append(secrets, rotated.str(t, "accessToken"), rotated.str(t, "refreshToken"))
	e.refresh(u.Refresh).expect(t, http.StatusOK, "") // grace replay
	e.clock.Advance(time.Minute)
	e.refresh(u.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED")

	l1 := e.login(t, u)
	e.post("/v1/auth/logout", map[string]string{"refreshToken": l1.Refresh}).expect(t, http.StatusNoContent, "")
	l2 := e.login(t, u)
	e.do(req{Method: http.MethodPost, Path: "/v1/auth/logout-all", Bearer: l2.Access}).expect(t, http.StatusNoContent, "")
	l3 := e.login(t, u)
	e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: l3.Access,
		Body: map[string]string{"currentPassword": testPassword, "newPassword": "new password 456"}}).expect(t, http.StatusNoContent, "")
	admin := e.login(t, account{Email: "root@example.com", Password: adminPassword})
	secrets = append(secrets, l1.Access, l1.Refresh, l2.Access, l2.Refresh, l3.Access, l3.Refresh, admin.Access, admin.Refresh)
	e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + u.ID, Bearer: admin.Access,
		Body: map[string]string{"role": "editor"}}).expect(t, http.StatusOK, "")
	e.do(req{Method: http.MethodDelete, Path: "/v1/admin/users/" + u.ID, Bearer: admin.Access,
		Header: map[string]string{"X-Request-ID": "trace-delete-1"}}).expect(t, http.StatusNoContent, "")

	out := e.logs.String()
	for _, s := range append(secrets, "$2a$", "$2b$") {
		if strings.Contains(out, s) {
			t.Errorf("logs contain a secret (%.12s…)", s)
		}
	}
	records := parseLogs(t, out)
	checkAudit(t, records, u.ID)
	checkAccessLines(t, records)
}

// checkAudit: each event of u's life cycle is logged exactly once, with its fields.
func checkAudit(t *testing.T, records []logRecord, userID string) {
	t.Helper()
	want := map[string][]string{ // event -> fields that must be present
		"user.registered":        {"userId", "sessionId", "ip"},
		"login.failed":           {"userId", "ip", "reason"},
		"session.rotated":        {"userId", "sessionId", "ip"},
		"refresh.replayed":       {"userId", "sessionId", "ip"},
		"refresh.reuse_detected": {"userId", "sessionId", "ip", "generationGap"},
		"session.logout":         {"userId", "sessionId"},
		"session.logout_all":     {"userId", "sessions"},
		"password.changed":       {"userId", "sessionId", "sessionsEnded"},
		"user.role_changed":      {"userId", "actorId", "from", "to"},
		"user.deleted":           {"userId", "actorId"},
	}
	seen := map[string]int{}
	logins := 0
	for _, r := range records {
		if r.str("msg") != "audit" || r.str("userId") != userID {
			continue
		}
		event := r.str("event")
		if event == "login.succeeded" {
			logins++
		}
		fields, ok := want[event]
		if !ok {
			continue
		}
		seen[event]++
		for _, f := range fields {
			if r.str(f) == "" {
				t.Errorf("audit %s lacks %s: %v", event, f, r)
			}
		}
		checkAuditValues(t, event, r)
	}
	for event := range want {
		if seen[event] != 1 {
			t.Errorf("audit %s logged %d times, want once", event, seen[event])
		}
	}
	if logins != 3 {
		t.Errorf("login.succeeded logged %d times for 3 logins", logins)
	}
}

func checkAuditValues(t *testing.T, event string, r logRecord) {
	t.Helper()
	switch {
	case event == "login.failed" && r.str("reason") != "wrong_password",
		event == "refresh.reuse_detected" && r.str("generationGap") != "1",
		event == "session.logout_all" && r.str("sessions") != "1",
		event == "user.role_changed" && (r.str("from") != "user" || r.str("to") != "editor"):
		t.Errorf("audit %s has unexpected values: %v", event, r)
	}
}

// checkAccessLines: one access line per request, with its fields, and a
// valid incoming X-Request-ID kept.
func checkAccessLines(t *testing.T, records []logRecord) {
	t.Helper()
	n, traced := 0, false
	for _, r := range records {
		if r.str("msg") != "request" {
			continue
		}
		n++
		for _, f := range []string{"requestId", "method", "route", "client"} {
			if r.str(f) == "" {
				t.Errorf("access line lacks %s: %v", f, r)
			}
		}
		if _, ok := r["status"].(float64); !ok {
			t.Errorf("access line lacks status: %v", r)
		}
		if _, ok := r["latency"]; !ok {
			t.Errorf("access line lacks latency: %v", r)
		}
		traced = traced || r.str("requestId") == "trace-delete-1" && r.str("route") == "/v1/admin/users/:id"
	}
	if n != 14 {
		t.Errorf("%d access lines, want one for each of the 14 requests", n)
	}
	if !traced {
		t.Error("the incoming X-Request-ID was not logged")
	}
}

func parseLogs(t *testing.T, out string) []logRecord {
	t.Helper()
	var records []logRecord
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r logRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		records = append(records, r)
	}
	return records
}

// TestLogsOfRecoveryFlows runs verification and reset through the real
// SMTP server and checks the logs: no token, link, token hash or password
// anywhere, and each step audited.
func TestLogsOfRecoveryFlows(t *testing.T) {
	m := newMailEnvOn(t, sqliteTarget(t), nil)
	u := m.register(t, "flows@example.com")
	verifyToken, verifyLink := m.nextMail(t, ports.MailVerifyEmail, u.Email)
	m.verify(verifyToken).expect(t, http.StatusOK, "")
	m.verify(verifyToken).expect(t, http.StatusBadRequest, "VERIFICATION_TOKEN_INVALID")
	m.forgot(u.Email).expect(t, http.StatusAccepted, "")
	resetToken, resetLink := m.nextMail(t, ports.MailResetPassword, u.Email)
	m.forgot("nobody@example.com").expect(t, http.StatusAccepted, "")
	m.reset(resetToken, newPassword).expect(t, http.StatusNoContent, "")
	m.reset(resetToken, newPassword).expect(t, http.StatusBadRequest, "RESET_TOKEN_INVALID")
	m.settle(t)

	out := m.logs.String()
	secrets := []string{testPassword, newPassword, u.Access, u.Refresh, verifyLink, resetLink, verifyToken, resetToken}
	for _, tok := range []string{verifyToken, resetToken} {
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		sum := sha256.Sum256(raw)
		secrets = append(secrets, hex.EncodeToString(sum[:]), base64.StdEncoding.EncodeToString(sum[:]), "#reset=", "#verify=")
	}
	for _, s := range append(secrets, "$2a$", "$2b$") {
		if strings.Contains(out, s) {
			t.Errorf("logs contain a secret (%.12s…)", s)
		}
	}
	want := map[string]int{"email.verified": 1, "email.verification_rejected": 1, "password.reset": 1,
		"password.reset_rejected": 1, "mail.sent": 2}
	seen := map[string]int{}
	unknownAudited := false
	for _, r := range parseLogs(t, out) {
		if r.str("msg") != "audit" {
			continue
		}
		if r.str("userId") == u.ID {
			seen[r.str("event")]++
		}
		unknownAudited = unknownAudited || r.str("event") == "password.reset_requested" && r.str("reason") == "unknown_email"
		if r.str("event") == "password.reset" && r.str("sessionsEnded") != "1" {
			t.Errorf("password.reset: %v", r)
		}
	}
	for event, n := range want {
		if seen[event] != n {
			t.Errorf("audit %s logged %d times for the user, want %d", event, seen[event], n)
		}
	}
	if !unknownAudited {
		t.Error("the request for an unknown email was not audited")
	}
}
