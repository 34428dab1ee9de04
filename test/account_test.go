package test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// loginAs opens a session for a with the given User-Agent.
func (e *env) loginAs(t testing.TB, a account, userAgent string) account {
	t.Helper()
	r := e.do(req{Method: http.MethodPost, Path: "/v1/auth/login", Header: map[string]string{"User-Agent": userAgent},
		Body: map[string]string{"email": a.Email, "password": a.Password}}).expect(t, http.StatusOK, "")
	a.Access, a.Refresh = r.str(t, "accessToken"), r.str(t, "refreshToken")
	return a
}

func (e *env) sessions(t testing.TB, access string) []map[string]any {
	t.Helper()
	body := e.do(req{Method: http.MethodGet, Path: "/v1/auth/sessions", Bearer: access}).expect(t, http.StatusOK, "").json(t)
	raw, ok := body["sessions"].([]any)
	if !ok {
		t.Fatalf("sessions body = %v", body)
	}
	out := make([]map[string]any, len(raw))
	for i, s := range raw {
		out[i], _ = s.(map[string]any)
	}
	return out
}

// currentSession returns the id of the session flagged current.
func currentSession(t testing.TB, list []map[string]any) string {
	t.Helper()
	id := ""
	for _, s := range list {
		if s["current"] == true {
			if id != "" {
				t.Fatalf("two current sessions in %v", list)
			}
			id, _ = s["id"].(string)
		}
	}
	return id
}

func TestSessionsListAndEnd(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		alice := e.loginAs(t, e.register(t, "alice@example.com"), "ua-a")
		e.clock.Advance(time.Minute)
		other := e.loginAs(t, alice, "ua-b")

		list := e.sessions(t, alice.Access)
		if len(list) != 3 { // register, ua-a, ua-b
			t.Fatalf("sessions = %v, want 3", list)
		}
		for _, s := range list {
			created, err1 := time.Parse(time.RFC3339, s["createdAt"].(string))
			used, err2 := time.Parse(time.RFC3339, s["lastUsedAt"].(string))
			expires, err3 := time.Parse(time.RFC3339, s["expiresAt"].(string))
			if err1 != nil || err2 != nil || err3 != nil || used.Before(created) || !expires.After(created) || s["ip"] != "127.0.0.1" {
				t.Fatalf("session fields: %v", s)
			}
		}
		mine := currentSession(t, list)
		if mine == "" || list[0]["userAgent"] != "ua-b" {
			t.Fatalf("want newest (ua-b) first and one current: %v", list)
		}
		theirs := currentSession(t, e.sessions(t, other.Access))
		if theirs == mine {
			t.Fatal("current does not follow the token's sid")
		}

		// Another user cannot end (or learn of) alice's session.
		bob := e.register(t, "bob@example.com")
		del := func(access, id string) resp {
			return e.do(req{Method: http.MethodDelete, Path: "/v1/auth/sessions/" + id, Bearer: access})
		}
		del(bob.Access, theirs).expect(t, http.StatusNotFound, "NOT_FOUND")
		del(bob.Access, "not-a-uuid").expect(t, http.StatusNotFound, "NOT_FOUND")
		e.refresh(other.Refresh).expect(t, http.StatusOK, "")

		del(alice.Access, theirs).expect(t, http.StatusNoContent, "")
		e.refresh(other.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		if n := len(e.sessions(t, alice.Access)); n != 2 {
			t.Fatalf("%d sessions after ending one, want 2", n)
		}
		e.do(req{Method: http.MethodGet, Path: "/v1/auth/sessions"}).expect(t, http.StatusUnauthorized, "TOKEN_MISSING")
	})
}

func TestChangePassword(t *testing.T) {
	const next = "a whole new passphrase"
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a := e.register(t, "p@example.com")
		b := e.login(t, a)
		c := e.login(t, a)
		change := func(body any) resp {
			return e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: a.Access, Body: body})
		}
		change(map[string]string{"currentPassword": "wrong password", "newPassword": next}).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		change(map[string]string{"currentPassword": testPassword, "newPassword": "short"}).expect(t, http.StatusBadRequest, "PASSWORD_TOO_SHORT")
		change(map[string]string{"currentPassword": testPassword, "newPassword": strings.Repeat("x", 73)}).
			expect(t, http.StatusBadRequest, "PASSWORD_TOO_LONG")
		change(map[string]string{"newPassword": next}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		change(map[string]any{"currentPassword": testPassword, "newPassword": next, "role": "admin"}).expect(t, http.StatusBadRequest, "INVALID_JSON")
		e.refresh(b.Refresh).expect(t, http.StatusOK, "") // failed attempts end nothing

		change(map[string]string{"currentPassword": testPassword, "newPassword": next}).expect(t, http.StatusNoContent, "")
		e.refresh(c.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.refresh(a.Refresh).expect(t, http.StatusOK, "") // the caller's own session is kept
		e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": testPassword}).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": next}).expect(t, http.StatusOK, "")
	})
}

// storedHashCost reads the bcrypt cost of email's stored hash straight from
// the database, bypassing the service.
func storedHashCost(t *testing.T, target backends.Target, email string) int {
	t.Helper()
	users := sqlstore.NewUsers(backends.Open(t, target))
	addr, err := domain.NewEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	u, err := users.ByEmail(context.Background(), addr)
	if err != nil {
		t.Fatalf("read user: %v", err)
	}
	cost, err := bcrypt.Cost([]byte(u.PasswordHash()))
	if err != nil {
		t.Fatalf("stored hash: %v", err)
	}
	return cost
}

func TestLoginRehashesCheaperHash(t *testing.T) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) {
			old := newEnvOn(t, target, map[string]string{"AUTHD_BCRYPT_COST": "4"})
			a := old.register(t, "r@example.com")
			if got := storedHashCost(t, target, a.Email); got != 4 {
				t.Fatalf("cost after register = %d, want 4", got)
			}
			// The same database, now served with a higher configured cost.
			upgraded := newEnvOn(t, target, map[string]string{"AUTHD_BCRYPT_COST": "5"})
			upgraded.login(t, a)
			if got := storedHashCost(t, target, a.Email); got != 5 {
				t.Fatalf("cost after login at cost 5 = %d, want 5", got)
			}
			upgraded.login(t, a) // the new hash still verifies the same password
			old.post("/v1/auth/login", map[string]string{"email": a.Email, "password": "wrong password"}).
				expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		})
	}
}

// A stolen access token must not be a free password-guessing oracle: wrong
// current passwords are throttled, on counters of their own (see
// lockout_test.go), so they lock nobody out of logging in.
func TestChangePasswordGuessesAreThrottled(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "3", "AUTHD_LOGIN_FAILURE_WINDOW": "15m"})
	a := e.register(t, "g@example.com")
	change := func(current string) resp {
		return e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: a.Access,
			Body: map[string]string{"currentPassword": current, "newPassword": "a whole new passphrase"}})
	}
	for range 3 {
		change("wrong guess!").expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	}
	if r := change(testPassword).expect(t, http.StatusTooManyRequests, "RATE_LIMITED"); r.Header.Get("Retry-After") != "900" {
		t.Fatalf("throttled password change: Retry-After %q, want 900", r.Header.Get("Retry-After"))
	}
	e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": testPassword}).expect(t, http.StatusOK, "")
	e.clock.Advance(15 * time.Minute)
	change(testPassword).expect(t, http.StatusNoContent, "")
}
