package application_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

func TestRefreshIdleExpiry(t *testing.T) {
	f := newAppFixture(t, nil)
	_, a := f.register("a@example.com")
	b := f.login("a@example.com", appPassword)

	// A refresh a microsecond before the idle expiry still works and extends it.
	f.clock.Advance(time.Hour - time.Microsecond)
	a2 := f.refresh(a.RefreshToken)
	// At the expiry instant the untouched session is over.
	f.clock.Advance(time.Microsecond)
	f.refreshErr(b.RefreshToken, domain.ErrRefreshExpired)
	if s := f.session(b.SessionID); s.Revoked() || s.Generation() != 1 {
		t.Fatalf("an expired refresh changed the row: %+v", s.State())
	}
	// The rotated one lives an hour from its rotation, then expires too.
	f.clock.Advance(time.Hour - 2*time.Microsecond)
	a3 := f.refresh(a2.RefreshToken)
	f.clock.Advance(time.Hour)
	f.refreshErr(a3.RefreshToken, domain.ErrRefreshExpired)
	if ev := f.audit.of(domain.AuditRefreshRejected); len(ev) != 2 || ev[0].Reason != "expired" {
		t.Fatalf("rejection audit = %+v", ev)
	}
}

func TestRefreshAbsoluteMaxAge(t *testing.T) {
	f := newAppFixture(t, func(p *application.Policy) { p.Session.MaxAge = 150 * time.Minute })
	_, tok := f.register("max@example.com")
	maxAt := appT0.Add(150 * time.Minute)

	f.clock.Advance(50 * time.Minute)
	tok = f.refresh(tok.RefreshToken) // idle expiry 110m
	f.clock.Advance(50 * time.Minute)
	tok = f.refresh(tok.RefreshToken) // idle expiry would be 160m: capped at 150m
	if got := f.session(tok.SessionID).ExpiresAt(); !got.Equal(maxAt) {
		t.Fatalf("expires at %v, want the max age %v", got, maxAt)
	}
	if tok.RefreshTTL != 50*time.Minute {
		t.Fatalf("RefreshTTL = %v, want the 50m left of the max age", tok.RefreshTTL)
	}
	f.clock.Set(maxAt.Add(-time.Microsecond))
	tok = f.refresh(tok.RefreshToken)
	if tok.RefreshTTL != time.Microsecond {
		t.Fatalf("RefreshTTL = %v, want 1µs", tok.RefreshTTL)
	}
	f.clock.Set(maxAt)
	f.refreshErr(tok.RefreshToken, domain.ErrRefreshExpired)
	// However often it was rotated, the session is over.
	f.clock.Advance(time.Hour)
	f.refreshErr(tok.RefreshToken, domain.ErrRefreshExpired)
}

func TestRefreshGraceReplay(t *testing.T) {
	f := newAppFixture(t, nil)
	u, first := f.register("grace@example.com")
	f.clock.Advance(time.Minute)
	second := f.refresh(first.RefreshToken)
	rotatedAt := f.clock.Now()
	after := f.session(first.SessionID).State()

	for _, d := range []time.Duration{0, 5 * time.Second, 10 * time.Second} { // up to the grace boundary, inclusive
		f.clock.Set(rotatedAt.Add(d))
		replay := f.refresh(first.RefreshToken)
		if replay.RefreshToken != second.RefreshToken {
			t.Fatalf("+%v: replay gave another successor", d)
		}
		if replay.SessionID != first.SessionID || replay.AccessToken == "" {
			t.Fatalf("+%v: replay = %+v", d, replay)
		}
		if c := f.claims(replay.AccessToken); c.Subject != u.ID() || c.SessionID != first.SessionID || !c.IssuedAt.Equal(f.clock.Now()) {
			t.Fatalf("+%v: replay claims = %+v (want a fresh access token)", d, c)
		}
		if got := f.session(first.SessionID).State(); !reflect.DeepEqual(got, after) {
			t.Fatalf("+%v: replay wrote to the session:\n got %+v\nwant %+v", d, got, after)
		}
	}
	if n := len(f.audit.of(domain.AuditSessionRotated)); n != 1 {
		t.Fatalf("%d rotations audited, want 1", n)
	}
	if n := len(f.audit.of(domain.AuditRefreshReplayed)); n != 3 {
		t.Fatalf("%d replays audited, want 3", n)
	}
	// The successor is unharmed and rotates normally.
	third := f.refresh(second.RefreshToken)
	if f.generation(third.RefreshToken) != 3 {
		t.Fatal("successor did not rotate to generation 3")
	}
}

