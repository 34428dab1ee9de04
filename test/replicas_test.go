package test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/test/backends"
)

// replicaSet is several authd instances, each composed by the real
// injector with its own router, caches and keys, on one database and one
// manual clock: N replicas behind a load balancer, in process.
type replicaSet struct {
	t      *testing.T
	target backends.Target
	clock  *clock.Manual
	envs   []*env
	tokens []string // every access token minted so far, by any replica
}

func newReplicaSet(t *testing.T, target backends.Target, n int, vars map[string]string) *replicaSet {
	t.Helper()
	r := &replicaSet{t: t, target: target, clock: clock.NewManual(time.Now().UTC().Truncate(time.Second))}
	for range n {
		r.envs = append(r.envs, r.start(vars))
	}
	return r
}

func (r *replicaSet) start(vars map[string]string) *env {
	r.t.Helper()
	e := compose(r.t, r.target, vars, r.clock)
	e.clock = r.clock
	return e
}

// restart replaces replica i by a new process with vars (a rolling restart).
func (r *replicaSet) restart(i int, vars map[string]string) { r.envs[i] = r.start(vars) }

// mintEverywhere logs a in on every replica and keeps the access tokens.
func (r *replicaSet) mintEverywhere(a account) []string {
	r.t.Helper()
	var minted []string
	for _, e := range r.envs {
		minted = append(minted, e.login(r.t, a).Access)
	}
	r.tokens = append(r.tokens, minted...)
	return minted
}

// verifyEverywhere presents every token minted so far to every replica and
// fails on any answer but 200: the zero-401 promise of a rotation.
func (r *replicaSet) verifyEverywhere(step string) {
	r.t.Helper()
	r.verifyOnEvery(step, r.tokens)
}

// verifyOnEvery presents tokens to every replica and fails on any answer
// but 200.
func (r *replicaSet) verifyOnEvery(step string, tokens []string) {
	r.t.Helper()
	refused := 0
	for i, e := range r.envs {
		for j, tok := range tokens {
			if res := e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: tok}); res.Status != http.StatusOK {
				refused++
				r.t.Errorf("%s: replica %d answered %d to token #%d (kid %s): %s", step, i, res.Status, j, kidOf(r.t, tok), res.Body)
			}
		}
	}
	if refused > 0 {
		r.t.Fatalf("%s: %d refusals, want none", step, refused)
	}
}

func (r *replicaSet) reloadAll() {
	r.t.Helper()
	for _, e := range r.envs {
		if err := e.app.ReloadKeys(); err != nil {
			r.t.Fatal(err)
		}
	}
}

// A key rotation driven only through the shared folder: a key written with
// a future activation is published by each replica as it reloads, signs on
// every replica once the clock passes its activation, and tokens minted by
// each replica verify on every other at every step. Removing the old key
// retires its tokens on each replica at its next reload, cached ones too.
func TestReplicasRotateKeysThroughTheSharedFolder(t *testing.T) {
	for _, target := range backends.Servers(t) {
		for _, alg := range []string{"EdDSA", "ES256"} {
			t.Run(fmt.Sprintf("backend=%s/%s", target.Name, alg), func(t *testing.T) {
				rotateThroughFolder(t, backends.Fresh(t, target), alg)
			})
		}
	}
}

func rotateThroughFolder(t *testing.T, target backends.Target, alg string) {
	dir := filepath.Join(t.TempDir(), "keys")
	oldKey, err := authd.GenerateSigningKey(dir, alg, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"AUTHD_JWT_ALG": alg, "AUTHD_JWT_KEY_DIR": dir}
	if target.Driver != "sqlite" { // as deployed: replicas on a server database share Redis
		vars["AUTHD_REDIS_URL"] = backends.RedisURL(t)
		vars["AUTHD_REFRESH_SECRET"] = randomSecret(t) // keeps this group's Redis keys apart
	}
	r := newReplicaSet(t, target, 3, vars)
	a := r.envs[0].register(t, "replicas@example.com")
	oldKid := kidOf(t, r.mintEverywhere(a)[0])
	r.verifyEverywhere("before rotation")

	activation := r.clock.Now().Add(10 * time.Minute)
	if _, err := authd.GenerateSigningKey(dir, alg, activation); err != nil {
		t.Fatal(err)
	}
	for i, e := range r.envs { // replicas reload at different moments
		if err := e.app.ReloadKeys(); err != nil {
			t.Fatal(err)
		}
		for _, tok := range r.mintEverywhere(a) {
			if kidOf(t, tok) != oldKid {
				t.Fatal("a key signed before its activation")
			}
		}
		r.verifyEverywhere(fmt.Sprintf("after replica %d reloaded", i))
	}
	for i, e := range r.envs {
		if n := len(e.do(req{Method: http.MethodGet, Path: "/.well-known/jwks.json"}).json(t)["keys"].([]any)); n != 2 {
			t.Fatalf("replica %d publishes %d keys, want 2", i, n)
		}
	}

	r.crossActivation(a, activation, oldKid)
	r.verifyEverywhere("after activation")

	var oldTokens, newTokens []string
	for _, tok := range r.tokens {
		if kidOf(t, tok) == oldKid {
			oldTokens = append(oldTokens, tok)
		} else {
			newTokens = append(newTokens, tok)
		}
	}
	if err := os.Remove(oldKey); err != nil {
		t.Fatal(err)
	}
	for i, e := range r.envs {
		if err := e.app.ReloadKeys(); err != nil {
			t.Fatal(err)
		}
		for j, other := range r.envs {
			want := http.StatusOK // not reloaded yet: still trusts the removed key
			if j <= i {
				want = http.StatusUnauthorized
			}
			other.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: oldTokens[0]}).expect(t, want, "")
		}
	}
	r.tokens = newTokens
	r.verifyEverywhere("after the old key was removed")
	for _, e := range r.envs {
		for _, tok := range oldTokens {
			e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: tok}).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
		}
	}
}

