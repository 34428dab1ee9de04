package test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/backends"
	"github.com/authd-dev/authd/test/smtptest"
)

// hashQueueEnv is authd composed by the real injector on target, mailing
// through a test SMTP server and hashing on a pool of one worker whose
// queue the test fills at will.
type hashQueueEnv struct {
	*mailEnv
	pool  *passhash.Pool
	users *sqlstore.Users
}

func newHashQueueEnv(t *testing.T, target backends.Target) *hashQueueEnv {
	t.Helper()
	mail := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS})
	srv := httptest.NewUnstartedServer(nil)
	vars := testEnv(t.TempDir())
	vars["AUTHD_HASH_QUEUE"] = "1"
	vars["AUTHD_SMTP_URL"] = mail.URL()
	vars["AUTHD_EMAIL_LINK_URL"] = "http://" + srv.Listener.Addr().String() + "/demo/"
	cfg, err := authd.Load(nil, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mail.RootCAs = mail.RootCAs()
	db := backends.Open(t, target)
	users := sqlstore.NewUsers(db)
	pool := passhash.NewPool(1, passhash.Queue{Size: cfg.Hashing.Queue, Timeout: time.Hour})
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	app, err := authd.Initialize(context.Background(), cfg, authd.WithLogger(log), authd.WithClock(clk), authd.WithHashPool(pool),
		authd.WithStorage(ports.Storage{Users: users, Sessions: sqlstore.NewSessions(db),
			Tokens: sqlstore.NewTokens(db), MFA: sqlstore.NewMFA(db),
			MFAChallenges: sqlstore.NewMFAChallenges(db), Health: sqlstore.NewHealth(db)}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config = app.Server()
	srv.Start()
	t.Cleanup(func() { srv.Close(); drainMail(t, app) })
	e := &env{t: t, app: app, srv: srv, clock: clk, client: newClient(t, srv), target: target}
	return &hashQueueEnv{mailEnv: &mailEnv{env: e, smtp: mail}, pool: pool, users: users}
}

// fill occupies the only worker and the one place in the queue (for a
// fairness key no HTTP client has), so the next hash is refused at once;
// the returned func frees the pool and waits for both jobs.
func (h *hashQueueEnv) fill(t *testing.T) (release func()) {
	t.Helper()
	started, gate, done := make(chan struct{}), make(chan struct{}), make(chan error, 2)
	go func() { done <- h.pool.Do(context.Background(), func() { close(started); <-gate }) }()
	<-started
	go func() { done <- h.pool.Do(ports.WithFairnessKey(context.Background(), "elsewhere"), func() {}) }()
	deadline := time.Now().Add(10 * time.Second) // turns a hang into a failure; asserts nothing
	for h.pool.Queued() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the filler job never queued")
		}
		runtime.Gosched()
	}
	return func() {
		close(gate)
		for range 2 {
			if err := <-done; err != nil {
				t.Errorf("filling job: %v", err)
			}
		}
	}
}

// busy requires 503 BUSY with a Retry-After of 1 second.
func busy(t *testing.T, r resp) {
	t.Helper()
	r.expect(t, http.StatusServiceUnavailable, "BUSY")
	if got := r.Header.Get("Retry-After"); got != "1" {
		t.Fatalf("Retry-After %q, want 1", got)
	}
}

// TestFullHashQueueRefusesAtOnce: with the hash queue full, every route
// that hashes (admin create included) answers 503 BUSY with Retry-After at
// once, and none of them has written anything: no account, no session, no
// new password, no spent reset token.
func TestFullHashQueueRefusesAtOnce(t *testing.T) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) {
			h := newHashQueueEnv(t, target)
			a := h.register(t, "before@example.com")
			h.nextMail(t, ports.MailVerifyEmail, a.Email)
			h.forgot(a.Email).expect(t, http.StatusAccepted, "")
			reset, _ := h.nextMail(t, ports.MailResetPassword, a.Email)
			admin := h.newAdmin(t, "admin@example.com")

			release := h.fill(t)
			busy(t, h.do(req{Method: http.MethodPost, Path: "/v1/admin/users", Bearer: admin.Access,
				Body: map[string]string{"email": "made@example.com", "password": testPassword}}))
			busy(t, h.post("/v1/auth/register", map[string]string{"email": "during@example.com", "password": testPassword}))
			busy(t, h.post("/v1/auth/login", map[string]string{"email": a.Email, "password": a.Password}))
			busy(t, h.post("/v1/auth/login", map[string]string{"email": "nobody@example.com", "password": testPassword}))
			busy(t, h.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: a.Access,
				Body: map[string]string{"currentPassword": a.Password, "newPassword": "an entirely new password"}}))
			busy(t, h.reset(reset, "an entirely new password"))
			sessions := h.do(req{Method: http.MethodGet, Path: "/v1/auth/sessions", Bearer: a.Access}).expect(t, http.StatusOK, "")
			if n := len(sessions.json(t)["sessions"].([]any)); n != 1 {
				t.Fatalf("%d sessions while busy, want the registration's only", n)
			}
			release()

			for _, refused := range []string{"during@example.com", "made@example.com"} {
				email, err := domain.NewEmail(refused)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := h.users.ByEmail(context.Background(), email); !errors.Is(err, domain.ErrNotFound) {
					t.Fatalf("a refused request wrote the user %s: %v", refused, err)
				}
			}
			// The old password logs in (unchanged, not throttled), and the
			// reset token still works (not spent).
			h.login(t, a)
			h.reset(reset, "an entirely new password").expect(t, http.StatusNoContent, "")
			if q := h.pool.Queued(); q != 0 {
				t.Fatalf("%d jobs left queued", q)
			}
		})
	}
}
