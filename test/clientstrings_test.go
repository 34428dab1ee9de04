package test

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authd-dev/authd/test/backends"
)

// TestClientStringsStoredAsValidUTF8: a User-Agent with invalid UTF-8 or
// longer than the column is no reason for a 5xx on any backend. It is
// stored with invalid bytes replaced by U+FFFD and cut at a character
// boundary, at most 512 bytes.
func TestClientStringsStoredAsValidUTF8(t *testing.T) {
	cases := []struct{ name, sent, stored string }{
		{"register", "\xff\xfe agent/1 \xc3", "\uFFFD agent/1 \uFFFD"},
		// 1 + 600 bytes: the 512th byte falls inside an "é".
		{"login", "x" + strings.Repeat("é", 300) + "\xff", "x" + strings.Repeat("é", 255)},
		// U+FFFD (3 bytes) for the stray byte, then 169 three-byte runes.
		{"refresh", "\x80" + strings.Repeat("語", 200), "\uFFFD" + strings.Repeat("語", 169)},
	}
	eachBackend(t, nil, func(t *testing.T, e *env) {
		creds := map[string]string{"email": "ua@example.com", "password": testPassword}
		ua := func(i int) map[string]string { return map[string]string{"User-Agent": cases[i].sent} }
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/register", Header: ua(0), Body: creds}).expect(t, http.StatusCreated, "")
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/login", Header: ua(1), Body: creds}).expect(t, http.StatusOK, "")
		l := e.post("/v1/auth/login", creds).expect(t, http.StatusOK, "") // rotated below with the third User-Agent
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/refresh", Header: ua(2),
			Body: map[string]string{"refreshToken": l.str(t, "refreshToken")}}).expect(t, http.StatusOK, "")

		stored := storedUserAgents(t, e.target)
		for _, c := range cases {
			if !stored[c.stored] {
				t.Errorf("%s: User-Agent %q not stored as %q; stored: %q", c.name, c.sent, c.stored, keys(stored))
			}
		}
		for ua := range stored {
			if !utf8.ValidString(ua) || len(ua) > 512 {
				t.Errorf("stored User-Agent %q: valid UTF-8 %v, %d bytes", ua, utf8.ValidString(ua), len(ua))
			}
		}
	})
}

// storedUserAgents reads every session's user_agent column as stored.
func storedUserAgents(t *testing.T, tg backends.Target) map[string]bool {
	t.Helper()
	rows, err := backends.Open(t, tg).SQL().Query("SELECT user_agent FROM sessions")
	if err != nil {
		t.Fatalf("read sessions: %v", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var ua string
		if err := rows.Scan(&ua); err != nil {
			t.Fatalf("read sessions: %v", err)
		}
		out[ua] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read sessions: %v", err)
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
