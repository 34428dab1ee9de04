package test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"
)

// concurrentRefresh spends one refresh token on all three replicas at once:
// every racer gets the one successor (the winner's, or the grace answer),
// the successor rotates on another replica, and the spent token after the
// grace window is reuse on a third, revoking the family everywhere.
func (g *replicas) concurrentRefresh(t *testing.T) {
	u := g.nodes[0].register(t, "racer@example.com")
	const perNode = 3
	type outcome struct {
		status  int
		refresh string
	}
	results := make(chan outcome, perNode*len(g.nodes))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range perNode * len(g.nodes) {
		n := g.node(i)
		wg.Go(func() {
			<-start
			status, body := rawRefresh(n, u.Refresh)
			results <- outcome{status, body.RefreshToken}
		})
	}
	close(start)
	wg.Wait()
	close(results)
	successors := map[string]int{}
	for r := range results {
		if r.status != http.StatusOK {
			t.Fatalf("a concurrent refresh answered %d, want 200 (winner or grace)", r.status)
		}
		successors[r.refresh]++
	}
	if len(successors) != 1 {
		t.Fatalf("%d different successors, want exactly one: %v", len(successors), successors)
	}
	var next string
	for s := range successors {
		next = s
	}
	if next == "" || next == u.Refresh {
		t.Fatalf("successor %q is empty or the spent token", next)
	}
	newest := g.nodes[1].refresh(next).expect(t, http.StatusOK, "").str(t, "refreshToken")
	g.clock.Advance(11 * time.Second) // past AUTHD_REFRESH_REUSE_GRACE (10s)
	g.nodes[2].refresh(u.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED")
	g.nodes[0].refresh(newest).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
}

// A token minted by one replica is accepted by the others.
func (g *replicas) tokensVerifyEverywhere(t *testing.T) {
	u := g.nodes[0].register(t, "everywhere@example.com")
	rotated := g.nodes[1].refresh(u.Refresh).expect(t, http.StatusOK, "")
	for _, access := range []string{u.Access, rotated.str(t, "accessToken")} {
		for _, n := range g.nodes {
			me := n.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: access}).expect(t, http.StatusOK, "")
			if me.str(t, "id") != u.ID {
				t.Fatalf("me = %s, want user %s", me.Body, u.ID)
			}
		}
	}
}

type tokenBody struct {
	RefreshToken string `json:"refreshToken"`
}

// rawRefresh posts a refresh from a goroutine: no t.Fatal there, the
// caller checks the outcome.
func rawRefresh(e *env, token string) (int, tokenBody) {
	raw, _ := json.Marshal(map[string]string{"refreshToken": token})
	hr, err := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/auth/refresh", bytes.NewReader(raw))
	if err != nil {
		return 0, tokenBody{}
	}
	hr.Header.Set("Content-Type", "application/json")
	res, err := e.client.Do(hr)
	if err != nil {
		return 0, tokenBody{}
	}
	defer res.Body.Close()
	var body tokenBody
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body
}
