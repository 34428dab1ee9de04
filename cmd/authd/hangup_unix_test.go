//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/authd-dev/authd/test/logtest"
)

// SIGHUP makes a serving process re-read its key folder: a key added
// after start is published without a restart (the periodic reload is an
// hour away, so only the signal can have done it).
func TestHangupReloadsKeys(t *testing.T) {
	env := baseEnv(t)
	addr := freeAddr(t)
	dir := filepath.Join(t.TempDir(), "keys")
	env["AUTHD_HTTP_ADDR"], env["AUTHD_JWT_ALG"], env["AUTHD_JWT_KEY_DIR"] = addr, "EdDSA", dir
	env["AUTHD_KEY_RELOAD_INTERVAL"] = "1h"
	var out bytes.Buffer
	if code := run(context.Background(), []string{"keys", "generate", "--activate-in", "0s"}, envOf(env), nil, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var logs logtest.Buffer
	go func() { done <- run(ctx, nil, envOf(env), nil, &logs, &logs) }()
	defer func() { cancel(); <-done }()
	jwks := "http://" + addr + "/.well-known/jwks.json"
	waitHealthy(t, "http://"+addr+"/healthz")
	if n := keyCount(t, jwks); n != 1 {
		t.Fatalf("%d keys published at start, want 1", n)
	}
	if code := run(context.Background(), []string{"keys", "generate"}, envOf(env), nil, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for range 400 { // polling for the reload's effect, not testing time
		if keyCount(t, jwks) == 2 {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("the added key was never published; log:\n%s", logs.String())
}
