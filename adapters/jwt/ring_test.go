package jwt

import (
	"crypto"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// manualClock moves only when told, like the service's manual clock.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// stamped is the file name of a key activating at t.
func stamped(t time.Time) string { return t.UTC().Format(ActivationLayout) }

// kidOfIssued signs sample claims and returns the header's kid.
func kidOfIssued(t *testing.T, tok *Tokens) string {
	t.Helper()
	token, err := tok.Issue(sampleClaims())
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := headerOf(t, token)["kid"].(string)
	return kid
}

// The key with the latest activation not in the future signs, judged at
// each Issue by the injected clock: a key activates without any reload.
// Every key, active or not, verifies and is published from the start.
func TestActivationTimePicksTheSigner(t *testing.T) {
	dir := t.TempDir()
	legacy, past, future := newKey(t, EdDSA), newKey(t, EdDSA), newKey(t, EdDSA)
	writeKey(t, dir, "zzz-legacy", legacy) // active since always
	writeKey(t, dir, stamped(t0.Add(-time.Hour)), past)
	writeKey(t, dir, stamped(t0.Add(10*time.Minute)), future)
	clk := &manualClock{now: t0}
	tok, err := New(config(EdDSA, dir), clk)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tok.VerificationKeys()); n != 3 {
		t.Fatalf("%d keys published, want 3", n)
	}
	if kid := kidOfIssued(t, tok); kid != thumbprintOf(t, past) {
		t.Fatalf("before activation: kid %s, want the past key's", kid)
	}
	clk.Advance(10*time.Minute - time.Second)
	if kid := kidOfIssued(t, tok); kid != thumbprintOf(t, past) {
		t.Fatal("the future key signed a second early")
	}
	clk.Advance(time.Second)
	if kid := kidOfIssued(t, tok); kid != thumbprintOf(t, future) {
		t.Fatalf("at activation: kid %s, want the future key's", kid)
	}
	if kid := tok.SigningKID(); kid != thumbprintOf(t, future) {
		t.Fatalf("SigningKID %s, want the kid Issue uses", kid)
	}
	// Tokens of every key verify, whichever signs.
	for _, k := range []crypto.Signer{legacy, past, future} {
		f := fixture{alg: EdDSA, kid: thumbprintOf(t, k)}
		if _, err := tok.Verify(f.forge(t, f.method(), k, goodClaims(), nil), t0); err != nil {
			t.Fatalf("token of %s: %v", f.kid, err)
		}
	}
}

// Folders of old-style names keep their meaning: all are active since
// always and the greatest name signs; a stamped key in the past outranks
// them. A token carrying a file name as kid (as before thumbprints) still
// verifies, but only thumbprints are published.
func TestOldStyleNames(t *testing.T) {
	dir := t.TempDir()
	a, b := newKey(t, ES256), newKey(t, ES256)
	writeKey(t, dir, "2025-a", a)
	writeKey(t, dir, "2025-b", b)
	clk := &manualClock{now: t0}
	tok, err := New(config(ES256, dir), clk)
	if err != nil {
		t.Fatal(err)
	}
	if kid := kidOfIssued(t, tok); kid != thumbprintOf(t, b) {
		t.Fatalf("kid %s, want the greatest name's key", kid)
	}
	f := fixture{alg: ES256, kid: "2025-a"}
	old := f.forge(t, f.method(), a, goodClaims(), nil)
	if _, err := tok.Verify(old, t0); err != nil {
		t.Fatalf("token with the file name as kid: %v", err)
	}
	for _, k := range tok.VerificationKeys() {
		if strings.HasPrefix(k.ID, "2025-") {
			t.Fatalf("file name %s published as a kid", k.ID)
		}
	}
	// The file name names only its own key.
	if _, err := tok.Verify(f.forge(t, f.method(), b, goodClaims(), nil), t0); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("b's signature under a's file name: %v", err)
	}
	c := newKey(t, ES256)
	writeKey(t, dir, stamped(t0.Add(-time.Second)), c)
	if err := tok.Reload(); err != nil {
		t.Fatal(err)
	}
	if kid := kidOfIssued(t, tok); kid != thumbprintOf(t, c) {
		t.Fatalf("kid %s, want the stamped key's", kid)
	}
}

