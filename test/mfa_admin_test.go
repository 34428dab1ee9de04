package test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMFAAdminReset: an admin removes a user's MFA (a lost device); every
// session of the user ends, the password alone logs in again, and the
// reset is audited.
func TestMFAAdminReset(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "root@example.com")
		u := e.enrol(t, e.register(t, "lost@example.com"))
		e.clock.Advance(30 * time.Second)
		session := e.mfaLogin(t, u, codeFor(t, u.Secret, e.step()))
		reset := func(bearer, id string) resp {
			return e.do(req{Method: http.MethodDelete, Path: "/v1/admin/users/" + id + "/mfa", Bearer: bearer})
		}
		reset(session.Access, u.ID).expect(t, http.StatusForbidden, "INSUFFICIENT_ROLE")
		reset(admin.Access, "00000000-0000-4000-8000-000000000000").expect(t, http.StatusNotFound, "NOT_FOUND")
		reset(admin.Access, "not-an-id").expect(t, http.StatusNotFound, "NOT_FOUND")
		reset(admin.Access, u.ID).expect(t, http.StatusNoContent, "")

		for _, refresh := range []string{u.Refresh, session.Refresh} {
			e.refresh(refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		}
		after := e.login(t, u.account)
		wantAMR(t, after.Access, "pwd")
		if e.mfaEnabled(t, after.Access) {
			t.Fatal("MFA still on after the reset")
		}
		reset(admin.Access, u.ID).expect(t, http.StatusNoContent, "") // idempotent
		logs := e.logs.String()
		if !strings.Contains(logs, `"event":"mfa.reset"`) || !strings.Contains(logs, `"actorId":"`+admin.ID+`"`) {
			t.Error("the reset is not audited with its actor")
		}
	})
}

// TestAdminRequireMFA: with AUTHD_ADMIN_REQUIRE_MFA an admin token from a
// password-only login is refused with 403 MFA_REQUIRED, one from a login
// with a second factor passes; other routes are unaffected.
func TestAdminRequireMFA(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_ADMIN_REQUIRE_MFA": "true"}, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "strict@example.com")
		list := func(bearer string) resp {
			return e.do(req{Method: http.MethodGet, Path: "/v1/admin/users", Bearer: bearer})
		}
		list(admin.Access).expect(t, http.StatusForbidden, "MFA_REQUIRED")
		u := e.enrol(t, admin) // the account's own routes need no second factor
		list(admin.Access).expect(t, http.StatusForbidden, "MFA_REQUIRED")
		e.clock.Advance(30 * time.Second)
		list(e.mfaLogin(t, u, codeFor(t, u.Secret, e.step())).Access).expect(t, http.StatusOK, "")
		list(e.mfaLogin(t, u, u.Recovery[0]).Access).expect(t, http.StatusOK, "")

		user := e.register(t, "plain@example.com")
		list(user.Access).expect(t, http.StatusForbidden, "INSUFFICIENT_ROLE")
	})
	e := newEnv(t, nil) // the default: password-only admins pass
	e.listUsers(t, e.newAdmin(t, "lax@example.com").Access, "")
}

// TestMFARoutesRefuseDeletedUsers: the account's MFA routes read the
// caller's record, so a deleted user's unexpired token gets 401 at once.
func TestMFARoutesRefuseDeletedUsers(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "boss@example.com")
		u := e.register(t, "leaving@example.com")
		e.do(req{Method: http.MethodDelete, Path: "/v1/admin/users/" + u.ID, Bearer: admin.Access}).expect(t, http.StatusNoContent, "")
		for _, r := range []req{
			{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/enroll"},
			{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/confirm", Body: map[string]string{"code": "123456"}},
			{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/disable", Body: map[string]string{"password": "x", "code": "123456"}},
			{Method: http.MethodPost, Path: "/v1/auth/mfa/recovery-codes", Body: map[string]string{"password": "x", "code": "123456"}},
		} {
			r.Bearer = u.Access
			e.do(r).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
		}
	})
}
