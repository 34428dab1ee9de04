package test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/auditlog"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/httpapi"
	"github.com/authd-dev/authd/adapters/httpapi/jwtverify"
	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/backends"
	"github.com/authd-dev/authd/test/logtest"
)

// tenantClaims adds the email domain as "tenant"; an email starting with
// "evil" asks for a registered claim instead.
var tenantClaims = ports.ClaimsFunc(func(_ context.Context, u domain.User, s domain.Session) (map[string]any, error) {
	local, host, _ := strings.Cut(u.Email().String(), "@")
	if strings.HasPrefix(local, "evil") {
		return map[string]any{"Role": "admin"}, nil
	}
	return map[string]any{"tenant": host, "session": s.ID()}, nil
})

// TestClaimsHookEndToEnd: the tenant claim is in the tokens of register,
// login and refresh, read by jwtverify from the JWKS and by
// httpapi.ClaimsFrom on an embedding team's route; a hook asking for a
// registered claim fails the request with 500 INTERNAL, logs the claim's
// name, and issues nothing.
func TestClaimsHookEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	if _, err := authd.GenerateSigningKey(dir, "EdDSA", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	e := compose(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}),
		map[string]string{"AUTHD_JWT_ALG": "EdDSA", "AUTHD_JWT_KEY_DIR": dir}, clk, authd.WithClaims(tenantClaims))
	v, err := jwtverify.New(jwtverify.Config{JWKSURL: e.srv.URL + "/.well-known/jwks.json", Issuer: "authd",
		Audience: "authd", InsecureLoopbackHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	teamRoute := gin.New()
	teamRoute.GET("/tenant", httpapi.Authenticate(e.app.Verifier, e.app.Clock), func(c *gin.Context) {
		claims, _ := httpapi.ClaimsFrom(c)
		tenant, _ := claims.Extra["tenant"].(string)
		c.String(http.StatusOK, tenant)
	})

	a := e.register(t, "ada@acme.example")
	b := e.login(t, a)
	c := e.refresh(b.Refresh).expect(t, http.StatusOK, "").str(t, "accessToken")
	for name, access := range map[string]string{"register": a.Access, "login": b.Access, "refresh": c} {
		claims, err := v.Verify(context.Background(), access)
		if err != nil || claims.Extra["tenant"] != "acme.example" || claims.Extra["session"] == "" || claims.Role != "user" {
			t.Errorf("%s: jwtverify %+v, %v", name, claims, err)
		}
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/tenant", nil)
		r.Header.Set("Authorization", "Bearer "+access)
		teamRoute.ServeHTTP(w, r)
		if w.Code != http.StatusOK || w.Body.String() != "acme.example" {
			t.Errorf("%s: ClaimsFrom route %d %q", name, w.Code, w.Body)
		}
	}

	e.post("/v1/auth/register", map[string]string{"email": "evil@acme.example", "password": testPassword}).
		expect(t, http.StatusInternalServerError, "INTERNAL")
	e.post("/v1/auth/login", map[string]string{"email": "evil@acme.example", "password": testPassword}).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS") // the failed registration left no account
	if logs := e.logs.String(); !strings.Contains(logs, `extra claim \"Role\" is a registered claim`) {
		t.Errorf("the refused claim is not named in the logs:\n%s", logs)
	}
}

// auditRecorder is a team's own audit sink.
type auditRecorder struct {
	mu     sync.Mutex
	events []domain.AuditEvent
}

func (r *auditRecorder) Record(_ context.Context, e domain.AuditEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *auditRecorder) kinds() []domain.AuditKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]domain.AuditKind, len(r.events))
	for i, e := range r.events {
		out[i] = e.Kind
	}
	return out
}

// TestAuditLogOptionEndToEnd: WithAuditLog with Fanout delivers every event
// to the team's log and to authd's slog record alike.
func TestAuditLogOptionEndToEnd(t *testing.T) {
	mine := &auditRecorder{}
	logs := &logtest.Buffer{}
	slogAudit := auditlog.New(newJSONLogger(logs))
	e := compose(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}), nil,
		clock.NewManual(time.Now()), authd.WithAuditLog(auditlog.Fanout(slogAudit, mine)))
	a := e.register(t, "audit@example.com")
	e.login(t, a)
	e.post("/v1/auth/login", map[string]string{"email": a.Email, "password": "wrong password!"}).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	want := []domain.AuditKind{domain.AuditUserRegistered, domain.AuditLoginSucceeded, domain.AuditLoginFailed}
	var got []domain.AuditKind // mail events come and go with the mail settings
	for _, k := range mine.kinds() {
		if slices.Contains(want, k) {
			got = append(got, k)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("team's log got %v, want %v in order", mine.kinds(), want)
	}
	for _, k := range want {
		if !strings.Contains(logs.String(), `"event":"`+string(k)+`"`) {
			t.Errorf("slog record lacks %s:\n%s", k, logs)
		}
	}
	if strings.Contains(e.logs.String(), `"msg":"audit"`) {
		t.Error("the default audit record still wrote to the process log beside the replacement")
	}
}

// TestStorageOptionEndToEnd: WithStorage(memstore) serves every flow from
// memory; no database file is created, and the rows are memstore's.
func TestStorageOptionEndToEnd(t *testing.T) {
	data := t.TempDir()
	store := memstore.NewStore()
	e := compose(t, backends.Target{Name: "memstore", Driver: "sqlite", DSN: "file:" + filepath.Join(data, "unused.db")},
		nil, clock.NewManual(time.Now()), authd.WithStorage(store.Storage()))
	a := e.register(t, "mem@example.com")
	b := e.login(t, a)
	e.refresh(b.Refresh).expect(t, http.StatusOK, "")
	e.do(req{Method: http.MethodGet, Path: "/readyz"}).expect(t, http.StatusOK, "")
	if _, err := store.Users().ByID(context.Background(), a.ID); err != nil {
		t.Fatalf("the user is not in memstore: %v", err)
	}
	if n, _ := store.Sessions().CountLive(context.Background(), time.Now().Add(time.Minute)); n != 2 {
		t.Errorf("%d live sessions in memstore, want 2", n)
	}
	if _, err := os.Stat(filepath.Join(data, "unused.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the configured database was opened anyway: %v", err)
	}
	_, err := authd.Initialize(context.Background(), mustConfig(t), authd.WithStorage(ports.Storage{Users: store.Users()}))
	if err == nil || !strings.Contains(err.Error(), "Sessions") {
		t.Errorf("an incomplete storage was accepted: %v", err)
	}
}

// TestClockOptionEndToEnd: under WithClock, time moves only when the test
// moves it: an access token is good until the clock passes its expiry and
// the skew, and its refresh token still rotates.
func TestClockOptionEndToEnd(t *testing.T) {
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	e := compose(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}),
		map[string]string{"AUTHD_ACCESS_TTL": "5m", "AUTHD_CLOCK_SKEW": "30s"}, clk)
	a := e.register(t, "clock@example.com")
	clk.Advance(5*time.Minute + 29*time.Second)
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
	clk.Advance(time.Second)
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusUnauthorized, "TOKEN_EXPIRED")
	e.refresh(a.Refresh).expect(t, http.StatusOK, "")
}

func newJSONLogger(w *logtest.Buffer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

// mustConfig is the test configuration on a fresh data folder.
func mustConfig(t *testing.T) authd.Config {
	t.Helper()
	vars := testEnv(t.TempDir())
	cfg, err := authd.Load(nil, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
