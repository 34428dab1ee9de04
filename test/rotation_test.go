package test

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestRefreshRotatesAndGraceReplays(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a := e.register(t, "rot@example.com")
		first := e.refresh(a.Refresh).expect(t, http.StatusOK, "")
		if first.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("refresh Cache-Control = %q", first.Header.Get("Cache-Control"))
		}
		next := first.str(t, "refreshToken")
		if next == a.Refresh || next == "" {
			t.Fatalf("refresh did not rotate: %q", next)
		}
		e.clock.Advance(5 * time.Second) // inside the 10s grace window
		again := e.refresh(a.Refresh).expect(t, http.StatusOK, "")
		if got := again.str(t, "refreshToken"); got != next {
			t.Fatalf("grace replay gave %q, want the winner's %q", got, next)
		}
		e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: again.str(t, "accessToken")}).expect(t, http.StatusOK, "")
		e.refresh(next).expect(t, http.StatusOK, "")
	})
}

func TestReuseAfterGraceRevokesTheWholeSession(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a := e.register(t, "reuse@example.com")
		next := e.refresh(a.Refresh).expect(t, http.StatusOK, "").str(t, "refreshToken")
		e.clock.Advance(11 * time.Second)
		e.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED")
		// The legitimate holder's newest token dies with the family, and a
		// later refresh never undoes the revocation.
		e.refresh(next).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		e.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
		// Another session of the same user is untouched.
		other := e.login(t, a)
		e.refresh(other.Refresh).expect(t, http.StatusOK, "")
	})
}

func TestOlderGenerationIsReuseEvenInsideGrace(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "old@example.com")
	g2 := e.refresh(a.Refresh).expect(t, http.StatusOK, "").str(t, "refreshToken")
	e.refresh(g2).expect(t, http.StatusOK, "")
	e.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED")
}

func TestForgedRefreshTokenRevokesNothing(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "forged@example.com")
	forged := []byte(a.Refresh)
	last := len(forged) - 2
	if forged[last] == 'A' {
		forged[last] = 'B'
	} else {
		forged[last] = 'A'
	}
	e.refresh(string(forged)).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
	e.refresh("rt1.nonsense").expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
	e.refresh(a.Access).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
	e.refresh(a.Refresh).expect(t, http.StatusOK, "")
	e.post("/v1/auth/refresh", map[string]string{}).expect(t, http.StatusBadRequest, "REFRESH_TOKEN_REQUIRED")
}

func TestRefreshExpiry(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_REFRESH_TTL": "1h", "AUTHD_SESSION_MAX_AGE": "150m"})
	a := e.register(t, "exp@example.com")
	e.clock.Advance(59 * time.Minute)
	tok := e.refresh(a.Refresh).expect(t, http.StatusOK, "").str(t, "refreshToken")
	e.clock.Advance(59 * time.Minute) // idle limit renewed by the rotation, absolute one not
	tok = e.refresh(tok).expect(t, http.StatusOK, "").str(t, "refreshToken")
	e.clock.Advance(40 * time.Minute) // past the 150m absolute age, inside the idle one
	e.refresh(tok).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_EXPIRED")

	b := e.register(t, "idle@example.com")
	e.clock.Advance(61 * time.Minute)
	e.refresh(b.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_EXPIRED")
}

func TestAccessTokenExpiry(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_ACCESS_TTL": "1m", "AUTHD_CLOCK_SKEW": "10s"})
	a := e.register(t, "access@example.com")
	e.clock.Advance(65 * time.Second) // inside the skew
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
	e.clock.Advance(10 * time.Second)
	r := e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusUnauthorized, "TOKEN_EXPIRED")
	if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="authd", error="invalid_token"` {
		t.Fatalf("WWW-Authenticate = %q", got)
	}
}

// Fifty tabs refreshing one token at once: exactly one rotation, and every
// answer carries the same successor, on every backend.
func TestConcurrentRefreshOneRotation(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		a := e.register(t, "race@example.com")
		const n = 50
		var wg sync.WaitGroup
		results := make([]resp, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = e.refresh(a.Refresh)
			}()
		}
		close(start)
		wg.Wait()
		successors := map[string]int{}
		for _, r := range results {
			if r.Status != http.StatusOK {
				t.Fatalf("a racer got %d: %s", r.Status, r.Body)
			}
			successors[r.str(t, "refreshToken")]++
		}
		if len(successors) != 1 {
			t.Fatalf("racers got %d different successors, want 1", len(successors))
		}
		for succ := range successors {
			// Generation 2 exists and is current: spending it moves to 3.
			third := e.refresh(succ).expect(t, http.StatusOK, "").str(t, "refreshToken")
			if third == succ {
				t.Fatal("successor did not rotate")
			}
		}
	})
}