const (
	hsOld = "hs256-secret-number-one-0123456789abcdefgh"
	hsNew = "hs256-secret-number-two-0123456789abcdefgh"
)

// An HS256 rotation in two rolling phases: first every replica learns the
// next secret (verify only), then each in turn signs with it and keeps the
// old one as previous. At every step every token verifies everywhere.
func TestReplicasRotateHS256InTwoPhases(t *testing.T) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) {
			r := newReplicaSet(t, target, 3, map[string]string{"AUTHD_JWT_SECRET": hsOld})
			a := r.envs[0].register(t, "hs-replicas@example.com")
			oldKid := kidOf(t, r.mintEverywhere(a)[0])
			phase1 := map[string]string{"AUTHD_JWT_SECRET": hsOld, "AUTHD_JWT_NEXT_SECRET": hsNew}
			phase2 := map[string]string{"AUTHD_JWT_SECRET": hsNew, "AUTHD_JWT_PREVIOUS_SECRETS": hsOld}
			for i := range r.envs {
				r.restart(i, phase1)
				r.mintEverywhere(a)
				r.verifyEverywhere(fmt.Sprintf("phase 1, replica %d restarted", i))
			}
			for i := range r.envs {
				r.restart(i, phase2)
				if kidOf(t, r.mintEverywhere(a)[i]) == oldKid {
					t.Fatalf("replica %d still signs with the old secret after phase 2", i)
				}
				r.verifyEverywhere(fmt.Sprintf("phase 2, replica %d restarted", i))
			}
			// Why phase 1 exists: a replica that never learnt the next
			// secret refuses what phase 2 replicas sign.
			skipped := r.start(map[string]string{"AUTHD_JWT_SECRET": hsOld})
			latest := r.tokens[len(r.tokens)-1]
			skipped.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: latest}).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
		})
	}
}

const (
	refreshOld = "refresh-secret-number-one-0123456789abcdef"
	refreshNew = "refresh-secret-number-two-0123456789abcdef"
)

// A refresh token MAC'd with a retired refresh secret still rotates where
// the secret is listed in AUTHD_REFRESH_PREVIOUS_SECRETS, and its successor
// is minted under the current secret: it rotates where the old secret is
// not known at all. Without the listing the token is REFRESH_TOKEN_INVALID,
// which is not reuse: the session survives it.
func TestRefreshTokenOfARetiredSecretStillRotates(t *testing.T) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) {
			r := newReplicaSet(t, target, 1, map[string]string{"AUTHD_REFRESH_SECRET": refreshOld})
			a := r.envs[0].register(t, "retired-refresh@example.com")
			current := r.start(map[string]string{"AUTHD_REFRESH_SECRET": refreshNew})
			current.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")

			rotated := r.start(map[string]string{"AUTHD_REFRESH_SECRET": refreshNew, "AUTHD_REFRESH_PREVIOUS_SECRETS": refreshOld})
			next := rotated.refresh(a.Refresh).expect(t, http.StatusOK, "").str(t, "refreshToken")
			after := current.refresh(next).expect(t, http.StatusOK, "")
			current.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: after.str(t, "accessToken")}).expect(t, http.StatusOK, "")
		})
	}
}

// rotationTick is how often, in clock time, replicas mint and verify while
// a key activates: "every 100 ms" on the manual clock.
const rotationTick = 100 * time.Millisecond

// crossActivation walks the clock from one second before activation to one
// second after it in rotationTick steps. At each step every replica mints a
// token (by refreshing its own session) and every replica verifies the
// tokens just minted and the oldest of each key: any 401 fails. Before the
// activation the old key signs everywhere, from it on the new one.
func (r *replicaSet) crossActivation(a account, activation time.Time, oldKid string) {
	r.t.Helper()
	chains := make([]string, len(r.envs))
	for i, e := range r.envs {
		chains[i] = e.login(r.t, a).Refresh
	}
	r.clock.Set(activation.Add(-time.Second))
	firstNew := ""
	for step := 0; !r.clock.Now().After(activation.Add(time.Second)); step++ {
		var minted []string
		for i, e := range r.envs {
			res := e.refresh(chains[i]).expect(r.t, http.StatusOK, "")
			chains[i] = res.str(r.t, "refreshToken")
			tok := res.str(r.t, "accessToken")
			if signedByOld := kidOf(r.t, tok) == oldKid; signedByOld == !r.clock.Now().Before(activation) {
				r.t.Fatalf("step %d (%s from activation): replica %d signed with the old key = %v",
					step, r.clock.Now().Sub(activation), i, signedByOld)
			}
			if firstNew == "" && kidOf(r.t, tok) != oldKid {
				firstNew = tok
			}
			minted = append(minted, tok)
		}
		r.tokens = append(r.tokens, minted...)
		check := append(minted, r.tokens[0])
		if firstNew != "" {
			check = append(check, firstNew)
		}
		r.verifyOnEvery(fmt.Sprintf("step %d (%s from activation)", step, r.clock.Now().Sub(activation)), check)
		r.clock.Advance(rotationTick)
	}
}
