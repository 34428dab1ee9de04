package test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/test/backends"
)

// TestDatabaseOutage cuts the network between authd and a server database:
// requests get 503 UNAVAILABLE, /readyz turns 503, nothing is half-written,
// and service resumes by itself when the database is reachable again.
func TestDatabaseOutage(t *testing.T) {
	for _, target := range backends.Servers(t) {
		if target.Driver == "sqlite" {
			continue // embedded: there is no network to lose
		}
		t.Run("backend="+target.Name, func(t *testing.T) {
			upstream, err := backends.Address(target)
			if err != nil {
				t.Fatalf("the outage test needs one TCP address in the DSN: %v", err)
			}
			p := startProxy(t, upstream)
			if target, err = backends.WithAddress(target, p.addr); err != nil {
				t.Fatal(err)
			}
			e := newEnvOn(t, target, map[string]string{"AUTHD_DB_QUERY_TIMEOUT": "2s"})
			a := e.register(t, "before@example.com")
			admin := e.newAdmin(t, "admin@example.com")

			p.cut()
			// The caller's record cannot be read: an outage, not a verdict on the caller.
			e.do(req{Method: http.MethodGet, Path: "/v1/admin/users", Bearer: admin.Access}).
				expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.do(req{Method: http.MethodGet, Path: "/v1/auth/sessions", Bearer: a.Access}).
				expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": a.Password}).expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.post("/v1/auth/register", map[string]string{"email": "during@example.com", "password": testPassword}).
				expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.refresh(a.Refresh).expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			wellFormed := strings.Repeat("A", 43) // a token's shape: the store is asked
			e.post("/v1/auth/password/reset", map[string]string{"token": wellFormed, "newPassword": "new password 123"}).
				expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.post("/v1/auth/password/forgot", map[string]string{"email": a.Email}).expect(t, http.StatusAccepted, "")
			e.do(req{Method: http.MethodGet, Path: "/readyz"}).expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
			e.do(req{Method: http.MethodGet, Path: "/healthz"}).expect(t, http.StatusOK, "")

			p.restore(t)
			waitReady(t, e)
			// The refused refresh spent nothing, and the refused registration
			// left no account behind.
			e.refresh(a.Refresh).expect(t, http.StatusOK, "")
			e.post("/v1/auth/login", map[string]string{"email": "during@example.com", "password": testPassword}).
				expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
			e.register(t, "during@example.com")
		})
	}
}

// waitReady polls /readyz while the pool reconnects (real network, real time).
func waitReady(t *testing.T, e *env) {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if e.do(req{Method: http.MethodGet, Path: "/readyz"}).Status == http.StatusOK {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("authd did not become ready after the database came back")
}

// proxy forwards TCP to a database; cut drops every connection and refuses
// new ones, restore listens again on the same address.
type proxy struct {
	addr, upstream string
	mu             sync.Mutex
	ln             net.Listener
	conns          []net.Conn
}

func startProxy(t *testing.T, upstream string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{addr: ln.Addr().String(), upstream: upstream, ln: ln}
	go p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		u, err := net.Dial("tcp", p.upstream)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(u, c); u.Close() }()
		go func() { _, _ = io.Copy(c, u); c.Close() }()
	}
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("re-listen on %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go p.serve(ln)
}
