package test

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// hardening is what every bad request of the battery may use: a victim
// account with genuine tokens, a forger, and a second account whose
// password is exactly 72 bytes.
type hardening struct {
	e      *env
	victim account
	forge  forger
}

// badRequest is one hostile request and the answer the contract promises.
type badRequest struct {
	name   string
	method string
	path   string
	body   any               // string or []byte; JSON Content-Type unless header says otherwise
	header map[string]string // "" deletes
	bearer func(h *hardening) string
	status int
	code   string
}

const longPassword = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567" // 72 bytes

func TestHardeningBattery(t *testing.T) {
	e := newEnv(t, nil)
	victim := e.register(t, "victim@example.com")
	e.post("/v1/auth/register", map[string]string{"email": "long@example.com", "password": longPassword}).expect(t, http.StatusCreated, "")
	h := &hardening{e: e, victim: victim, forge: newForger(t, e, victim.Access)}
	cases := append(append(append(bodyCases(), credentialCases()...), tokenCases()...), append(headerCases(), routeCases()...)...)
	if len(cases) < 60 {
		t.Fatalf("battery has %d cases, want at least 60", len(cases))
	}
	secrets := []string{victim.Access, victim.Refresh, testPassword, longPassword, string(testJWTSecret)}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.send(t, c)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %.300s", r.Status, c.status, r.Body)
			}
			errorShape(t, r, c.code)
			noLeak(t, "error body", string(r.Body), secrets...)
		})
	}
	t.Logf("%d bad requests", len(cases))
	noLeakInInfoLogs(t, e.logs.String(), secrets...)
	// Still serving normally.
	e.login(t, victim)
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: victim.Access}).expect(t, http.StatusOK, "")
}

func (h *hardening) send(t *testing.T, c badRequest) resp {
	var body io.Reader
	switch b := c.body.(type) {
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	case io.Reader:
		body = b
	}
	hr, err := http.NewRequest(c.method, h.e.srv.URL+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if c.bearer != nil {
		hr.Header.Set("Authorization", "Bearer "+c.bearer(h))
	}
	for k, v := range c.header {
		if v == "" {
			hr.Header.Del(k)
			continue
		}
		hr.Header.Set(k, v)
	}
	return h.e.doRaw(hr)
}

// noLeakInInfoLogs checks the log lines below warning level: they may be
// shipped anywhere, so they hold no secret, SQL or stack.
func noLeakInInfoLogs(t *testing.T, logs string, secrets ...string) {
	t.Helper()
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, `"level":"INFO"`) || strings.Contains(line, `"level":"DEBUG"`) {
			noLeak(t, "info log line", line, secrets...)
		}
	}
}

