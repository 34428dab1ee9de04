package test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// newAdmin creates an admin the way the CLI does and logs it in.
func (e *env) newAdmin(t testing.TB, email string) account {
	t.Helper()
	u, err := e.app.Operator.ProvisionUser(context.Background(), email, testPassword, "admin", "test")
	if err != nil {
		t.Fatalf("create admin: %v", err)
	}
	return e.login(t, account{ID: u.ID(), Email: email, Password: testPassword})
}

// roleClaim reads the role claim of an access token (no verification:
// the service already verified it; this only looks inside).
func roleClaim(t testing.TB, token string) string {
	t.Helper()
	seg := strings.Split(token, ".")
	if len(seg) != 3 {
		t.Fatalf("token has %d segments", len(seg))
	}
	raw, err := base64.RawURLEncoding.DecodeString(seg[1])
	if err != nil {
		t.Fatalf("claims: %v", err)
	}
	var claims struct{ Role string }
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatalf("claims: %v", err)
	}
	return claims.Role
}

type usersPage struct {
	Users []struct {
		ID, Email, Role, CreatedAt string
	}
	NextCursor *string
}

func (e *env) listUsers(t testing.TB, access, query string) usersPage {
	t.Helper()
	r := e.do(req{Method: http.MethodGet, Path: "/v1/admin/users" + query, Bearer: access}).expect(t, http.StatusOK, "")
	var page usersPage
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatalf("users page: %v: %s", err, r.Body)
	}
	return page
}

func TestAdminListUsersPages(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "admin@example.com")
		for i := range 7 {
			e.register(t, fmt.Sprintf("u%d@example.com", i))
		}
		var ids []string
		var sizes []int
		cursor := ""
		for range 10 {
			q := "?limit=3"
			if cursor != "" {
				q += "&cursor=" + cursor
			}
			page := e.listUsers(t, admin.Access, q)
			sizes = append(sizes, len(page.Users))
			for _, u := range page.Users {
				if len(ids) > 0 && u.ID <= ids[len(ids)-1] {
					t.Fatalf("ids not strictly ascending across pages: %s after %s", u.ID, ids[len(ids)-1])
				}
				ids = append(ids, u.ID)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		if fmt.Sprint(sizes) != "[3 3 2]" || len(ids) != 8 {
			t.Fatalf("page sizes %v, %d users; want [3 3 2] and 8", sizes, len(ids))
		}
		if all := e.listUsers(t, admin.Access, ""); len(all.Users) != 8 || all.NextCursor != nil {
			t.Fatalf("default page: %d users, next %v", len(all.Users), all.NextCursor)
		}
		e.listUsers(t, admin.Access, "?limit=200")
		for _, q := range []string{"?limit=0", "?limit=201", "?limit=-1", "?limit=x", "?cursor=nope"} {
			e.do(req{Method: http.MethodGet, Path: "/v1/admin/users" + q, Bearer: admin.Access}).
				expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		}
		user := e.login(t, account{Email: "u0@example.com", Password: testPassword})
		e.do(req{Method: http.MethodGet, Path: "/v1/admin/users", Bearer: user.Access}).expect(t, http.StatusForbidden, "INSUFFICIENT_ROLE")
		e.do(req{Method: http.MethodGet, Path: "/v1/admin/users"}).expect(t, http.StatusUnauthorized, "TOKEN_MISSING")
	})
}

func TestAdminChangeRole(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "admin@example.com")
		u := e.register(t, "u@example.com")
		patch := func(id string, body any) resp {
			return e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + id, Bearer: admin.Access, Body: body})
		}
		got := patch(u.ID, map[string]string{"role": "editor"}).expect(t, http.StatusOK, "").json(t)
		if got["role"] != "editor" || got["id"] != u.ID || got["email"] != u.Email {
			t.Fatalf("patched user = %v", got)
		}
		if role := roleClaim(t, e.refresh(u.Refresh).expect(t, http.StatusOK, "").str(t, "accessToken")); role != "editor" {
			t.Fatalf("refreshed token role = %q, want editor", role)
		}
		patch(u.ID, map[string]string{"role": "Editor!"}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		patch(u.ID, map[string]string{}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		patch(u.ID, map[string]string{"role": "user", "email": "x@example.com"}).expect(t, http.StatusBadRequest, "INVALID_JSON")
		patch("3f1c2a9e-0000-4000-8000-000000000000", map[string]string{"role": "user"}).expect(t, http.StatusNotFound, "NOT_FOUND")
		patch("nope", map[string]string{"role": "user"}).expect(t, http.StatusNotFound, "NOT_FOUND")
		e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + admin.ID, Bearer: u.Access, Body: map[string]string{"role": "user"}}).
			expect(t, http.StatusForbidden, "INSUFFICIENT_ROLE")
	})
}

