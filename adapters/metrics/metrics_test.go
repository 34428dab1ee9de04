package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	vm "github.com/VictoriaMetrics/metrics"
	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
)

type nopAudit struct{ n int }

func (a *nopAudit) Record(context.Context, domain.AuditEvent) { a.n++ }

func TestAuditDecoratorCountsAndForwards(t *testing.T) {
	p, next := New(), &nopAudit{}
	log := p.Audit(next)
	ctx := context.Background()
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditLoginFailed, Reason: "wrong_password"})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditLoginFailed, Reason: "user@example.com"}) // never a label
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditLogoutAll, Detail: map[string]string{"sessions": "3"}})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditRefreshRejected, Reason: "expired"})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditSessionEnded, Reason: domain.RevokeSessionLimit,
		Detail: map[string]string{"sessions": "2"}})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditSessionEnded})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditMFAReset, Detail: map[string]string{"sessionsEnded": "2"}})
	if next.n != 7 {
		t.Fatalf("forwarded %d of 7 events", next.n)
	}
	for _, c := range []struct {
		got  float64
		want float64
		what string
	}{
		{value(t, p.logins.with("wrong_password")), 1, "wrong_password"},
		{value(t, p.logins.with("other")), 1, "unsafe reason collapsed to other"},
		{value(t, p.revoked.with(domain.RevokeLogoutAll)), 3, "logout_all sessions"},
		{value(t, p.revoked.with(domain.RevokeMFAReset)), 2, "mfa_reset sessions"},
		{value(t, p.refreshes.with("expired")), 1, "expired refresh"},
		{value(t, p.revoked.with(domain.RevokeSessionLimit)), 2, "session_limit sessions"},
		{value(t, p.revoked.with(domain.RevokeEnded)), 1, "one session ended by its user"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

// Account mails are counted by kind and outcome; a password reset counts
// the sessions it ended.
func TestAuditDecoratorCountsMailsAndResets(t *testing.T) {
	p := New()
	log := p.Audit(&nopAudit{})
	ctx := context.Background()
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditMailSent, Detail: map[string]string{"kind": "verify"}})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditMailFailed, Reason: "unavailable",
		Detail: map[string]string{"kind": "reset", "error": "dial tcp: connection refused"}})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditPasswordReset, Detail: map[string]string{"sessionsEnded": "2"}})
	for _, c := range []struct {
		got, want float64
		what      string
	}{
		{value(t, p.mails.with("verify", "sent")), 1, "verify sent"},
		{value(t, p.mails.with("reset", "unavailable")), 1, "reset failed"},
		{value(t, p.revoked.with(domain.RevokePasswordReset)), 2, "sessions ended by a reset"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestMiddlewareLabelsRouteTemplates(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	p := New()
	r := gin.New()
	r.Use(p.Middleware())
	r.GET("/users/:id", func(c *gin.Context) { c.Status(http.StatusTooManyRequests) })
	for _, path := range []string{"/users/0b7e-secret-id", "/nowhere/else"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("BREW", "/users/1", nil))
	if got := value(t, p.requests.with("/users/:id", "GET", "429")); got != 1 {
		t.Errorf("templated route count = %v", got)
	}
	if got := value(t, p.throttled.with("/users/:id")); got != 1 {
		t.Errorf("throttled = %v", got)
	}
	if got := value(t, p.requests.with(unmatchedRoute, "GET", "404")); got != 1 {
		t.Errorf("unmatched = %v", got)
	}
	if got := value(t, p.requests.with(unmatchedRoute, "OTHER", "404")); got != 1 {
		t.Errorf("unknown method not bounded: %v", got)
	}
	rec := httptest.NewRecorder()
	p.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	if strings.Contains(body, "secret-id") {
		t.Error("a raw path reached a label")
	}
	for _, line := range []string{
		"# TYPE authd_http_requests_total counter\n",
		`authd_http_requests_total{route="/users/:id",method="GET",status="429"} 1` + "\n",
		"# TYPE authd_http_request_duration_seconds histogram\n",
		`authd_http_request_duration_seconds_count{route="/users/:id",method="GET"} 1` + "\n",
	} {
		if !strings.Contains(body, line) {
			t.Errorf("exposition lacks %q", line)
		}
	}
}

// TestSeriesNameEscapesLabelValues: a value can never break out of its
// label, whatever it holds.
func TestSeriesNameEscapesLabelValues(t *testing.T) {
	f := newFamily("m", []string{"a", "b"}, func(string) int { return 0 })
	got := f.seriesName([]string{`x"} 1` + "\nevil 2", `back\slash`})
	want := `m{a="x\"} 1\nevil 2",b="back\\slash"}`
	if got != want {
		t.Errorf("seriesName = %s, want %s", got, want)
	}
}

// value reads one counter's current value.
func value(t *testing.T, c *vm.Counter) float64 {
	t.Helper()
	return float64(c.Get())
}

// TestFamilyConcurrentFirstUse: goroutines racing on a new label set all
// get the same series, so no increment is lost to a duplicate.
func TestFamilyConcurrentFirstUse(t *testing.T) {
	p := New()
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				p.logins.with("success").Inc()
			}
		}()
	}
	wg.Wait()
	if got := value(t, p.logins.with("success")); got != 1600 {
		t.Errorf("count = %v, want 1600", got)
	}
	if n := len(p.logins.series); n != 1 {
		t.Errorf("%d series for one label set", n)
	}
}