func bodyCases() []badRequest {
	login, register := "/v1/auth/login", "/v1/auth/register"
	over := strings.Repeat("a", 64<<10)
	p := func(name, path string, body any, status int, code string) badRequest {
		return badRequest{name: name, method: http.MethodPost, path: path, body: body, status: status, code: code}
	}
	ct := func(c badRequest, contentType string) badRequest {
		c.header = map[string]string{"Content-Type": contentType}
		return c
	}
	ok := `{"email":"victim@example.com","password":"x"}`
	return []badRequest{
		ct(p("text/plain", login, ok, 415, "UNSUPPORTED_MEDIA_TYPE"), "text/plain"),
		ct(p("no Content-Type", login, ok, 415, "UNSUPPORTED_MEDIA_TYPE"), ""),
		ct(p("form", login, "email=a&password=b", 415, "UNSUPPORTED_MEDIA_TYPE"), "application/x-www-form-urlencoded"),
		ct(p("multipart", register, "--x\r\n\r\n--x--", 415, "UNSUPPORTED_MEDIA_TYPE"), "multipart/form-data; boundary=x"),
		ct(p("latin1 charset", login, ok, 415, "UNSUPPORTED_MEDIA_TYPE"), "application/json; charset=latin1"),
		ct(p("json lookalike type", login, ok, 415, "UNSUPPORTED_MEDIA_TYPE"), "application/jsonp"),
		p("body over 64 KiB", login, `{"email":"`+over+`"}`, 413, "PAYLOAD_TOO_LARGE"),
		p("body of 4 MiB", register, strings.Repeat(" ", 4<<20), 413, "PAYLOAD_TOO_LARGE"),
		p("chunked body over 64 KiB", login, io.MultiReader(strings.NewReader(`{"email":"`), strings.NewReader(over)), 413, "PAYLOAD_TOO_LARGE"),
		p("empty body", login, "", 400, "INVALID_JSON"),
		p("null", login, "null", 400, "INVALID_JSON"),
		p("array", login, `[{"email":"a@b.c"}]`, 400, "INVALID_JSON"),
		p("string", register, `"hello"`, 400, "INVALID_JSON"),
		p("truncated", login, `{"email":"a@b.c"`, 400, "INVALID_JSON"),
		p("trailing object", login, ok+`{}`, 400, "INVALID_JSON"),
		p("trailing garbage", login, ok+` x`, 400, "INVALID_JSON"),
		p("role at registration", register, `{"email":"mallory@example.com","password":"`+testPassword+`","role":"admin"}`, 400, "INVALID_JSON"),
		p("id at registration", register, `{"email":"mallory@example.com","password":"`+testPassword+`","id":"1"}`, 400, "INVALID_JSON"),
		p("case-variant member", register, `{"EMAIL":"mallory@example.com","password":"`+testPassword+`"}`, 400, "INVALID_JSON"),
		p("duplicate member", login, `{"email":"nobody@example.com","email":"victim@example.com","password":"x"}`, 400, "INVALID_JSON"),
		p("email as number", login, `{"email":42,"password":"x"}`, 400, "INVALID_JSON"),
		p("password as array", login, `{"email":"victim@example.com","password":["x"]}`, 400, "INVALID_JSON"),
		p("NoSQL operator email", login, `{"email":{"$gt":""},"password":"x"}`, 400, "INVALID_JSON"),
		p("NoSQL operator password", login, `{"email":"victim@example.com","password":{"$ne":null}}`, 400, "INVALID_JSON"),
		p("invalid UTF-8", register, []byte("{\"email\":\"a\xff@b.c\",\"password\":\"x\"}"), 400, "INVALID_JSON"),
		p("byte order mark", login, "\ufeff"+ok, 400, "INVALID_JSON"),
		p("comment", login, `{/* c */"email":"a@b.c"}`, 400, "INVALID_JSON"),
		p("single quotes", login, `{'email':'a@b.c'}`, 400, "INVALID_JSON"),
		p("deep nesting", login, `{"email":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}`, 400, "INVALID_JSON"),
		p("huge number", login, `{"email":1e999}`, 400, "INVALID_JSON"),
		p("refresh token as number", "/v1/auth/refresh", `{"refreshToken":123}`, 400, "INVALID_JSON"),
		p("NUL bytes", login, []byte{0, 0, 0, 0}, 400, "INVALID_JSON"),
	}
}

