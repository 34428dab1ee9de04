package test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/adapters/httpapi"
)

// adminCalls are one request per admin route, made with token: everything
// a holder of an admin token could try.
func adminCalls(token string, self, other account) []req {
	return []req{
		{Method: http.MethodGet, Path: "/v1/admin/users", Bearer: token},
		{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: token,
			Body: map[string]string{"email": "minted@example.com", "password": testPassword, "role": "admin"}},
		{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: token, Body: "{not json"},
		{Method: http.MethodPatch, Path: "/v1/admin/users/" + self.ID, Bearer: token, Body: map[string]string{"role": "admin"}},
		{Method: http.MethodPatch, Path: "/v1/admin/users/" + other.ID, Bearer: token, Body: map[string]string{"role": "user"}},
		{Method: http.MethodPatch, Path: "/v1/admin/users/" + other.ID, Bearer: token, Body: map[string]bool{"emailVerified": true}},
		{Method: http.MethodDelete, Path: "/v1/admin/users/" + other.ID, Bearer: token},
	}
}

// accountCalls are one request per state-changing account route.
func accountCalls(token, sessionID string) []req {
	return []req{
		{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: token,
			Body: map[string]string{"currentPassword": testPassword, "newPassword": "a new password 123"}},
		{Method: http.MethodPost, Path: "/v1/auth/logout-all", Bearer: token},
		{Method: http.MethodGet, Path: "/v1/auth/sessions", Bearer: token},
		{Method: http.MethodDelete, Path: "/v1/auth/sessions/" + sessionID, Bearer: token},
		{Method: http.MethodPost, Path: "/v1/auth/verify-email/request", Bearer: token},
	}
}

// mustRefuse sends every call and requires status and code, plus the
// Bearer challenge of a refused token on a 401.
func (e *env) mustRefuse(t *testing.T, calls []req, status int, code string) {
	t.Helper()
	for _, c := range calls {
		r := e.do(c)
		if r.Status != status || r.str(t, "code") != code {
			t.Errorf("%s %s = %d %s, want %d %s", c.Method, c.Path, r.Status, r.Body, status, code)
			continue
		}
		if want := `Bearer realm="authd", error="invalid_token"`; status == http.StatusUnauthorized && r.Header.Get("WWW-Authenticate") != want {
			t.Errorf("%s %s: WWW-Authenticate %q, want %q", c.Method, c.Path, r.Header.Get("WWW-Authenticate"), want)
		}
	}
}

// usersByID lists every user as seen by admin.
func (e *env) usersByID(t *testing.T, admin account) map[string]string {
	t.Helper()
	roles := map[string]string{}
	for _, u := range e.listUsers(t, admin.Access, "").Users {
		roles[u.ID] = u.Role
	}
	return roles
}

func TestDemotedAdminTokenLosesAdminPowersAtOnce(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a1 := e.newAdmin(t, "a1@example.com")
		a2 := e.newAdmin(t, "a2@example.com")
		e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + a2.ID, Bearer: a1.Access,
			Body: map[string]string{"role": "user"}}).expect(t, http.StatusOK, "")
		if role := roleClaim(t, a2.Access); role != "admin" {
			t.Fatalf("a2's old token carries role %q; the attack needs a still-valid admin token", role)
		}

		e.mustRefuse(t, adminCalls(a2.Access, a2, a1), http.StatusForbidden, "INSUFFICIENT_ROLE")
		want := map[string]string{a1.ID: "admin", a2.ID: "user"}
		if got := e.usersByID(t, a1); len(got) != 2 || got[a1.ID] != want[a1.ID] || got[a2.ID] != want[a2.ID] {
			t.Fatalf("users after the refused calls = %v, want %v", got, want)
		}
		// Still a signed-in user, just no admin.
		me := e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a2.Access}).expect(t, http.StatusOK, "")
		if me.str(t, "role") != "user" {
			t.Fatalf("me = %s", me.Body)
		}

		// Current state decides both ways: promoted again, the same token works.
		e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + a2.ID, Bearer: a1.Access,
			Body: map[string]string{"role": "admin"}}).expect(t, http.StatusOK, "")
		e.listUsers(t, a2.Access, "")
	})
}

