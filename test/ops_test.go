package test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/ports"
)

// deadDatabase is a health checker whose database never answers in time.
type deadDatabase struct{ deadline atomic.Int64 }

func (d *deadDatabase) Ping(ctx context.Context) error {
	if dl, ok := ctx.Deadline(); ok {
		d.deadline.Store(int64(time.Until(dl)))
	}
	return errors.New("connection refused")
}

// TestReadinessFollowsTheDatabase: a database that does not answer makes
// /readyz 503 UNAVAILABLE (checked with a short deadline) while /healthz,
// which checks only the process, stays 200.
func TestReadinessFollowsTheDatabase(t *testing.T) {
	vars := testEnv(t.TempDir())
	cfg, err := authd.Load(nil, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	store, dead := memstore.NewStore(), &deadDatabase{}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	app, err := authd.Initialize(context.Background(), cfg, authd.WithLogger(log), authd.WithClock(clock.NewManual(time.Now())),
		authd.WithStorage(ports.Storage{Users: store.Users(), Sessions: store.Sessions(), Tokens: store.Tokens(),
			MFA: store.MFA(), MFAChallenges: store.MFAChallenges(), Health: dead}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Router)
	t.Cleanup(srv.Close)
	e := &env{t: t, app: app, srv: srv, client: newClient(t, srv)}

	e.do(req{Method: http.MethodGet, Path: "/healthz"}).expect(t, http.StatusOK, "")
	r := e.do(req{Method: http.MethodGet, Path: "/readyz"}).expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
	if strings.Contains(string(r.Body), "refused") {
		t.Errorf("readiness error leaks the cause: %s", r.Body)
	}
	if d := time.Duration(dead.deadline.Load()); d <= 0 || d > 5*time.Second {
		t.Errorf("database checked with deadline %v, want a short one", d)
	}
}

// TestRequestIDEchoed: a valid incoming X-Request-ID is kept and echoed; an
// invalid one is replaced by a generated id.
func TestRequestIDEchoed(t *testing.T) {
	e := newEnv(t, nil)
	r := e.do(req{Method: http.MethodGet, Path: "/healthz", Header: map[string]string{"X-Request-ID": "abc-123.X_y"}})
	if got := r.Header.Get("X-Request-ID"); got != "abc-123.X_y" {
		t.Errorf("echoed %q", got)
	}
	for _, bad := range []string{"has space", strings.Repeat("a", 65), "<script>"} {
		r := e.do(req{Method: http.MethodGet, Path: "/healthz", Header: map[string]string{"X-Request-ID": bad}})
		if got := r.Header.Get("X-Request-ID"); got == "" || got == bad {
			t.Errorf("X-Request-ID %q answered with %q, want a generated id", bad, got)
		}
	}
	if r := e.do(req{Method: http.MethodGet, Path: "/healthz"}); r.Header.Get("X-Request-ID") == "" {
		t.Error("no request id generated")
	}
}
