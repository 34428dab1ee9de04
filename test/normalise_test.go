package test

import (
	"context"
	"net/http"
	"testing"
)

// userEmail returns the email of the user object in a register or admin
// create response.
func userEmail(t testing.TB, r resp) string {
	t.Helper()
	if u, ok := r.json(t)["user"].(map[string]any); ok {
		email, _ := u["email"].(string)
		return email
	}
	email, _ := r.json(t)["email"].(string)
	return email
}

// me returns the id and email the access token's user has.
func (e *env) me(t testing.TB, access string) (string, string) {
	t.Helper()
	r := e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: access}).expect(t, http.StatusOK, "")
	return r.str(t, "id"), r.str(t, "email")
}

// TestEmailSpellingsAreOneAccount: NFC and NFD spellings, upper and lower
// case, and the Unicode and punycode forms of a domain reach one account,
// stored and returned in NFC, lower case, with a Unicode domain.
func TestEmailSpellingsAreOneAccount(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		const jose = "jos\u00e9@example.com"
		reg := e.post("/v1/auth/register", map[string]string{"email": "  JOSE\u0301@Example.COM ", "password": testPassword}).
			expect(t, http.StatusCreated, "")
		if got := userEmail(t, reg); got != jose {
			t.Fatalf("registered email %q, want %q", got, jose)
		}
		regID, _ := e.me(t, reg.str(t, "accessToken"))
		in := e.post("/v1/auth/login", map[string]string{"email": jose, "password": testPassword}).expect(t, http.StatusOK, "")
		if id, email := e.me(t, in.str(t, "accessToken")); id != regID || email != jose {
			t.Fatalf("NFC login reached user %s <%s>, want %s <%s>", id, email, regID, jose)
		}
		e.post("/v1/auth/register", map[string]string{"email": jose, "password": testPassword}).
			expect(t, http.StatusConflict, "EMAIL_TAKEN")

		const bob = "bob@ex\u00e1mple.com"
		reg = e.post("/v1/auth/register", map[string]string{"email": "bob@xn--exmple-qta.com", "password": testPassword}).
			expect(t, http.StatusCreated, "")
		if got := userEmail(t, reg); got != bob {
			t.Fatalf("registered email %q, want %q", got, bob)
		}
		for _, spelling := range []string{bob, "BOB@EXA\u0301MPLE.COM", "bob@XN--EXMPLE-QTA.COM"} {
			e.post("/v1/auth/register", map[string]string{"email": spelling, "password": testPassword}).
				expect(t, http.StatusConflict, "EMAIL_TAKEN")
		}
		bobID, _ := e.me(t, reg.str(t, "accessToken"))
		in = e.post("/v1/auth/login", map[string]string{"email": "Bob@Exa\u0301mple.com", "password": testPassword}).
			expect(t, http.StatusOK, "")
		if id, email := e.me(t, in.str(t, "accessToken")); id != bobID || email != bob {
			t.Fatalf("NFD login reached user %s <%s>, want %s <%s>", id, email, bobID, bob)
		}

		admin := e.newAdmin(t, "admin@xn--exmple-qta.com")
		if _, email := e.me(t, admin.Access); email != "admin@ex\u00e1mple.com" {
			t.Fatalf("admin created through the CLI path has email %q", email)
		}
		created := e.do(req{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: admin.Access,
			Body: map[string]string{"email": "Carol@XN--EXMPLE-QTA.com", "password": testPassword}}).expect(t, http.StatusCreated, "")
		if got := userEmail(t, created); got != "carol@ex\u00e1mple.com" {
			t.Fatalf("admin-created email %q", got)
		}
		e.do(req{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: admin.Access,
			Body: map[string]string{"email": "jose\u0301@example.com", "password": testPassword}}).expect(t, http.StatusConflict, "EMAIL_TAKEN")
	})
}

// TestEmailWithAnInvalidDomainIsRefused: a domain that is not a valid
// internationalised name is a validation error, at register and login.
func TestEmailWithAnInvalidDomainIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	for _, email := range []string{"bob@xn--a.com", "bob@xn--bob-.com", "bob@exa_mple.com"} {
		for _, path := range []string{"/v1/auth/register", "/v1/auth/login"} {
			e.post(path, map[string]string{"email": email, "password": testPassword}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		}
	}
	if _, err := e.app.CreateUser(context.Background(), "root@xn--a.com", testPassword, "admin"); err == nil {
		t.Fatal("CreateUser accepted an invalid domain")
	}
}

// TestLoneSurrogatePasswordIsRefused: a JSON password with an unpaired
// surrogate escape decodes to U+FFFD, like every other one would; it is
// refused where a password is set and is a wrong password at login.
func TestLoneSurrogatePasswordIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.post("/v1/auth/register", `{"email":"lone@example.com","password":"correct horse \ud800 battery"}`).
		expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	e.post("/v1/auth/login", `{"email":"lone@example.com","password":"correct horse \ud800 battery"}`).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")

	a := e.register(t, "pair@example.com")
	e.post("/v1/auth/login", `{"email":"pair@example.com","password":"correct horse battery\udc00"}`).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: a.Access,
		Body: `{"currentPassword":"correct horse battery","newPassword":"another \udfff passphrase"}`}).
		expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	e.login(t, a) // the password is unchanged

	admin := e.newAdmin(t, "admin@example.com")
	e.do(req{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: admin.Access,
		Body: `{"email":"made@example.com","password":"correct horse \ud83d battery"}`}).
		expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
}