func TestDeletedUserTokenIsRefusedAtOnce(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a1 := e.newAdmin(t, "a1@example.com")
		a2 := e.newAdmin(t, "a2@example.com")
		u := e.register(t, "u@example.com")
		a2Session := currentSession(t, e.sessions(t, a2.Access))
		uSession := currentSession(t, e.sessions(t, u.Access))
		for _, gone := range []account{a2, u} {
			e.do(req{Method: http.MethodDelete, Path: "/v1/admin/users/" + gone.ID, Bearer: a1.Access}).
				expect(t, http.StatusNoContent, "")
		}

		e.mustRefuse(t, adminCalls(a2.Access, a2, a1), http.StatusUnauthorized, "TOKEN_INVALID")
		e.mustRefuse(t, accountCalls(a2.Access, a2Session), http.StatusUnauthorized, "TOKEN_INVALID")
		e.mustRefuse(t, accountCalls(u.Access, uSession), http.StatusUnauthorized, "TOKEN_INVALID")
		if got := e.usersByID(t, a1); len(got) != 1 || got[a1.ID] != "admin" {
			t.Fatalf("users after the refused calls = %v, want only a1", got)
		}
	})
}

// TestRequireCurrentRoleOnOwnRoutes mounts the middleware the way an
// embedding team does, next to the stateless RequireRole, on routes of its
// own beside authd's API.
func TestRequireCurrentRoleOnOwnRoutes(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "admin@example.com")
		u := e.register(t, "u@example.com")
		r := gin.New()
		ok := func(c *gin.Context) { c.Status(http.StatusOK) }
		api := r.Group("/api", httpapi.Authenticate(e.app.Verifier, e.app.Clock))
		api.GET("/exists", httpapi.RequireCurrentRole(e.app.Users), ok)
		api.GET("/editor", httpapi.RequireCurrentRole(e.app.Users, "editor"), ok)
		api.GET("/editor-by-token", httpapi.RequireRole("editor"), ok)
		r.GET("/unauthenticated", httpapi.RequireCurrentRole(e.app.Users), ok)
		call := func(ctx context.Context, path, token string) *httptest.ResponseRecorder {
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			return w
		}
		expect := func(path, token string, status int, challenge string) {
			t.Helper()
			w := call(context.Background(), path, token)
			if w.Code != status || w.Header().Get("WWW-Authenticate") != challenge {
				t.Errorf("GET %s = %d (WWW-Authenticate %q) %s, want %d (%q)", path, w.Code,
					w.Header().Get("WWW-Authenticate"), w.Body, status, challenge)
			}
		}
		const refused = `Bearer realm="authd", error="invalid_token"`

		expect("/api/exists", u.Access, http.StatusOK, "")
		expect("/api/editor", u.Access, http.StatusForbidden, "")
		expect("/api/editor", admin.Access, http.StatusOK, "") // admin passes every check
		expect("/unauthenticated", u.Access, http.StatusUnauthorized, `Bearer realm="authd"`)

		// Promoted: the current record decides at once; the token's claim does not change.
		e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + u.ID, Bearer: admin.Access,
			Body: map[string]string{"role": "editor"}}).expect(t, http.StatusOK, "")
		expect("/api/editor", u.Access, http.StatusOK, "")
		expect("/api/editor-by-token", u.Access, http.StatusForbidden, "")

		canceled, cancel := context.WithCancel(context.Background())
		cancel()
		if w := call(canceled, "/api/exists", u.Access); w.Code != http.StatusServiceUnavailable {
			t.Errorf("record unreadable: %d %s, want 503", w.Code, w.Body)
		}

		e.do(req{Method: http.MethodDelete, Path: "/v1/admin/users/" + u.ID, Bearer: admin.Access}).expect(t, http.StatusNoContent, "")
		expect("/api/exists", u.Access, http.StatusUnauthorized, refused)
		expect("/api/editor", u.Access, http.StatusUnauthorized, refused)
	})
}
