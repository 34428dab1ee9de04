package test

import (
	"net/http"
	"testing"
)

// account is a registered user with its latest tokens.
type account struct {
	ID, Email, Password string
	Access, Refresh     string
}

const testPassword = "correct horse battery"

// register creates an account and returns its first tokens.
func (e *env) register(t testing.TB, email string) account {
	t.Helper()
	r := e.post("/v1/auth/register", map[string]string{"email": email, "password": testPassword}).expect(t, http.StatusCreated, "")
	body := r.json(t)
	user, _ := body["user"].(map[string]any)
	id, _ := user["id"].(string)
	return account{ID: id, Email: email, Password: testPassword, Access: r.str(t, "accessToken"), Refresh: r.str(t, "refreshToken")}
}

// login opens a new session for a.
func (e *env) login(t testing.TB, a account) account {
	t.Helper()
	r := e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": a.Password}).expect(t, http.StatusOK, "")
	a.Access, a.Refresh = r.str(t, "accessToken"), r.str(t, "refreshToken")
	return a
}

// refresh spends a.Refresh and returns the response.
func (e *env) refresh(token string) resp {
	return e.post("/v1/auth/refresh", map[string]string{"refreshToken": token})
}
