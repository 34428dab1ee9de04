package test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// The secret of testEnv, which forged tokens are (or are not) signed with.
var testJWTSecret = []byte("test-jwt-secret-0123456789abcdefghijklmnop")

// forger mints access tokens the way an attacker with (or without) the
// secret would, starting from the claims and header of a genuine token.
type forger struct {
	kid    string
	claims gojwt.MapClaims // a genuine token's claims
	now    time.Time
}

func newForger(t testing.TB, e *env, access string) forger {
	t.Helper()
	parts := strings.Split(access, ".")
	var h map[string]any
	raw, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatalf("header of a genuine token: %v", err)
	}
	claims := gojwt.MapClaims{}
	if _, _, err := gojwt.NewParser().ParseUnverified(access, claims); err != nil {
		t.Fatal(err)
	}
	kid, _ := h["kid"].(string)
	return forger{kid: kid, claims: claims, now: e.clock.Now()}
}

// mint signs the genuine claims with edits applied (nil deletes a claim)
// and header edits (nil deletes), using method and key.
func (f forger) mint(t testing.TB, method gojwt.SigningMethod, key any, claims, header map[string]any) string {
	t.Helper()
	c := gojwt.MapClaims{}
	for k, v := range f.claims {
		c[k] = v
	}
	apply(c, claims)
	tok := gojwt.NewWithClaims(method, c)
	tok.Header["typ"], tok.Header["kid"] = "at+jwt", f.kid
	apply(tok.Header, header)
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("forge: %v", err)
	}
	return s
}

func apply(m map[string]any, edits map[string]any) {
	for k, v := range edits {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
}

// hs256 mints with the real secret: the only thing wrong is the edit.
func (f forger) hs256(t testing.TB, claims, header map[string]any) string {
	return f.mint(t, gojwt.SigningMethodHS256, testJWTSecret, claims, header)
}

// at is a NumericDate offset from the forger's now.
func (f forger) at(d time.Duration) int64 { return f.now.Add(d).Unix() }

// unsigned is a token with alg none, as an attacker would send it.
func (f forger) unsigned(t testing.TB) string {
	return f.mint(t, gojwt.SigningMethodNone, gojwt.UnsafeAllowNoneSignatureType, nil, nil)
}

// doRaw sends hr through the observed client (multi-valued headers, odd
// bodies) and reads the answer.
func (e *env) doRaw(hr *http.Request) resp {
	e.t.Helper()
	res, err := e.client.Do(hr)
	if err != nil {
		e.t.Fatalf("%s %s: %v", hr.Method, hr.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read body: %v", err)
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// leaks are fragments no error body (or info log line) may contain.
var leaks = []string{
	"select ", "insert ", "update ", "delete from", "sqlite", "gorm", "sql:", "pgx", "mysql",
	"$2a$", "$2b$", "goroutine", "panic", "runtime/", ".go:", "eyj", "rt1.", "stack",
}

// noLeak fails if body holds a leak fragment or one of the secrets.
func noLeak(t testing.TB, what, body string, secrets ...string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, l := range leaks {
		if strings.Contains(lower, l) {
			t.Errorf("%s contains %q: %.300s", what, l, body)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(body, s) {
			t.Errorf("%s contains a secret (%.12s…): %.300s", what, s, body)
		}
	}
}

// errorShape fails unless body is exactly {"error": <non-empty>, "code": code}.
func errorShape(t testing.TB, r resp, code string) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("error body is not JSON: %v: %.200s", err, r.Body)
	}
	msg, _ := m["error"].(string)
	if len(m) != 2 || msg == "" || m["code"] != code {
		t.Errorf("error body %s, want {error, code: %s}", r.Body, code)
	}
}
