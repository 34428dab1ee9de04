package test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSessionLimit: with the default cap of 100, the 101st session of an
// account ends its least recently used one, whatever the backend; the
// sessions list never shows more than 100, and the audit log says why.
func TestSessionLimit(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		first := e.register(t, "many@example.com") // session 1
		e.clock.Advance(time.Second)
		lru := e.login(t, first) // session 2: never used again
		var last account
		for range 98 { // sessions 3 … 100
			e.clock.Advance(time.Second)
			last = e.login(t, first)
		}
		e.clock.Advance(time.Second)
		used := e.refresh(first.Refresh).expect(t, http.StatusOK, "") // session 1 is now recently used
		if n := len(e.sessions(t, last.Access)); n != 100 {
			t.Fatalf("%d sessions listed before the cap is reached, want 100", n)
		}

		e.clock.Advance(time.Second)
		newest := e.login(t, first) // session 101
		if n := len(e.sessions(t, newest.Access)); n != 100 {
			t.Errorf("%d sessions listed, want the cap of 100", n)
		}
		e.refresh(lru.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.refresh(used.str(t, "refreshToken")).expect(t, http.StatusOK, "")
		e.refresh(newest.Refresh).expect(t, http.StatusOK, "")
		if !strings.Contains(e.logs.String(), `"reason":"session_limit"`) {
			t.Error("no audit event with reason session_limit")
		}
	})
}

// TestSessionLimitOff: AUTHD_MAX_SESSIONS_PER_USER=0 ends nothing, even
// past the default cap of 100.
func TestSessionLimitOff(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_MAX_SESSIONS_PER_USER": "0"})
	first := e.register(t, "unlimited@example.com")
	a := first
	for range 100 {
		e.clock.Advance(time.Second)
		a = e.login(t, a)
	}
	if n := len(e.sessions(t, a.Access)); n != 101 {
		t.Errorf("%d sessions listed, want all 101", n)
	}
	e.refresh(first.Refresh).expect(t, http.StatusOK, "")
}

// TestSessionLimitConfigured: a cap below the default is the one applied.
func TestSessionLimitConfigured(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_MAX_SESSIONS_PER_USER": "2"})
	first := e.register(t, "two@example.com")
	e.clock.Advance(time.Second)
	second := e.login(t, first)
	e.clock.Advance(time.Second)
	third := e.login(t, first)
	if n := len(e.sessions(t, third.Access)); n != 2 {
		t.Errorf("%d sessions listed, want the cap of 2", n)
	}
	e.refresh(first.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
	e.refresh(second.Refresh).expect(t, http.StatusOK, "")
	e.refresh(third.Refresh).expect(t, http.StatusOK, "")
}