func credentialCases() []badRequest {
	login, register := "/v1/auth/login", "/v1/auth/register"
	cred := func(email, password string) string {
		return `{"email":` + quote(email) + `,"password":` + quote(password) + `}`
	}
	p := func(name, path, body string, status int, code string) badRequest {
		return badRequest{name: name, method: http.MethodPost, path: path, body: body, status: status, code: code}
	}
	return []badRequest{
		p("missing email", register, `{"password":"`+testPassword+`"}`, 400, "VALIDATION_FAILED"),
		p("missing password", register, `{"email":"new@example.com"}`, 400, "VALIDATION_FAILED"),
		p("login missing password", login, `{"email":"victim@example.com"}`, 400, "VALIDATION_FAILED"),
		p("SQL injection email", login, cred("' OR '1'='1", "x"), 400, "VALIDATION_FAILED"),
		p("SQL comment in domain", register, cred("admin@example.com'--", testPassword), 400, "VALIDATION_FAILED"),
		p("SQL union email", login, cred("a@b.c' UNION SELECT password_hash FROM users--", "x"), 400, "VALIDATION_FAILED"),
		p("NUL in email", register, cred("new\x00@example.com", testPassword), 400, "VALIDATION_FAILED"),
		p("CRLF in email", register, cred("new@example.com\r\nBcc: x@example.com", testPassword), 400, "VALIDATION_FAILED"),
		p("display name", register, cred("New <new@example.com>", testPassword), 400, "VALIDATION_FAILED"),
		p("zero-width space", register, cred("vic\u200btim@example.com", testPassword), 400, "VALIDATION_FAILED"),
		p("email of 255 bytes", register, cred(strings.Repeat("a", 64)+"@"+strings.Repeat("b", 186)+".com", testPassword), 400, "VALIDATION_FAILED"),
		p("bad transport", login, `{"email":"victim@example.com","password":"`+testPassword+`","transport":"query"}`, 400, "VALIDATION_FAILED"),
		p("password of 7", register, cred("new@example.com", "1234567"), 400, "PASSWORD_TOO_SHORT"),
		p("password of 7 emoji (28 bytes)", register, cred("new@example.com", strings.Repeat("😀", 7)), 400, "PASSWORD_TOO_SHORT"),
		p("password of 73 bytes", register, cred("new@example.com", longPassword+"x"), 400, "PASSWORD_TOO_LONG"),
		p("password of 37 umlauts (74 bytes)", register, cred("new@example.com", strings.Repeat("ä", 37)), 400, "PASSWORD_TOO_LONG"),
		p("unknown email", login, cred("nobody@example.com", testPassword), 401, "INVALID_CREDENTIALS"),
		p("wrong password", login, cred("victim@example.com", testPassword+"!"), 401, "INVALID_CREDENTIALS"),
		p("SQL injection password", login, cred("victim@example.com", "' OR '1'='1' --"), 401, "INVALID_CREDENTIALS"),
		p("72-byte password plus one", login, cred("long@example.com", longPassword+"x"), 401, "INVALID_CREDENTIALS"),
		p("password of 10 KiB", login, cred("victim@example.com", strings.Repeat("p", 10<<10)), 401, "INVALID_CREDENTIALS"),
		p("email taken, other case", register, cred("VICTIM@example.com", testPassword), 409, "EMAIL_TAKEN"),
		p("refresh: no token", "/v1/auth/refresh", `{}`, 400, "REFRESH_TOKEN_REQUIRED"),
		p("refresh: garbage", "/v1/auth/refresh", `{"refreshToken":"garbage"}`, 401, "REFRESH_TOKEN_INVALID"),
		p("refresh: SQL", "/v1/auth/refresh", `{"refreshToken":"' OR 1=1; DROP TABLE sessions;--"}`, 401, "REFRESH_TOKEN_INVALID"),
		p("refresh: forged MAC", "/v1/auth/refresh", `{"refreshToken":"rt1.`+strings.Repeat("A", 75)+`"}`, 401, "REFRESH_TOKEN_INVALID"),
		p("refresh: 60 KiB token", "/v1/auth/refresh", `{"refreshToken":"`+strings.Repeat("A", 60<<10)+`"}`, 401, "REFRESH_TOKEN_INVALID"),
	}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			b.WriteString(`\u00` + string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&0xf]))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tokenCases are forged or misused access tokens on a Bearer route.
