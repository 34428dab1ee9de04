package jwt

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/logtest"
)

// reloadable is a Tokens on its own key folder holding one old key.
func reloadable(t *testing.T, alg string) (*Tokens, string, *logtest.Buffer) {
	t.Helper()
	dir := t.TempDir()
	writeKey(t, dir, stamped(t0.Add(-time.Hour)), newKey(t, alg))
	logs := &logtest.Buffer{}
	cfg := config(alg, dir)
	cfg.Log = slog.New(slog.NewTextHandler(logs, nil))
	tok, err := New(cfg, &manualClock{now: t0})
	if err != nil {
		t.Fatal(err)
	}
	return tok, dir, logs
}

// Reload publishes a new key at once and keeps signing with the active
// one; removing a file makes its tokens invalid at the next reload and
// changes the key generation (additions do not).
func TestReloadAddsAndRemovesKeys(t *testing.T) {
	for _, alg := range algs[1:] {
		t.Run(alg, func(t *testing.T) {
			tok, dir, _ := reloadable(t, alg)
			oldToken, _ := tok.Issue(sampleClaims())
			gen := tok.KeyGeneration()

			next := newKey(t, alg)
			writeKey(t, dir, stamped(t0.Add(10*time.Minute)), next)
			if err := tok.Reload(); err != nil {
				t.Fatal(err)
			}
			if n := len(tok.VerificationKeys()); n != 2 {
				t.Fatalf("%d keys published after adding one, want 2", n)
			}
			if kid := kidOfIssued(t, tok); kid == thumbprintOf(t, next) {
				t.Fatal("a key not active yet signed")
			}
			if tok.KeyGeneration() != gen {
				t.Fatal("adding a key changed the generation")
			}

			if err := os.Remove(filepath.Join(dir, stamped(t0.Add(-time.Hour))+".pem")); err != nil {
				t.Fatal(err)
			}
			if err := tok.Reload(); err != nil {
				t.Fatal(err)
			}
			if _, err := tok.Verify(oldToken, t0); !errors.Is(err, domain.ErrTokenInvalid) {
				t.Fatalf("token of a removed key: %v", err)
			}
			if tok.KeyGeneration() == gen {
				t.Fatal("removing a key left the generation unchanged")
			}
			if ks := tok.VerificationKeys(); len(ks) != 1 || ks[0].ID != thumbprintOf(t, next) {
				t.Fatalf("published %+v, want only the new key", ks)
			}
		})
	}
}

// A bad file met on reload is logged and skipped; a file that held a key
// before and turns bad keeps that key; a new good file beside them loads.
func TestReloadSkipsBadFiles(t *testing.T) {
	tok, dir, logs := reloadable(t, EdDSA)
	oldToken, _ := tok.Issue(sampleClaims())
	writeKey(t, dir, "other-alg", newKey(t, ES256))
	os.WriteFile(filepath.Join(dir, "junk.pem"), []byte("not a key"), 0o600)
	oldFile := filepath.Join(dir, stamped(t0.Add(-time.Hour))+".pem")
	os.WriteFile(oldFile, []byte("truncated"), 0o600)
	added := newKey(t, EdDSA)
	writeKey(t, dir, "added", added)

	if err := tok.Reload(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"other-alg.pem", "junk.pem", filepath.Base(oldFile)} {
		if !strings.Contains(logs.String(), filepath.Join(dir, name)) {
			t.Errorf("log does not name %s:\n%s", name, logs)
		}
	}
	if _, err := tok.Verify(oldToken, t0); err != nil {
		t.Fatalf("the key of a file that turned bad was dropped: %v", err)
	}
	if n := len(tok.VerificationKeys()); n != 2 {
		t.Fatalf("%d keys, want the old one kept and the new one added", n)
	}
}

// A reload that would leave no key, or cannot read the folder, keeps the
// whole old set.
func TestReloadKeepsTheOldSetWhenNothingIsUsable(t *testing.T) {
	tok, dir, logs := reloadable(t, EdDSA)
	token, _ := tok.Issue(sampleClaims())
	os.Remove(filepath.Join(dir, stamped(t0.Add(-time.Hour))+".pem"))
	if err := tok.Reload(); err == nil {
		t.Fatal("emptying the folder was accepted")
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dir, []byte("a file, not a folder"), 0o600)
	if err := tok.Reload(); err == nil {
		t.Fatal("an unreadable folder was accepted")
	}
	if _, err := tok.Verify(token, t0); err != nil {
		t.Fatalf("old key dropped: %v", err)
	}
	if !strings.Contains(logs.String(), "keeping the current keys") {
		t.Fatalf("nothing logged:\n%s", logs)
	}
}

// Watch stops with its context, and under HS256 there is nothing to watch.
func TestWatchStopsWithItsContext(t *testing.T) {
	tok, _, _ := reloadable(t, EdDSA)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tok.Watch(ctx, time.Hour); close(done) }()
	cancel()
	<-done
	newFixture(t, HS256).tok.Watch(context.Background(), time.Millisecond) // returns at once
	if err := newFixture(t, HS256).tok.Reload(); err != nil {
		t.Fatalf("HS256 reload: %v", err)
	}
}

// Issue and Verify run while reloads swap keys in (run with -race): every
// token issued verifies as long as its key stays in the folder.
func TestReloadDuringTraffic(t *testing.T) {
	tok, dir, _ := reloadable(t, EdDSA)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				token, err := tok.Issue(sampleClaims())
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := tok.Verify(token, t0); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := range 20 {
		writeKey(t, dir, "k"+string(rune('a'+i)), newKey(t, EdDSA))
		if err := tok.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
