package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/authd-dev/authd/test/logtest"
)

const lateRegistration = `{"email":"late@example.com","password":"a long enough password"}`

// Serving on the embedded default, then a graceful stop: a registration
// whose handler is running when the stop signal comes is still answered
// 201 (the database stays open until it is), and the process exits 0.
func TestServeAndGracefulShutdown(t *testing.T) {
	env := baseEnv(t)
	addr := freeAddr(t)
	env["AUTHD_HTTP_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var out logtest.Buffer
	go func() { done <- run(ctx, nil, envOf(env), nil, &out, &out) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", out.String())
		}
	})
	waitHealthy(t, "http://"+addr+"/healthz")
	var probe logtest.Buffer
	if code := run(context.Background(), []string{"healthcheck"}, envOf(env), nil, &probe, &probe); code != 0 {
		t.Fatalf("healthcheck exit %d: %s", code, probe.String())
	}
	conn, replies := startRegistration(t, addr)
	cancel()
	waitListenerClosed(addr)
	// Shutdown has begun with the handler waiting for the body: finish it.
	if _, err := fmt.Fprint(conn, lateRegistration); err != nil {
		t.Fatalf("sending the body during shutdown: %v", err)
	}
	res, err := http.ReadResponse(replies, nil)
	if err != nil {
		t.Fatalf("in-flight registration got no answer during shutdown: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("in-flight registration answered %d during shutdown, want 201", res.StatusCode)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exit %d", code)
		}
		assertStartupLine(t, out.String(), "addr="+addr, "driver=sqlite", "alg=HS256", "registration=open")
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// startRegistration sends a registration's headers with Expect:
// 100-continue and returns once the server asks for the body: its handler
// is then running and waits for the body, which the caller sends.
func startRegistration(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /v1/auth/register HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", addr, len(lateRegistration))
	replies := bufio.NewReader(conn)
	res, err := http.ReadResponse(replies, nil)
	if err != nil {
		t.Fatalf("registration headers: %v", err)
	}
	if res.StatusCode != http.StatusContinue {
		t.Fatalf("registration headers answered %d, want 100 Continue", res.StatusCode)
	}
	return conn, replies
}

// waitListenerClosed returns once addr refuses connections: the server's
// Shutdown closes its listener first.
func waitListenerClosed(addr string) {
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(10 * time.Millisecond) // polling a real server going down, not testing time
	}
}
