package jwt

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"time"
)

// DefaultReloadInterval is how often Watch re-reads the key folder unless
// told otherwise.
const DefaultReloadInterval = 30 * time.Second

// Reload re-reads the key folder and, when its keys changed, swaps them in
// at once: new keys verify and are published, removed ones stop verifying,
// and the signing key follows the activation times. A file that cannot be
// used is logged and skipped; if it held a key at the previous load, that
// key stays. A folder that cannot be read, or that would leave no key, keeps
// the whole old set and is returned as an error. Under HS256 it does nothing
// (secrets come from configuration). Safe to call concurrently.
func (t *Tokens) Reload() error {
	if t.keyDir == "" {
		return nil
	}
	t.reloadMu.Lock()
	defer t.reloadMu.Unlock()
	old := t.ring.Load()
	keys, bad, err := scanKeyDir(t.keyDir, t.alg)
	if err != nil {
		t.log.Error("key reload failed; keeping the current keys", slog.String("error", err.Error()))
		return err
	}
	for _, b := range bad {
		prev, kept := old.files[b.file]
		t.log.Error("key file skipped", slog.String("file", filepath.Join(t.keyDir, b.file)),
			slog.Bool("previousKeyKept", kept), slog.String("error", b.err.Error()))
		if kept {
			keys = append(keys, prev)
		}
	}
	if len(keys) == 0 {
		err := fmt.Errorf("jwt: no usable key in %s", t.keyDir)
		t.log.Error("key reload refused; keeping the current keys", slog.String("error", err.Error()))
		return err
	}
	next := fileRing(t.alg, keys)
	if next.sameAs(old) {
		return nil
	}
	next.generation = old.generation
	if removedAny(old, next) {
		next.generation++
	}
	t.ring.Store(next)
	t.log.Info("signing keys reloaded", slog.Any("added", missingFrom(next.kids(), old.kids())),
		slog.Any("removed", missingFrom(old.kids(), next.kids())))
	t.warnIfNoneActive(next)
	return nil
}

// Watch calls Reload every interval until ctx ends. It returns at once under
// HS256 or when interval is not positive.
func (t *Tokens) Watch(ctx context.Context, interval time.Duration) {
	if t.keyDir == "" || interval <= 0 {
		return
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_ = t.Reload() // logged by Reload
		}
	}
}

// KeyGeneration changes whenever a key that verified tokens stops doing so
// (removed from the folder). A cache of verification results keeps an entry
// only while the generation it was made in is current.
func (t *Tokens) KeyGeneration() uint64 { return t.ring.Load().generation }

func (t *Tokens) warnIfNoneActive(r *keyRing) {
	if s, active := r.signerAt(t.clock.Now()); !active {
		t.log.Warn("no key is active yet: the earliest signs until one activates", slog.String("file", s.file), slog.Time("activation", s.activation))
	}
}

// missingFrom lists the items of a not in b.
func missingFrom(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
