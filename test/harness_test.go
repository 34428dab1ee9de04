package test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/backends"
	"github.com/authd-dev/authd/test/logtest"
)

// env is one authd composed by the real injector for a backend, served by
// httptest, with a manual clock so expiry and grace are tested by moving time.
type env struct {
	t      testing.TB
	app    *authd.App
	srv    *httptest.Server
	clock  *clock.Manual
	logs   *logtest.Buffer
	client *http.Client
	target backends.Target // the database it runs on, for tests that read it directly
}

// testEnv is the configuration tests start from; options override it.
func testEnv(dataDir string) map[string]string {
	return map[string]string{
		"AUTHD_DATA_DIR":       dataDir,
		"AUTHD_JWT_SECRET":     "test-jwt-secret-0123456789abcdefghijklmnop",
		"AUTHD_REFRESH_SECRET": "test-refresh-secret-0123456789abcdefghijkl",
		"AUTHD_BCRYPT_COST":    "4",
		"AUTHD_COOKIE_SECURE":  "false",
		"AUTHD_IP_RATE_LIMIT":  "0",
		"AUTHD_LOG_FORMAT":     "json",
	}
}

// newEnvOn composes authd on target with overrides applied to testEnv, on
// a manual clock.
func newEnvOn(t testing.TB, target backends.Target, overrides map[string]string) *env {
	t.Helper()
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	e := compose(t, target, overrides, clk)
	e.clock = clk
	return e
}

// compose builds authd through the real injector for target on clk and
// serves it with the real server configuration (timeouts, header limit).
// opts are added to the logger and clock the harness passes.
func compose(t testing.TB, target backends.Target, overrides map[string]string, clk ports.Clock, opts ...authd.Option) *env {
	t.Helper()
	return composeOn(t, httptest.NewUnstartedServer(nil), target, overrides, clk, opts...) // listens on 127.0.0.1
}

// composeWith is compose with edit applied to the loaded Config (for what
// has no environment variable).
func composeWith(t testing.TB, target backends.Target, overrides map[string]string, clk ports.Clock,
	edit func(*authd.Config)) *env {
	t.Helper()
	return composeEdited(t, httptest.NewUnstartedServer(nil), target, overrides, clk, edit)
}

// composeOn is compose on srv, an unstarted server whose address the
// caller may already have put into the configuration (AUTHD_ISSUER).
func composeOn(t testing.TB, srv *httptest.Server, target backends.Target, overrides map[string]string, clk ports.Clock,
	opts ...authd.Option) *env {
	t.Helper()
	return composeEdited(t, srv, target, overrides, clk, nil, opts...)
}

// composeEdited is composeOn with edit applied to the loaded Config. Mailed
// links point at this server's /demo/ page unless overrides say otherwise.
func composeEdited(t testing.TB, srv *httptest.Server, target backends.Target, overrides map[string]string,
	clk ports.Clock, edit func(*authd.Config), opts ...authd.Option) *env {
	t.Helper()
	vars := testEnv(t.TempDir())
	vars["AUTHD_DB_DRIVER"], vars["AUTHD_DB_DSN"] = target.Driver, target.DSN
	vars["AUTHD_EMAIL_LINK_URL"] = "http://" + srv.Listener.Addr().String() + "/demo/"
	for k, v := range overrides {
		vars[k] = v
	}
	cfg, err := authd.Load(nil, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		srv.Close()
		t.Fatalf("config: %v", err)
	}
	if edit != nil {
		edit(&cfg)
	}
	logs := &logtest.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts = append([]authd.Option{authd.WithLogger(log), authd.WithClock(clk)}, opts...)
	app, err := authd.Initialize(context.Background(), cfg, opts...)
	if err != nil {
		srv.Close()
		t.Fatalf("initialize %s: %v", target.Name, err)
	}
	srv.Config = app.Server()
	srv.Start()
	t.Cleanup(func() { srv.Close(); drainMail(t, app); _ = app.Close() })
	return &env{t: t, app: app, srv: srv, logs: logs, client: newClient(t, srv), target: target}
}

// drainMail waits for the app's background mails, so none outlives the
// database it writes to (a hang guard bounds it, not a timing assertion).
func drainMail(t testing.TB, app *authd.App) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := app.DrainMail(ctx); err != nil {
		t.Errorf("background mails: %v", err)
	}
}

// newEnv composes authd on a fresh SQLite file.
func newEnv(t testing.TB, overrides map[string]string) *env {
	t.Helper()
	return newEnvOn(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}), overrides)
}

// eachBackend runs fn once per configured backend, in subtests named
// backend=<name>, each on a new empty database.
func eachBackend(t *testing.T, overrides map[string]string, fn func(t *testing.T, e *env)) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) { fn(t, newEnvOn(t, target, overrides)) })
	}
}

// newClient is the client every end-to-end request goes through; its
// transport is the one place to observe all traffic (spec validation).
func newClient(t testing.TB, srv *httptest.Server) *http.Client {
	c := srv.Client()
	c.Transport = observe(t, c.Transport)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// observe wraps every request of the end-to-end suite; see spec_test.go.
var observe = func(t testing.TB, rt http.RoundTripper) http.RoundTripper { return rt }

// resp is a read response.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// req describes one request; Body is JSON-encoded unless it is a string or []byte.
type req struct {
	Method, Path string
	Body         any
	Bearer       string
	Header       map[string]string
}

func (e *env) do(r req) resp {
	e.t.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("encode body: %v", err)
		}
		body = bytes.NewReader(raw)
	}
	hr, err := http.NewRequest(r.Method, e.srv.URL+r.Path, body)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.Bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.Bearer)
	}
	for k, v := range r.Header {
		if v == "" {
			hr.Header.Del(k)
			continue
		}
		hr.Header.Set(k, v)
	}
	res, err := e.client.Do(hr)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read body: %v", err)
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: raw}
}

func (e *env) post(path string, body any) resp {
	e.t.Helper()
	return e.do(req{Method: http.MethodPost, Path: path, Body: body})
}

// json decodes the body as an object.
func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// str returns a string field of the JSON body.
func (r resp) str(t testing.TB, field string) string {
	t.Helper()
	v, _ := r.json(t)[field].(string)
	return v
}

// expect fails unless the status (and, for errors, the code) match.
func (r resp) expect(t testing.TB, status int, code string) resp {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if code != "" {
		if got := r.str(t, "code"); got != code {
			t.Fatalf("code %q, want %q: %s", got, code, r.Body)
		}
	}
	return r
}
