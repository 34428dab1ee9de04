package authd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/adapters/metrics"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Server timeouts: slow clients are cut off at every stage.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 32 << 10
	// shutdownTimeout outlasts writeTimeout: a request in flight at the stop
	// signal is answered whenever it still can be, however long its hash
	// waits for a CPU (hashing threads run SCHED_IDLE and starve under load).
	shutdownTimeout = writeTimeout + 5*time.Second
	janitorInterval = 10 * time.Minute
)

// App is a composed authd: the router and the use cases behind it. Users
// is what httpapi.RequireCurrentRole takes on an embedding team's routes;
// Verifier (the token adapter behind a shared verify cache) is what
// httpapi.Authenticate takes on them.
type App struct {
	Router   *gin.Engine
	Admin    ports.AdminService
	Operator ports.OperatorService
	Users    ports.UserLookup
	Verifier ports.AccessTokenVerifier
	Clock    ports.Clock
	Mailer   ports.Mailer // the SMTP adapter, or the outbox when AUTHD_SMTP_URL is unset
	mail     *application.MailSender
	janitor  *application.Janitor
	metrics  *metrics.Prometheus
	log      *slog.Logger
	keys     *jwt.Tokens
	reload   time.Duration
	addr     string
	startup  []any // what the start-up line says besides the address and kid
	cleanup  func()
	closed   sync.Once
}

// NewApp assembles the App.
func NewApp(cfg Config, router *gin.Engine, admin ports.AdminService, operator ports.OperatorService,
	users ports.UserLookup, verifier ports.AccessTokenVerifier, clock ports.Clock, mailer ports.Mailer,
	mail *application.MailSender, janitor *application.Janitor, m *metrics.Prometheus, log *slog.Logger,
	keys *jwt.Tokens) *App {
	return &App{Router: router, Admin: admin, Operator: operator, Users: users, Verifier: verifier, Clock: clock,
		Mailer: mailer, mail: mail, janitor: janitor, metrics: m, log: log, keys: keys, reload: cfg.Keys.ReloadInterval,
		addr: cfg.HTTP.Addr, startup: startupAttrs(cfg)}
}

// startupAttrs is what the start-up line says of cfg: never a secret.
func startupAttrs(cfg Config) []any {
	registration := "closed"
	if cfg.Accounts.RegistrationOpen {
		registration = "open"
	}
	return []any{slog.String("driver", cfg.Storage.Driver), slog.String("alg", cfg.Keys.Alg),
		slog.String("registration", registration)}
}

// DrainMail waits until the mails accepted in the background (verification
// at registration and admin creation, password reset) have been handed
// over or have failed, or until ctx ends.
func (a *App) DrainMail(ctx context.Context) error { return a.mail.Drain(ctx) }

// ReloadKeys re-reads the signing key folder now, as every
// AUTHD_KEY_RELOAD_INTERVAL and on SIGHUP: added keys verify and are
// published at once, removed ones stop verifying. Problems are logged; an
// error means the old keys were kept whole. Under HS256 it does nothing.
func (a *App) ReloadKeys() error { return a.keys.Reload() }

// Server returns the HTTP server with every timeout set.
func (a *App) Server() *http.Server {
	return &http.Server{
		Addr: a.addr, Handler: a.Router,
		ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
}

// Run serves until ctx ends, then lets in-flight requests finish.
func (a *App) Run(ctx context.Context) error {
	srv := a.Server()
	ln, err := net.Listen("tcp", a.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.addr, err)
	}
	a.log.Info("serving", append([]any{slog.String("addr", ln.Addr().String())},
		append(a.startup, slog.String("kid", a.keys.SigningKID()))...)...)
	go a.RunJanitor(ctx, janitorInterval)
	go a.keys.Watch(ctx, a.reload)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// Drop the connections left: once the caller closes the database after
		// Run returns, their handlers could only answer with an error.
		_ = srv.Close()
		return fmt.Errorf("shutdown: requests still running after %s: %w", shutdownTimeout, err)
	}
	if err := a.DrainMail(sctx); err != nil { // accepted requests may still have a mail to send
		a.log.Warn("mails left unsent at shutdown", slog.String("error", err.Error()))
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// RunJanitor purges ended sessions every interval until ctx ends.
func (a *App) RunJanitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		a.JanitorPass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// JanitorPass runs one purge and logs what it did.
func (a *App) JanitorPass(ctx context.Context) application.PassResult {
	res, err := a.janitor.PassObserved(ctx, func(what application.Purged, n int) {
		a.metrics.AddPurged(string(what), n)
	})
	if err != nil {
		a.log.Warn("janitor pass failed", slog.String("error", err.Error()))
		return res
	}
	a.metrics.SetLiveSessions(res.Live)
	a.log.Debug("janitor pass", slog.Int("purged", res.Purged), slog.Int("purgedTokens", res.PurgedTokens),
		slog.Int("mfaChallengesPurged", res.Challenges), slog.Int("liveSessions", res.Live))
	return res
}

// Close releases what Initialize opened (the configured database; not a
// WithStorage storage, which its owner closes). Call it once Run returned;
// later calls do nothing.
func (a *App) Close() error {
	a.closed.Do(func() {
		if a.cleanup != nil {
			a.cleanup()
		}
	})
	return nil
}

// SystemClock is the wall clock the process runs on.
func SystemClock() ports.Clock { return clock.NewSystem() }

// GenerateSigningKey writes a new private key for alg into dir, named by its
// activation time: every replica sharing dir verifies and publishes it from
// its next key reload, and signs with it from activation on. It returns the
// file's path; an existing file of that name is an error.
func GenerateSigningKey(dir, alg string, activation time.Time) (string, error) {
	return jwt.GenerateKeyFile(dir, alg, activation)
}

// CreateUser creates an account on behalf of the command line, which may do
// so even while registration is closed. The operator vouches for the
// address, so it is marked verified: under AUTHD_REQUIRE_VERIFIED_EMAIL the
// first admin could not log in otherwise.
func (a *App) CreateUser(ctx context.Context, email, password, role string) (domain.User, error) {
	return a.Operator.ProvisionUser(ctx, email, password, domain.Role(role), "cli")
}
