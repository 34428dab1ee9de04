package test

import (
	"net/http"
	"testing"
)

// Client addresses of the lockout tests; the test server trusts 127.0.0.1
// as a proxy, so X-Forwarded-For names the client.
const (
	attackerAddr = "203.0.113.66"
	victimAddr   = "198.51.100.7"
	laterAddr    = "192.0.2.40"
)

// lockoutEnv is a backend's env behind a trusted proxy, with overrides.
func lockoutEnv(overrides map[string]string) map[string]string {
	vars := map[string]string{"AUTHD_TRUSTED_PROXIES": "127.0.0.1/32"}
	for k, v := range overrides {
		vars[k] = v
	}
	return vars
}

// attempt is one login: who sends it, from where, with which device token.
type attempt struct {
	email, password, addr string
	deviceToken           string // in the body; "" sends none
	deviceCookie          string // as the authd_device cookie; "" sends none
	transport             string
}

func (e *env) try(a attempt) resp {
	e.t.Helper()
	body := map[string]string{"email": a.email, "password": a.password}
	if a.deviceToken != "" {
		body["deviceToken"] = a.deviceToken
	}
	if a.transport != "" {
		body["transport"] = a.transport
	}
	header := map[string]string{"X-Forwarded-For": a.addr}
	if a.deviceCookie != "" {
		header["Cookie"] = "authd_device=" + a.deviceCookie
	}
	return e.do(req{Method: http.MethodPost, Path: "/v1/auth/login", Header: header, Body: body})
}

// failFrom sends n wrong passwords for email from addr, each refused as a
// wrong password (not yet throttled).
func (e *env) failFrom(t testing.TB, email, addr string, n int) {
	t.Helper()
	for i := range n {
		r := e.try(attempt{email: email, password: "wrong password", addr: addr})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("guess %d of %d from %s: status %d, want 401: %s", i+1, n, addr, r.Status, r.Body)
		}
	}
}

// deviceToken returns the body's deviceToken, failing when there is none.
func deviceToken(t testing.TB, r resp) string {
	t.Helper()
	tok := r.str(t, "deviceToken")
	if tok == "" {
		t.Fatalf("no deviceToken in %s", r.Body)
	}
	return tok
}

// deviceCookie returns the authd_device cookie a response sets.
func deviceCookie(t testing.TB, r resp) *http.Cookie {
	t.Helper()
	for _, line := range r.Header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("unparseable Set-Cookie %q: %v", line, err)
		}
		if c.Name == "authd_device" {
			return c
		}
	}
	t.Fatalf("no authd_device cookie set; headers: %v", r.Header)
	return nil
}
