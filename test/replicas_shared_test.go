package test

import (
	"net/http"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/test/backends"
)

// The limits of the replica group in TestReplicas.
const (
	replicaPairLimit    = 5  // AUTHD_LOGIN_MAX_FAILURES
	replicaAccountLimit = 8  // AUTHD_LOGIN_MAX_FAILURES_ACCOUNT
	replicaRateLimit    = 30 // AUTHD_IP_RATE_LIMIT, one token per 2s
)

// TestReplicasBehaveAsOne runs three authd replicas (each composed by the real
// injector, each with its own router and server) on one server database
// and one Redis, and checks that they behave as one: shared login limits
// and request limits, one successor for concurrent refreshes of a token
// across replicas, and tokens minted by one verified by the others.
func TestReplicasBehaveAsOne(t *testing.T) {
	redisURL := backends.RedisURL(t)
	ran := 0
	for _, target := range backends.Servers(t) {
		if target.Driver == "sqlite" {
			continue // replicas share a server database
		}
		ran++
		t.Run("backend="+target.Name, func(t *testing.T) {
			g := newReplicas(t, target, redisURL)
			t.Run("login limits are shared", g.sharedLoginLimits)
			t.Run("account ceiling is shared", g.sharedAccountCeiling)
			t.Run("a success resets the pair everywhere", g.sharedReset)
			t.Run("request limit is shared", g.sharedRequestLimit)
			t.Run("concurrent refresh has one successor", g.concurrentRefresh)
			t.Run("tokens verify on every replica", g.tokensVerifyEverywhere)
		})
	}
	if ran == 0 {
		t.Skip("no server database configured: see " + backends.EnvPostgres + " and " + backends.EnvMySQL)
	}
}

// replicas is a group of three authd sharing a database, Redis, secrets
// and a manual clock.
type replicas struct {
	nodes []*env
	clock *clock.Manual
}

func newReplicas(t *testing.T, target backends.Target, redisURL string) *replicas {
	vars := map[string]string{
		"AUTHD_REDIS_URL":                  redisURL,
		"AUTHD_JWT_SECRET":                 randomSecret(t),
		"AUTHD_REFRESH_SECRET":             randomSecret(t), // also keeps this group's Redis keys apart
		"AUTHD_LOGIN_MAX_FAILURES":         "5",
		"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT": "8",
		"AUTHD_IP_RATE_LIMIT":              "30",
		"AUTHD_TRUSTED_PROXIES":            "127.0.0.1/32",
	}
	g := &replicas{clock: clock.NewManual(time.Now().UTC().Truncate(time.Second))}
	for range 3 {
		g.nodes = append(g.nodes, replica(t, target, vars, g.clock))
	}
	return g
}

// node is the replica that serves request i, round robin, as a load
// balancer would spread them.
func (g *replicas) node(i int) *env { return g.nodes[i%len(g.nodes)] }

// Failures for one (account, address) spread over the replicas hit 429 at
// exactly the configured count, on every replica, right password included.
func (g *replicas) sharedLoginLimits(t *testing.T) {
	victim := g.nodes[0].register(t, "victim@example.com")
	for i := range replicaPairLimit {
		g.node(i).failFrom(t, victim.Email, "203.0.113.10", 1)
	}
	for _, n := range g.nodes {
		expectThrottled(t, n.try(attempt{email: victim.Email, password: testPassword, addr: "203.0.113.10"}))
	}
	g.nodes[2].try(attempt{email: victim.Email, password: testPassword, addr: "203.0.113.11"}).expect(t, http.StatusOK, "")
}

// The account's count across addresses is shared too: one failure from
// each of as many addresses as the ceiling, on changing replicas.
func (g *replicas) sharedAccountCeiling(t *testing.T) {
	target := g.nodes[1].register(t, "ceiling@example.com")
	addrs := []string{"198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5", "198.51.100.6", "198.51.100.7", "198.51.100.8"}
	if len(addrs) != replicaAccountLimit {
		t.Fatal("one address per failure up to the ceiling")
	}
	for i, addr := range addrs {
		g.node(i).failFrom(t, target.Email, addr, 1)
	}
	for _, n := range g.nodes {
		expectThrottled(t, n.try(attempt{email: target.Email, password: testPassword, addr: "198.51.100.9"}))
	}
}

// A success on one replica forgets the pair's failures for all of them:
// after it, the pair may fail its whole budget but one again (without the
// reset the second failure would be refused).
func (g *replicas) sharedReset(t *testing.T) {
	u := g.nodes[2].register(t, "reset@example.com")
	for i := range replicaPairLimit - 1 {
		g.node(i).failFrom(t, u.Email, "203.0.113.20", 1)
	}
	g.nodes[1].try(attempt{email: u.Email, password: testPassword, addr: "203.0.113.20"}).expect(t, http.StatusOK, "")
	for i := range replicaPairLimit - 1 {
		g.node(i+1).failFrom(t, u.Email, "203.0.113.20", 1)
	}
}

// One address's requests spread over the replicas spend one budget.
func (g *replicas) sharedRequestLimit(t *testing.T) {
	send := func(n *env) resp {
		return n.do(req{Method: http.MethodPost, Path: "/v1/auth/refresh", Header: map[string]string{"X-Forwarded-For": "192.0.2.200"},
			Body: map[string]string{"refreshToken": "not-a-token"}})
	}
	for i := range replicaRateLimit {
		send(g.node(i)).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
	}
	for _, n := range g.nodes {
		expectRetryAfter(t, send(n), "2")
	}
	g.clock.Advance(2 * time.Second)
	send(g.nodes[1]).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")
	expectRetryAfter(t, send(g.nodes[2]), "2")
}