func TestRefreshReuseAfterGraceRevokes(t *testing.T) {
	f := newAppFixture(t, nil)
	u, first := f.register("reuse@example.com")
	other := f.login("reuse@example.com", appPassword)
	second := f.refresh(first.RefreshToken)

	f.clock.Advance(10*time.Second + time.Microsecond)
	f.refreshErr(first.RefreshToken, domain.ErrRefreshReused)
	f.mustRevoked(first.SessionID, domain.RevokeReuse)
	ev := f.audit.of(domain.AuditRefreshReused)
	if len(ev) != 1 || ev[0].UserID != u.ID() || ev[0].SessionID != first.SessionID ||
		ev[0].Detail["presentedGeneration"] != "1" || ev[0].Detail["currentGeneration"] != "2" {
		t.Fatalf("reuse audit = %+v", ev)
	}
	// The legitimate holder's newest token stops working too, and stays dead.
	f.refreshErr(second.RefreshToken, domain.ErrRefreshInvalid)
	f.refreshErr(first.RefreshToken, domain.ErrRefreshInvalid)
	f.clock.Advance(time.Minute)
	f.refreshErr(second.RefreshToken, domain.ErrRefreshInvalid)
	f.mustRevoked(first.SessionID, domain.RevokeReuse)
	if n := len(f.audit.of(domain.AuditRefreshReused)); n != 1 {
		t.Fatalf("%d reuse events, want 1 (a revoked session is not revoked again)", n)
	}
	// Only that session: the user's other session is untouched.
	f.mustLive(other.SessionID)
	f.refresh(other.RefreshToken)
}

func TestRefreshReuseOfOlderGeneration(t *testing.T) {
	f := newAppFixture(t, nil)
	_, g1 := f.register("older@example.com")
	f.clock.Advance(time.Second)
	g2 := f.refresh(g1.RefreshToken)
	f.clock.Advance(time.Second)
	g3 := f.refresh(g2.RefreshToken)
	// Within the grace window of the last rotation, but two generations back.
	f.clock.Advance(time.Second)
	f.refreshErr(g1.RefreshToken, domain.ErrRefreshReused)
	f.mustRevoked(g1.SessionID, domain.RevokeReuse)
	f.refreshErr(g3.RefreshToken, domain.ErrRefreshInvalid)
	f.refreshErr(g2.RefreshToken, domain.ErrRefreshInvalid) // no replay out of a revoked session
	if ev := f.audit.of(domain.AuditRefreshReused); len(ev) != 1 || ev[0].Detail["generationGap"] != "2" {
		t.Fatalf("reuse audit = %+v", ev)
	}
}

// Revocation does not reopen the grace window: a replay that would have
// been answered is invalid once the session ended.
func TestRefreshRevokedWithinGrace(t *testing.T) {
	f := newAppFixture(t, nil)
	_, first := f.register("revoked@example.com")
	second := f.refresh(first.RefreshToken)
	if err := f.auth.Logout(f.ctx, second.RefreshToken); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	f.refreshErr(first.RefreshToken, domain.ErrRefreshInvalid)
	f.refreshErr(second.RefreshToken, domain.ErrRefreshInvalid)
	f.mustRevoked(first.SessionID, domain.RevokeLogout)
	if n := len(f.audit.of(domain.AuditRefreshReplayed)); n != 0 {
		t.Fatalf("%d replays out of a revoked session", n)
	}
}