// With every key still to activate, the earliest signs rather than none.
func TestNoKeyActiveYetSignsWithTheEarliest(t *testing.T) {
	dir := t.TempDir()
	soon, later := newKey(t, EdDSA), newKey(t, EdDSA)
	writeKey(t, dir, stamped(t0.Add(time.Hour)), soon)
	writeKey(t, dir, stamped(t0.Add(2*time.Hour)), later)
	tok, err := New(config(EdDSA, dir), &manualClock{now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if kid := kidOfIssued(t, tok); kid != thumbprintOf(t, soon) {
		t.Fatalf("kid %s, want the earliest key's", kid)
	}
}

// A folder holding keys of two algorithms is refused at start, naming the
// file that does not fit.
func TestMixedAlgorithmsRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	writeKey(t, dir, stamped(t0), newKey(t, EdDSA))
	writeKey(t, dir, "zz-ec", newKey(t, ES256))
	_, err := New(config(EdDSA, dir), &manualClock{now: t0})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "zz-ec.pem")) {
		t.Fatalf("got %v, want an error naming zz-ec.pem", err)
	}
}

// GenerateKeyFile names the file by its activation, leaves no temporary
// file behind, and the key activates at that time.
func TestGenerateKeyFileActivation(t *testing.T) {
	dir := t.TempDir()
	writeKey(t, dir, stamped(t0.Add(-time.Hour)), newKey(t, EdDSA))
	path, err := GenerateKeyFile(dir, EdDSA, t0.Add(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "20261126T222500Z.pem"); path != want {
		t.Fatalf("wrote %s, want %s", path, want)
	}
	assertMode(t, path, 0o600)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("folder holds %d entries, want the two keys", len(entries))
	}
	clk := &manualClock{now: t0}
	tok, err := New(config(EdDSA, dir), clk)
	if err != nil {
		t.Fatal(err)
	}
	before := kidOfIssued(t, tok)
	clk.Advance(10 * time.Minute)
	if after := kidOfIssued(t, tok); after == before {
		t.Fatal("the generated key did not sign at its activation time")
	}
}

// An HS256 next secret verifies but never signs; a short one is refused.
func TestNextSecretVerifiesButNeverSigns(t *testing.T) {
	next := []byte("a-next-secret-of-more-than-32-bytes-0123")
	cfg := config(HS256, "")
	cfg.NextSecret = next
	cur := newTokens(t, cfg)
	if kid := kidOfIssued(t, cur); kid != hmacKID(secretA) {
		t.Fatalf("kid %s, want the current secret's", kid)
	}
	promoted := newTokens(t, Config{Alg: HS256, Secret: next, PreviousSecrets: [][]byte{secretA},
		Issuer: "authd", Audience: "authd-api", Skew: testSkew})
	token, _ := promoted.Issue(sampleClaims())
	if _, err := cur.Verify(token, t0); err != nil {
		t.Fatalf("token of the promoted secret on a phase-1 verifier: %v", err)
	}
	if _, err := newTokens(t, config(HS256, "")).Verify(token, t0); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("without the next secret: %v", err)
	}
	cfg.NextSecret = []byte("short")
	if _, err := New(cfg, nil); !errors.Is(err, domain.ErrWeakSecret) {
		t.Fatalf("short next secret: %v", err)
	}
}

// A key of another algorithm is not added to a folder: the service would
// refuse to start on it.
func TestGenerateKeyFileRefusesAMixedFolder(t *testing.T) {
	dir := t.TempDir()
	writeKey(t, dir, "ec", newKey(t, ES256))
	if _, err := GenerateKeyFile(dir, EdDSA, t0); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "ec.pem")) {
		t.Fatalf("got %v, want a refusal naming ec.pem", err)
	}
	if _, err := GenerateKeyFile(dir, ES256, t0); err != nil {
		t.Fatal(err)
	}
}
