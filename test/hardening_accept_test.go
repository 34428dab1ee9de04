package test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The battery's controls: what the verifier must still accept, so that
// refusals above are for the stated reason and not for anything.
func TestVerifierAcceptsWithinTheRules(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "a@example.com")
	f := newForger(t, e, a.Access)
	cases := map[string]string{
		"scheme lower case":             "bearer " + a.Access,
		"scheme upper case":             "BEARER " + a.Access,
		"re-signed with the secret":     "Bearer " + f.hs256(t, nil, nil),
		"nbf within the skew":           "Bearer " + f.hs256(t, map[string]any{"nbf": f.at(20 * time.Second)}, nil),
		"iat within the skew":           "Bearer " + f.hs256(t, map[string]any{"iat": f.at(20 * time.Second)}, nil),
		"expired within the skew":       "Bearer " + f.hs256(t, map[string]any{"exp": f.at(-20 * time.Second)}, nil),
		"jku, x5u and jwk are not used": "Bearer " + f.hs256(t, nil, map[string]any{"jku": "https://evil.example/", "x5u": "https://evil.example/", "jwk": map[string]any{"kty": "oct", "k": "AA"}}),
	}
	for name, header := range cases {
		t.Run(name, func(t *testing.T) {
			e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Header: map[string]string{"Authorization": header}}).expect(t, http.StatusOK, "")
		})
	}
	// Time moves: the genuine token expires once past exp plus the skew.
	e.clock.Advance(15*time.Minute + 31*time.Second)
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusUnauthorized, "TOKEN_EXPIRED")
}

// Two Authorization headers are ambiguous: refused, whichever is valid.
func TestTwoAuthorizationHeaders(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "a@example.com")
	hr, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/auth/me", nil)
	hr.Header.Add("Authorization", "Bearer "+a.Access)
	hr.Header.Add("Authorization", "Bearer "+a.Access)
	r := e.doRaw(hr).expect(t, http.StatusUnauthorized, "TOKEN_MALFORMED")
	if !strings.Contains(r.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("WWW-Authenticate = %q", r.Header.Get("WWW-Authenticate"))
	}
}

// Headers past the server's 32 KiB limit are refused by net/http before
// any handler runs (so not in the API's JSON shape: the plain client, not
// the spec-checked one). The service keeps serving.
func TestOversizedHeadersRefusedFast(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "a@example.com")
	hr, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/auth/me", nil)
	hr.Header.Set("Authorization", "Bearer "+strings.Repeat("a", 64<<10))
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d: %.200s", res.StatusCode, body)
	}
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
}