// Only a token minted with the refresh key can revoke a session: forged
// tokens are invalid and change nothing.
func TestRefreshForgedTokenDoesNotRevoke(t *testing.T) {
	f := newAppFixture(t, nil)
	_, first := f.register("forged@example.com")
	f.clock.Advance(time.Second)
	second := f.refresh(first.RefreshToken)
	f.clock.Advance(time.Minute) // past grace: an authentic generation-1 token would be reuse
	before := f.session(first.SessionID).State()

	forged := map[string]string{
		"old generation, wrong MAC":     f.forge(first.SessionID, 1),
		"current generation, wrong MAC": f.forge(first.SessionID, 2),
		"future generation, wrong MAC":  f.forge(first.SessionID, 3),
		"unknown session":               f.key.MintRefreshToken(domain.RestoreSession(domain.SessionState{ID: "00000000-0000-4000-8000-000000000000", Salt: make([]byte, 16)}), 1),
		"garbage":                       "not-a-token",
		"empty":                         "",
		"truncated":                     second.RefreshToken[:len(second.RefreshToken)-1],
		// A genuine MAC for a generation the row has not reached (a restored backup, say).
		"authentic future generation": f.key.MintRefreshToken(f.session(first.SessionID), 3),
	}
	for name, raw := range forged {
		t.Run(name, func(t *testing.T) {
			f.t = t
			f.refreshErr(raw, domain.ErrRefreshInvalid)
			if got := f.session(first.SessionID).State(); !reflect.DeepEqual(got, before) {
				t.Fatalf("a forged token changed the session:\n got %+v\nwant %+v", got, before)
			}
		})
	}
	f.t = t
	if n := len(f.audit.of(domain.AuditRefreshReused)); n != 0 {
		t.Fatalf("forged tokens were treated as reuse %d times", n)
	}
	if ev := f.audit.of(domain.AuditRefreshRejected); len(ev) != len(forged) || ev[0].Reason != "invalid" {
		t.Fatalf("rejections audited = %d (%+v), want %d", len(ev), ev, len(forged))
	}
	f.refresh(second.RefreshToken)
}

func TestRefreshCarriesCurrentRole(t *testing.T) {
	f := newAppFixture(t, nil)
	admin, err := f.admin.ProvisionUser(f.ctx, "root@example.com", appPassword, domain.RoleAdmin, "cli")
	if err != nil {
		t.Fatal(err)
	}
	u, tok := f.register("promoted@example.com")
	if c := f.claims(tok.AccessToken); c.Role != domain.RoleUser {
		t.Fatalf("initial role %q", c.Role)
	}
	if _, err := f.admin.ChangeRole(f.ctx, admin.ID(), u.ID(), "editor"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	tok = f.refresh(tok.RefreshToken)
	if c := f.claims(tok.AccessToken); c.Role != "editor" || c.Subject != u.ID() {
		t.Fatalf("refreshed claims = %+v, want role editor", c)
	}
	// A grace replay reads the role afresh too.
	if _, err := f.admin.ChangeRole(f.ctx, admin.ID(), u.ID(), domain.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if ev := f.audit.of(domain.AuditRoleChanged); len(ev) != 2 || ev[1].ActorID != admin.ID() || ev[1].Detail["to"] != "admin" {
		t.Fatalf("role audit = %+v", ev)
	}
	f.clock.Advance(time.Second)
	next := f.refresh(tok.RefreshToken)
	if c := f.claims(next.AccessToken); c.Role != domain.RoleAdmin {
		t.Fatalf("claims = %+v, want role admin", c)
	}
}

func TestLogoutWithSpentToken(t *testing.T) {
	f := newAppFixture(t, nil)
	_, first := f.register("spent@example.com")
	second := f.refresh(first.RefreshToken)
	f.clock.Advance(time.Hour - time.Second) // long past grace: spent, but still ours
	if err := f.auth.Logout(f.ctx, first.RefreshToken); err != nil {
		t.Fatal(err)
	}
	f.mustRevoked(first.SessionID, domain.RevokeLogout)
	f.refreshErr(second.RefreshToken, domain.ErrRefreshInvalid)
	// Idempotent: a second logout of either token is fine and records nothing new.
	if err := f.auth.Logout(f.ctx, second.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if n := len(f.audit.of(domain.AuditLogout)); n != 1 {
		t.Fatalf("%d logouts audited, want 1", n)
	}
	if n := len(f.audit.of(domain.AuditRefreshReused)); n != 0 {
		t.Fatalf("logout with a spent token counted as reuse")
	}
}

func TestLogoutUnknownOrForged(t *testing.T) {
	f := newAppFixture(t, nil)
	_, tok := f.register("keep@example.com")
	for name, raw := range map[string]string{
		"empty":           "",
		"garbage":         "rt1.garbage",
		"forged MAC":      f.forge(tok.SessionID, 1),
		"unknown session": f.key.MintRefreshToken(domain.RestoreSession(domain.SessionState{ID: "11111111-1111-4111-8111-111111111111", Salt: make([]byte, 16)}), 1),
	} {
		if err := f.auth.Logout(f.ctx, raw); err != nil {
			t.Errorf("Logout(%s) = %v, want nil", name, err)
		}
	}
	f.mustLive(tok.SessionID)
	if n := len(f.audit.of(domain.AuditLogout)); n != 0 {
		t.Fatalf("%d logouts audited for tokens that ended nothing", n)
	}
	f.refresh(tok.RefreshToken)
}

func TestRefreshConcurrentSameToken(t *testing.T) {
	f := newAppFixture(t, nil)
	u, first := f.register("race@example.com")
	const n = 50
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		results = make([]ports.Tokens, n)
		errs    = make([]error, n)
	)
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = f.auth.Refresh(f.ctx, first.RefreshToken, domain.Client{})
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("refresh %d: %v", i, errs[i])
		}
		if results[i].RefreshToken != results[0].RefreshToken {
			t.Fatalf("refresh %d got another successor", i)
		}
		if c := f.claims(results[i].AccessToken); c.Subject != u.ID() || c.SessionID != first.SessionID {
			t.Fatalf("refresh %d claims = %+v", i, c)
		}
	}
	if g := f.generation(results[0].RefreshToken); g != 2 {
		t.Fatalf("successor generation %d, want 2", g)
	}
	if s := f.session(first.SessionID); s.Generation() != 2 || s.Revoked() {
		t.Fatalf("session after the race = %+v, want generation 2, live", s.State())
	}
	if got := len(f.audit.of(domain.AuditSessionRotated)); got != 1 {
		t.Fatalf("%d rotations, want exactly 1", got)
	}
	if got := len(f.audit.of(domain.AuditRefreshReplayed)); got != n-1 {
		t.Fatalf("%d replays, want %d", got, n-1)
	}
	f.refresh(results[0].RefreshToken)
}