func tokenCases() []badRequest {
	me := func(name string, code string, token func(h *hardening, t testing.TB) string) badRequest {
		return badRequest{name: name, method: http.MethodGet, path: "/v1/auth/me", status: 401, code: code,
			bearer: func(h *hardening) string { return token(h, h.e.t) }}
	}
	claim := func(name string, edit map[string]any) badRequest {
		return me(name, "TOKEN_INVALID", func(h *hardening, t testing.TB) string { return h.forge.hs256(t, edit, nil) })
	}
	head := func(name string, edit map[string]any) badRequest {
		return me(name, "TOKEN_INVALID", func(h *hardening, t testing.TB) string { return h.forge.hs256(t, nil, edit) })
	}
	attacker := []byte("attacker-secret-0123456789abcdefghijklmnop")
	with := func(method gojwt.SigningMethod, key any, header map[string]any) func(h *hardening, t testing.TB) string {
		return func(h *hardening, t testing.TB) string { return h.forge.mint(t, method, key, nil, header) }
	}
	return []badRequest{
		me("alg none", "TOKEN_INVALID", func(h *hardening, t testing.TB) string { return h.forge.unsigned(t) }),
		me("alg HS384", "TOKEN_INVALID", with(gojwt.SigningMethodHS384, testJWTSecret, nil)),
		me("alg HS512", "TOKEN_INVALID", with(gojwt.SigningMethodHS512, testJWTSecret, nil)),
		me("wrong secret", "TOKEN_INVALID", with(gojwt.SigningMethodHS256, attacker, nil)),
		me("attacker key in jwk header", "TOKEN_INVALID", with(gojwt.SigningMethodHS256, attacker,
			map[string]any{"jwk": map[string]any{"kty": "oct", "k": "YXR0YWNrZXItc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWZnaGlqa2xtbm9w"}})),
		me("attacker jku", "TOKEN_INVALID", with(gojwt.SigningMethodHS256, attacker, map[string]any{"jku": "https://evil.example/jwks.json"})),
		me("attacker x5u", "TOKEN_INVALID", with(gojwt.SigningMethodHS256, attacker, map[string]any{"x5u": "https://evil.example/cert.pem"})),
		head("unknown kid", map[string]any{"kid": "not-a-key"}),
		head("no kid", map[string]any{"kid": nil}),
		head("kid path traversal", map[string]any{"kid": "../../../../dev/null"}),
		head("no typ", map[string]any{"typ": nil}),
		head("typ JWT", map[string]any{"typ": "JWT"}),
		head("typ of a refresh token", map[string]any{"typ": "rt+jwt"}),
		claim("no exp", map[string]any{"exp": nil}),
		claim("no iss", map[string]any{"iss": nil}),
		claim("wrong iss", map[string]any{"iss": "evil"}),
		claim("no aud", map[string]any{"aud": nil}),
		claim("wrong aud", map[string]any{"aud": "other-service"}),
		claim("no sub", map[string]any{"sub": nil}),
		claim("empty sub", map[string]any{"sub": ""}),
		me("nbf beyond the skew", "TOKEN_INVALID", func(h *hardening, t testing.TB) string {
			return h.forge.hs256(t, map[string]any{"nbf": h.forge.at(2 * time.Minute)}, nil)
		}),
		me("iat beyond the skew", "TOKEN_INVALID", func(h *hardening, t testing.TB) string {
			return h.forge.hs256(t, map[string]any{"iat": h.forge.at(2 * time.Minute)}, nil)
		}),
		me("expired beyond the skew", "TOKEN_EXPIRED", func(h *hardening, t testing.TB) string {
			return h.forge.hs256(t, map[string]any{"exp": h.forge.at(-time.Minute)}, nil)
		}),
		me("signature stripped", "TOKEN_INVALID", func(h *hardening, _ testing.TB) string {
			return h.victim.Access[:strings.LastIndexByte(h.victim.Access, '.')+1]
		}),
		me("signature tampered", "TOKEN_INVALID", func(h *hardening, _ testing.TB) string { return tamperSignature(h.victim.Access) }),
		me("signature's last character non-canonical", "TOKEN_INVALID", func(h *hardening, t testing.TB) string {
			return nonCanonicalLast(t, h.victim.Access)
		}),
		head("crit header", map[string]any{"crit": []string{"exp"}}),
		head("b64 header", map[string]any{"b64": false}),
		me("four segments", "TOKEN_INVALID", func(h *hardening, _ testing.TB) string { return h.victim.Access + ".x" }),
		me("refresh token as access token", "TOKEN_INVALID", func(h *hardening, _ testing.TB) string { return h.victim.Refresh }),
		me("garbage", "TOKEN_INVALID", func(*hardening, testing.TB) string { return "eyJ.garbage.x" }),
		{name: "access token as refresh token", method: http.MethodPost, path: "/v1/auth/refresh", status: 401, code: "REFRESH_TOKEN_INVALID",
			body: `{"refreshToken":"` + "eyJhbGciOiJIUzI1NiJ9.e30.x" + `"}`},
	}
}

// tamperSignature changes the signature's first character, all six of whose
// bits are signature bits, so the decoded signature always changes.
func tamperSignature(token string) string {
	i := strings.LastIndexByte(token, '.') + 1
	c := byte('A')
	if token[i] == 'A' {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}

// nonCanonicalLast sets an unused trailing bit in the token's last
// character: a lenient base64 decoder reads the same signature bytes.
func nonCanonicalLast(t testing.TB, token string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, token[len(token)-1])
	twin := token[:len(token)-1] + string(alphabet[i|1])
	sig := func(s string) []byte {
		b, _ := base64.RawURLEncoding.DecodeString(s[strings.LastIndexByte(s, '.')+1:])
		return b
	}
	if i&1 != 0 || !bytes.Equal(sig(twin), sig(token)) {
		t.Fatalf("no non-canonical twin for the last character of %q", token)
	}
	return twin
}

