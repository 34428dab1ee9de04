package application_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/seal"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/adapters/totp"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// The application is tested against the real adapters (memstore, the manual
// clock, bcrypt at cost 4, HS256 tokens, the in-memory throttle); only the
// audit log is a recording fake.

const (
	appPassword      = "correct horse battery"
	appRefreshSecret = "application-test-refresh-secret-0123456789"
	appJWTSecret     = "application-test-jwt-secret-0123456789abcd"
)

// appT0 is where every fixture's clock starts: a whole second, so stored
// times (truncated to µs) equal the clock's readings.
var appT0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// auditRecorder is a ports.AuditLog that keeps every event.
type auditRecorder struct {
	mu     sync.Mutex
	events []domain.AuditEvent
}

func (r *auditRecorder) Record(_ context.Context, e domain.AuditEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// of returns the recorded events of kind, in order.
func (r *auditRecorder) of(kind domain.AuditKind) []domain.AuditEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []domain.AuditEvent
	for _, e := range r.events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// appFixture is the use cases wired to real adapters.
type appFixture struct {
	t        *testing.T
	ctx      context.Context
	store    *memstore.Store
	users    *memstore.Users
	sessions *memstore.Sessions
	clock    *clock.Manual
	tokens   *jwt.Tokens
	key      domain.RefreshKey
	audit    *auditRecorder
	policy   application.Policy
	mailbox  *mailbox
	mail     *application.MailSender
	recovery *application.Recovery
	auth     *application.Auth
	accounts *application.Accounts
	admin    *application.Admin
	mfa      *application.MFA
	sealer   *seal.Keys
}

// appLinkURL is the page the fixture's mailed links open.
const appLinkURL = "https://app.example.com/account"

func appPolicy() application.Policy {
	return application.Policy{
		Session:          domain.SessionPolicy{RefreshTTL: time.Hour, Grace: 10 * time.Second},
		AccessTTL:        15 * time.Minute,
		RegistrationOpen: true,
		Login:            domain.LoginLimits{PerPair: 5, PerAccount: 100, PerAddress: 50, Window: 15 * time.Minute},
		Links:            application.LinkPolicy{URL: appLinkURL, VerifyTTL: 24 * time.Hour, ResetTTL: 30 * time.Minute},
	}
}

// newAppFixture builds the use cases; edit adjusts the policy first.
func newAppFixture(t *testing.T, edit func(*application.Policy)) *appFixture {
	t.Helper()
	p := appPolicy()
	if edit != nil {
		edit(&p)
	}
	store := memstore.NewStore()
	clk := clock.NewManual(appT0)
	hasher, err := passhash.New(4, 0)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := jwt.New(jwt.Config{Alg: "HS256", Secret: []byte(appJWTSecret), Issuer: "authd", Audience: "authd",
		Skew: 30 * time.Second}, clk)
	if err != nil {
		t.Fatal(err)
	}
	key, err := domain.NewRefreshKey([]byte(appRefreshSecret))
	if err != nil {
		t.Fatal(err)
	}
	audit := &auditRecorder{}
	failures := throttle.NewFailures()
	users, sessions := store.Users(), store.Sessions()
	box := &mailbox{}
	mail := application.NewMailSender(box, clk, audit)
	emails := emailnorm.New()
	recovery := application.NewRecovery(users, store.Tokens(), hasher, clk, audit, failures, emails, mail, p)
	sealer := appSealer(t)
	mfa := newAppMFA(t, store, hasher, failures, clk, audit, p, sealer)
	return &appFixture{
		t: t, ctx: context.Background(), store: store, users: users, sessions: sessions, clock: clk,
		tokens: tokens, key: key, audit: audit, policy: p, mailbox: box, mail: mail, recovery: recovery,
		mfa: mfa, sealer: sealer,
		auth:     application.NewAuth(users, sessions, hasher, tokens, key, clk, failures, audit, p, emails, recovery, mfa, nil),
		accounts: application.NewAccounts(users, sessions, hasher, clk, audit, failures, store.Tokens(), p),
		admin:    application.NewAdmin(users, sessions, store.MFA(), hasher, clk, audit, emails, recovery),
	}
}

// drain waits for the background mail work (a hang guard, not a timing
// assertion: every job ends by itself).
func (f *appFixture) drain() {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(f.ctx, time.Minute)
	defer cancel()
	if err := f.mail.Drain(ctx); err != nil {
		f.t.Fatal(err)
	}
}

func appSealer(t testing.TB) *seal.Keys {
	t.Helper()
	k, err := seal.New([]byte(appRefreshSecret))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// newAppMFA wires the MFA use cases to the real TOTP and sealing adapters
// over store.
func newAppMFA(t testing.TB, store *memstore.Store, hasher ports.PasswordHasher, failures ports.LoginThrottle,
	clk ports.Clock, audit ports.AuditLog, p application.Policy, sealer *seal.Keys) *application.MFA {
	t.Helper()
	otp, err := totp.New("authd-test")
	if err != nil {
		t.Fatal(err)
	}
	return application.NewMFA(store.Users(), store.MFA(), store.MFAChallenges(), otp, sealer, hasher, failures,
		clk, audit, p)
}

// register creates a role-user account and returns it with its first tokens.
func (f *appFixture) register(email string) (domain.User, ports.Tokens) {
	f.t.Helper()
	u, tok, err := f.auth.Register(f.ctx, ports.Credentials{Email: email, Password: appPassword})
	if err != nil {
		f.t.Fatalf("register %s: %v", email, err)
	}
	f.drain() // the verification mail, so later clock moves do not race it
	return u, tok
}

func (f *appFixture) login(email, password string) ports.Tokens {
	f.t.Helper()
	tok, err := f.auth.Login(f.ctx, ports.Credentials{Email: email, Password: password})
	if err != nil {
		f.t.Fatalf("login %s: %v", email, err)
	}
	return tok
}

// refresh spends raw and fails the test on any error.
func (f *appFixture) refresh(raw string) ports.Tokens {
	f.t.Helper()
	tok, err := f.auth.Refresh(f.ctx, raw, domain.Client{})
	if err != nil {
		f.t.Fatalf("refresh: %v", err)
	}
	return tok
}

// refreshErr spends raw and requires the error want.
func (f *appFixture) refreshErr(raw string, want error) {
	f.t.Helper()
	tok, err := f.auth.Refresh(f.ctx, raw, domain.Client{})
	if !errors.Is(err, want) {
		f.t.Fatalf("refresh = (%+v, %v), want %v", tok, err, want)
	}
	if tok.AccessToken != "" || tok.RefreshToken != "" {
		f.t.Fatalf("a failed refresh handed out tokens: %+v", tok)
	}
}

// session reads a stored session.
func (f *appFixture) session(id string) domain.Session {
	f.t.Helper()
	s, err := f.sessions.ByID(f.ctx, id)
	if err != nil {
		f.t.Fatalf("session %s: %v", id, err)
	}
	return s
}

// claims verifies an access token at the fixture's clock.
func (f *appFixture) claims(access string) domain.AccessClaims {
	f.t.Helper()
	c, err := f.tokens.Verify(access, f.clock.Now())
	if err != nil {
		f.t.Fatalf("access token does not verify: %v", err)
	}
	return c
}

// generation parses a refresh token's generation.
func (f *appFixture) generation(raw string) uint64 {
	f.t.Helper()
	tok, err := domain.ParseRefreshToken(raw)
	if err != nil {
		f.t.Fatalf("parse refresh token: %v", err)
	}
	return tok.Generation
}

// forge returns a well-formed token for session id at gen whose MAC is made
// with another key: it parses, names a real session, and must not verify.
func (f *appFixture) forge(id string, gen uint64) string {
	f.t.Helper()
	other, err := domain.NewRefreshKey([]byte(strings.Repeat("x", 32)))
	if err != nil {
		f.t.Fatal(err)
	}
	return other.MintRefreshToken(f.session(id), gen)
}

// mustRevoked fails unless session id ended with reason.
func (f *appFixture) mustRevoked(id, reason string) {
	f.t.Helper()
	s := f.session(id)
	if !s.Revoked() || s.RevokeReason() != reason {
		f.t.Fatalf("session revoked=%v reason=%q, want revoked with %q", s.Revoked(), s.RevokeReason(), reason)
	}
}

// mustLive fails unless session id is live now.
func (f *appFixture) mustLive(id string) {
	f.t.Helper()
	if s := f.session(id); !s.Live(f.clock.Now()) {
		f.t.Fatalf("session %s is not live: %+v", id, s.State())
	}
}

// contextCanceled returns an already-canceled context: memstore refuses it
// as unavailable, like a database that cannot be reached.
func contextCanceled() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx, cancel
}