// rendezvousSessions is the real memstore with one twist: the first n
// ByIDWithUser calls (every refresh's first read) wait for each other, so n
// concurrent refreshes all read the row before any of them rotates it. That
// forces the path a scheduler rarely takes on its own: n-1 rotations lose,
// re-read the row with ByID and must replay.
type rendezvousSessions struct {
	*memstore.Sessions
	n       int
	mu      sync.Mutex
	arrived int
	all     chan struct{}
}

func (r *rendezvousSessions) ByIDWithUser(ctx context.Context, id string) (domain.Session, domain.User, error) {
	s, u, err := r.Sessions.ByIDWithUser(ctx, id)
	r.mu.Lock()
	r.arrived++
	wait := r.arrived <= r.n
	if r.arrived == r.n {
		close(r.all)
	}
	r.mu.Unlock()
	if wait {
		<-r.all
	}
	return s, u, err
}

func TestRefreshConcurrentLosersReplay(t *testing.T) {
	f := newAppFixture(t, nil)
	u, first := f.register("losers@example.com")
	const n = 8
	sessions := &rendezvousSessions{Sessions: f.sessions, n: n, all: make(chan struct{})}
	hasher, err := passhash.New(4, 0)
	if err != nil {
		t.Fatal(err)
	}
	auth := application.NewAuth(f.users, sessions, hasher, f.tokens, f.key, f.clock,
		throttle.NewFailures(), f.audit, f.policy, emailnorm.New(), f.recovery, f.mfa, nil)

	var wg sync.WaitGroup
	results := make([]ports.Tokens, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { results[i], errs[i] = auth.Refresh(f.ctx, first.RefreshToken, domain.Client{}) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("refresh %d: %v", i, errs[i])
		}
		if results[i].RefreshToken != results[0].RefreshToken || f.claims(results[i].AccessToken).Subject != u.ID() {
			t.Fatalf("refresh %d got another answer", i)
		}
	}
	if s := f.session(first.SessionID); s.Generation() != 2 || f.generation(results[0].RefreshToken) != 2 {
		t.Fatalf("generation %d after the race, want 2", s.Generation())
	}
	if r, p := len(f.audit.of(domain.AuditSessionRotated)), len(f.audit.of(domain.AuditRefreshReplayed)); r != 1 || p != n-1 {
		t.Fatalf("%d rotations and %d replays, want 1 and %d", r, p, n-1)
	}
}