// headerCases are Authorization headers that are not exactly "Bearer <token>".
func headerCases() []badRequest {
	auth := func(name, value, code string) badRequest {
		return badRequest{name: name, method: http.MethodGet, path: "/v1/auth/me", status: 401, code: code,
			header: map[string]string{"Authorization": value}}
	}
	return []badRequest{
		{name: "no Authorization", method: http.MethodGet, path: "/v1/auth/me", status: 401, code: "TOKEN_MISSING"},
		auth("scheme only", "Bearer", "TOKEN_MALFORMED"),
		auth("scheme and space", "Bearer ", "TOKEN_MALFORMED"),
		auth("two spaces", "Bearer  abc.def.ghi", "TOKEN_MALFORMED"),
		auth("tab", "Bearer\tabc.def.ghi", "TOKEN_MALFORMED"),
		auth("trailing word", "Bearer abc.def.ghi extra", "TOKEN_MALFORMED"),
		auth("Basic", "Basic dmljdGltOnBhc3N3b3Jk", "TOKEN_MALFORMED"),
		auth("Token scheme", "Token abc.def.ghi", "TOKEN_MALFORMED"),
		auth("Bearer without space", "Bearerabc.def.ghi", "TOKEN_MALFORMED"),
		auth("token over 8 KiB", "Bearer "+strings.Repeat("a", 9<<10), "TOKEN_MALFORMED"),
		auth("header of 24 KiB", "Bearer "+strings.Repeat("a", 24<<10), "TOKEN_MALFORMED"),
		auth("non-ASCII token", "Bearer t\xf6ken", "TOKEN_INVALID"),
		{name: "token in the query", method: http.MethodGet, path: "/v1/auth/me?access_token=eyJ.x.y", status: 401, code: "TOKEN_MISSING"},
		{name: "token in a cookie", method: http.MethodGet, path: "/v1/auth/me", status: 401, code: "TOKEN_MISSING",
			header: map[string]string{"Cookie": "access_token=eyJ.x.y; authd_refresh=rt1.x"}},
	}
}

// routeCases are unknown routes and wrong methods.
func routeCases() []badRequest {
	r := func(method, path string, status int, code string) badRequest {
		return badRequest{name: method + " " + path, method: method, path: path, status: status, code: code}
	}
	return []badRequest{
		r(http.MethodGet, "/nope", 404, "NOT_FOUND"),
		r(http.MethodGet, "/v1/auth/nope", 404, "NOT_FOUND"),
		r(http.MethodGet, "/V1/AUTH/ME", 404, "NOT_FOUND"),
		r(http.MethodGet, "/v1/auth/../../etc/passwd", 404, "NOT_FOUND"),
		r(http.MethodGet, "/v1/auth/%00", 404, "NOT_FOUND"),
		r(http.MethodGet, "/v1/auth/login", 405, "METHOD_NOT_ALLOWED"),
		r(http.MethodPut, "/v1/auth/register", 405, "METHOD_NOT_ALLOWED"),
		r(http.MethodDelete, "/v1/auth/me", 405, "METHOD_NOT_ALLOWED"),
		r(http.MethodPost, "/v1/auth/me", 405, "METHOD_NOT_ALLOWED"),
		r(http.MethodPatch, "/v1/auth/refresh", 405, "METHOD_NOT_ALLOWED"),
		{name: "DELETE another's session, SQL id", method: http.MethodDelete, path: "/v1/auth/sessions/1%27%20OR%20%271%27=%271",
			status: 404, code: "NOT_FOUND", bearer: func(h *hardening) string { return h.victim.Access }},
		{name: "admin route as user", method: http.MethodGet, path: "/v1/admin/users", status: 403, code: "INSUFFICIENT_ROLE",
			bearer: func(h *hardening) string { return h.victim.Access }},
		{name: "password change with unknown member", method: http.MethodPost, path: "/v1/auth/password", status: 400, code: "INVALID_JSON",
			body: `{"currentPassword":"x","newPassword":"yyyyyyyy","role":"admin"}`, bearer: func(h *hardening) string { return h.victim.Access }},
	}
}