func TestAdminDeleteUserEndsSessions(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		admin := e.newAdmin(t, "admin@example.com")
		u := e.register(t, "u@example.com")
		second := e.login(t, u)
		del := func(id string) resp {
			return e.do(req{Method: http.MethodDelete, Path: "/v1/admin/users/" + id, Bearer: admin.Access})
		}
		del(u.ID).expect(t, http.StatusNoContent, "")
		e.refresh(u.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.refresh(second.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: u.Access}).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
		del(u.ID).expect(t, http.StatusNotFound, "NOT_FOUND")
		if page := e.listUsers(t, admin.Access, ""); len(page.Users) != 1 {
			t.Fatalf("users after delete: %+v", page.Users)
		}
	})
}

func TestLastAdminIsKept(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		first := e.newAdmin(t, "first@example.com")
		self := "/v1/admin/users/" + first.ID
		demote := map[string]string{"role": "user"}
		e.do(req{Method: http.MethodPatch, Path: self, Bearer: first.Access, Body: demote}).expect(t, http.StatusConflict, "LAST_ADMIN")
		e.do(req{Method: http.MethodDelete, Path: self, Bearer: first.Access}).expect(t, http.StatusConflict, "LAST_ADMIN")

		// With a second admin, the first may step down; then the second is the last.
		u := e.register(t, "second@example.com")
		e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + u.ID, Bearer: first.Access,
			Body: map[string]string{"role": "admin"}}).expect(t, http.StatusOK, "")
		e.do(req{Method: http.MethodPatch, Path: self, Bearer: first.Access, Body: demote}).expect(t, http.StatusOK, "")
		second := e.login(t, u)
		e.do(req{Method: http.MethodDelete, Path: "/v1/admin/users/" + u.ID, Bearer: second.Access}).expect(t, http.StatusConflict, "LAST_ADMIN")
		e.do(req{Method: http.MethodPatch, Path: "/v1/admin/users/" + u.ID, Bearer: second.Access,
			Body: map[string]string{"role": "editor"}}).expect(t, http.StatusConflict, "LAST_ADMIN")
		e.do(req{Method: http.MethodDelete, Path: self, Bearer: second.Access}).expect(t, http.StatusNoContent, "")
	})
}

func TestRegistrationClosed(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_REGISTRATION": "closed"}, func(t *testing.T, e *env) {
		e.post("/v1/auth/register", map[string]string{"email": "x@example.com", "password": testPassword}).
			expect(t, http.StatusForbidden, "REGISTRATION_CLOSED")
		admin := e.newAdmin(t, "admin@example.com") // the CLI's path still works
		create := func(access string, body any) resp {
			return e.do(req{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: access, Body: body})
		}
		got := create(admin.Access, map[string]string{"email": " New@Example.com", "password": testPassword}).
			expect(t, http.StatusCreated, "").json(t)
		if got["email"] != "new@example.com" || got["role"] != "user" || got["id"] == "" {
			t.Fatalf("created user = %v", got)
		}
		created := e.login(t, account{Email: "new@example.com", Password: testPassword})
		ed := create(admin.Access, map[string]string{"email": "ed@example.com", "password": testPassword, "role": "editor"}).
			expect(t, http.StatusCreated, "").json(t)
		if ed["role"] != "editor" {
			t.Fatalf("created with role: %v", ed)
		}
		create(admin.Access, map[string]string{"email": "new@example.com", "password": testPassword}).expect(t, http.StatusConflict, "EMAIL_TAKEN")
		create(admin.Access, map[string]string{"email": "s@example.com", "password": "short"}).expect(t, http.StatusBadRequest, "PASSWORD_TOO_SHORT")
		create(admin.Access, map[string]string{"email": "r@example.com", "password": testPassword, "role": "Root"}).
			expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		create(created.Access, map[string]string{"email": "y@example.com", "password": testPassword}).
			expect(t, http.StatusForbidden, "INSUFFICIENT_ROLE")
	})
}
